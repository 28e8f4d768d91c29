import type { CanonicalErrorDef } from '../types.js';

/** Too much, too fast: the same request later will succeed. */
export const rateLimitErrors = [
  {
    code: 'rate_limit_exceeded',
    type: 'rate_limit_error',
    http_status: 429,
    title: 'Rate limit exceeded',
    description: 'Messages or requests were sent faster than the account, the sender or the provider allows.',
    resolution: 'Slow down: queue your requests and honour the `Retry-After` header. Switchboard retries throttled messages itself; to raise the limit, ask for more throughput.',
    permanent: false,
    retry: 'after_delay',
    failover: true,
  },
  {
    code: 'quota_exceeded',
    type: 'rate_limit_error',
    http_status: 429,
    title: 'Quota exceeded',
    description: 'A volume quota was reached: the maximum number of transactions or requests per period for the account, API or route.',
    resolution: 'Wait for the quota period to reset, or ask the provider for a higher quota.',
    permanent: false,
    retry: 'after_delay',
    failover: true,
  },
  {
    code: 'too_many_connections',
    type: 'rate_limit_error',
    http_status: 429,
    title: 'Too many connections',
    description: 'More simultaneous connections (SMPP binds) are open than the account allows.',
    resolution: 'Lower the number of binds configured for the connection across all nodes, or ask the provider for more binds.',
    permanent: false,
    retry: 'after_delay',
    failover: true,
  },
] as const satisfies readonly CanonicalErrorDef[];
