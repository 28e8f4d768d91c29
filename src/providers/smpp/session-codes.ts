import type { ProviderCodeTable } from '../../core/catalogue/types.js';

/** What Switchboard's own SMPP client reports about its connection, beside the SMSC's codes. */
export const smppSessionCodes = [
  {
    provider: 'smpp',
    context: 'session',
    title: 'SMPP connection states (Switchboard)',
    rows: [
      { code: 'NOT_BOUND', message: 'No bound session to the SMSC: the connection is down or still binding', canonical: 'provider_unavailable' },
      { code: 'CONNECTION_LOST', message: 'The SMSC closed the connection or stopped answering', canonical: 'provider_unavailable' },
      { code: 'ECONNREFUSED', message: 'The SMSC refused the TCP connection', canonical: 'provider_unavailable' },
      { code: 'ECONNRESET', message: 'The SMSC reset the TCP connection', canonical: 'provider_unavailable' },
      { code: 'ETIMEDOUT', message: 'The TCP connection to the SMSC timed out', canonical: 'provider_unavailable' },
      { code: 'ENOTFOUND', message: 'The SMSC host name does not resolve', canonical: 'provider_configuration_error' },
      { code: 'EHOSTUNREACH', message: 'The SMSC host is unreachable', canonical: 'provider_unavailable' },
    ],
  },
] as const satisfies readonly ProviderCodeTable[];
