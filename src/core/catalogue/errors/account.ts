import type { CanonicalErrorDef } from '../types.js';

/** The account (Switchboard's, or the one at the provider) cannot pay for or may not send this. */
export const accountErrors = [
  {
    code: 'insufficient_credit',
    type: 'account_error',
    http_status: 402,
    title: 'Insufficient credit',
    description: 'The account has not enough credit for this message.',
    resolution: 'Top up the account, then send again. Set a low-balance alert to avoid interruptions.',
    permanent: false,
    retry: 'after_fix',
    failover: true,
  },
  {
    code: 'account_suspended',
    type: 'account_error',
    http_status: 403,
    title: 'Account suspended',
    description: 'The account is disabled, blocked or barred, or the service is inactive on it.',
    resolution: 'Contact the account\'s owner or the provider\'s support to find out why and have it re-enabled.',
    permanent: false,
    retry: 'after_fix',
    failover: true,
  },
  {
    code: 'destination_not_allowed',
    type: 'account_error',
    http_status: 403,
    title: 'Destination not allowed for this account',
    description: 'The account may only send to allow-listed numbers (a trial or demo account), or is not allowed to send to this destination.',
    resolution: 'Add the number to the account\'s allowed (test) numbers, or upgrade the account out of trial mode.',
    permanent: false,
    retry: 'after_fix',
    failover: true,
  },
] as const satisfies readonly CanonicalErrorDef[];
