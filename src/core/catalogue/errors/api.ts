import type { CanonicalErrorDef } from '../types.js';

/** Switchboard itself failed: never the caller's fault. */
export const apiErrors = [
  {
    code: 'internal_error',
    type: 'api_error',
    http_status: 500,
    title: 'Internal error',
    description: 'Switchboard hit an unexpected condition. Nothing you sent was lost: anything accepted before the error is stored.',
    resolution: 'Retry the request with the same `Idempotency-Key`. If it keeps failing, report it with the request id from the server\'s log.',
    permanent: false,
    retry: 'after_delay',
    failover: false,
  },
  {
    code: 'service_unavailable',
    type: 'api_error',
    http_status: 503,
    title: 'Service unavailable',
    description: 'This node is starting, shutting down or cannot reach its storage, and takes no traffic now.',
    resolution: 'Retry after the delay in `Retry-After`, or send to another node.',
    permanent: false,
    retry: 'after_delay',
    failover: false,
  },
] as const satisfies readonly CanonicalErrorDef[];
