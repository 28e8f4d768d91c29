import type { ProviderCodeTable } from '../../core/catalogue/types.js';

/**
 * What an HTTP provider's transport says when the provider's own answer cannot be read: the HTTP
 * status, or the network error before any answer. Every HTTP connector falls back on these.
 */
export const httpCodes = [
  {
    provider: 'http',
    context: 'status',
    title: 'HTTP status without a readable provider error',
    rows: [
      { code: '400', message: 'Bad Request', canonical: 'invalid_parameter' },
      { code: '401', message: 'Unauthorized', canonical: 'provider_authentication_failed' },
      { code: '402', message: 'Payment Required', canonical: 'insufficient_credit' },
      { code: '403', message: 'Forbidden', canonical: 'provider_access_denied' },
      { code: '404', message: 'Not Found: the base URL or path is wrong', canonical: 'provider_configuration_error' },
      { code: '408', message: 'Request Timeout', canonical: 'provider_timeout' },
      { code: '413', message: 'Content Too Large', canonical: 'message_too_long' },
      { code: '415', message: 'Unsupported Media Type', canonical: 'provider_protocol_error' },
      { code: '422', message: 'Unprocessable Content', canonical: 'invalid_parameter' },
      { code: '429', message: 'Too Many Requests', canonical: 'rate_limit_exceeded' },
      { code: '500', message: 'Internal Server Error', canonical: 'provider_error' },
      { code: '502', message: 'Bad Gateway', canonical: 'provider_unavailable' },
      { code: '503', message: 'Service Unavailable', canonical: 'provider_unavailable' },
      { code: '504', message: 'Gateway Timeout', canonical: 'provider_timeout' },
    ],
  },
  {
    provider: 'http',
    context: 'network',
    title: 'Network errors before the provider answered',
    rows: [
      { code: 'ECONNREFUSED', message: 'The provider refused the connection', canonical: 'provider_unavailable' },
      { code: 'ECONNRESET', message: 'The provider reset the connection', canonical: 'provider_unavailable' },
      { code: 'ENOTFOUND', message: "The provider's host name does not resolve", canonical: 'provider_configuration_error' },
      { code: 'EAI_AGAIN', message: "The provider's host name could not be resolved for now", canonical: 'provider_unavailable' },
      { code: 'EHOSTUNREACH', message: "The provider's host is unreachable", canonical: 'provider_unavailable' },
      { code: 'UND_ERR_CONNECT_TIMEOUT', message: 'Connecting to the provider timed out', canonical: 'provider_unavailable' },
      { code: 'ERR_INVALID_URL', message: "The request's URL, made from the connection's settings, is not a valid URL", canonical: 'provider_configuration_error' },
      { code: 'UNKNOWN', message: 'The request failed before the provider answered', canonical: 'provider_unavailable' },
    ],
  },
] as const satisfies readonly ProviderCodeTable[];
