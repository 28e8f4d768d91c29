import type { ProviderCodeTable } from '../../core/catalogue/types.js';

/**
 * Vonage Number Insight Advanced: the request's `status` (the API reference's "Standard/Advanced
 * status" table, as Vonage's OpenAPI document for Number Insight lists it) and the number's
 * `reachable` values (the same document, and the `Reachable` enum of @vonage/number-insights).
 */
export const vonageInsightCodes = [
  {
    provider: 'vonage',
    context: 'number-insight-status',
    title: 'Number Insight status codes',
    aliases: ['insight-status', 'ni-status'],
    rows: [
      { code: '0', message: 'Success', canonical: null },
      { code: '1', message: 'Busy', description: 'You have made more requests in the last second than are permitted by your account. Please retry.', canonical: 'rate_limit_exceeded' },
      { code: '3', message: 'Invalid', description: 'Your request is incomplete and missing some mandatory parameters.', canonical: 'invalid_parameter' },
      { code: '4', message: 'Invalid credentials', description: 'The api_key or api_secret you supplied is either not valid or has been disabled.', canonical: 'provider_authentication_failed' },
      { code: '5', message: 'Internal Error', canonical: 'provider_error' },
      { code: '9', message: 'Partner quota exceeded', description: 'Your account does not have sufficient credit to process this request.', canonical: 'insufficient_credit' },
      { code: '19', message: 'Facility Not Allowed', description: 'Your request makes use of a facility that is not enabled on your account.', canonical: 'provider_access_denied' },
      { code: '43', message: 'Live mobile lookup not returned', description: 'Not all return parameters are available.', canonical: null },
      { code: '44', message: 'Live mobile lookup not returned', description: 'Not all return parameters are available.', canonical: null },
      { code: '45', message: 'Live mobile lookup not returned', description: 'Not all return parameters are available.', canonical: null },
      { code: '999', message: 'Request unparseable', canonical: 'provider_protocol_error' },
    ],
  },
  {
    provider: 'vonage',
    context: 'number-insight-reachable',
    title: 'Number Insight reachability (reachable)',
    aliases: ['reachable', 'insight'],
    rows: [
      { code: 'reachable', message: 'The number is reachable', canonical: null, state: 'delivered' },
      { code: 'unknown', message: 'The reachability of the number is unknown', canonical: 'delivery_unknown', state: 'unknown' },
      { code: 'absent', message: "The number's owner is absent", canonical: 'absent_subscriber', state: 'undelivered' },
      { code: 'undeliverable', message: 'The number is undeliverable', canonical: 'destination_unreachable', state: 'undelivered' },
      { code: 'bad_number', message: 'The number is invalid (a bad number)', canonical: 'unknown_subscriber', state: 'undelivered' },
      { code: 'blacklisted', message: 'The number is blacklisted', canonical: 'destination_blocklisted', state: 'rejected' },
    ],
  },
] as const satisfies readonly ProviderCodeTable[];
