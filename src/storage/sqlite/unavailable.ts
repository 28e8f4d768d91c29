import { SwitchboardError } from '../../core/errors.js';

/** Why the database file cannot take a write now, by SQLite's (or the disk's) error code. */
function reasonOf(code: string): string | undefined {
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'its disk is full';
  if (code.startsWith('SQLITE_BUSY')) return 'another process holds its database file';
  if (code.startsWith('SQLITE_READONLY')) return 'its database file cannot be written';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'its disk fails to read or write';
  return undefined;
}

/**
 * A failure of the file rather than of the request (disk full, the file locked by another
 * process past the busy timeout, read-only, failing) as the canonical `service_unavailable`: an
 * API caller gets a 503 with Retry-After and the cause, not an internal error, and may retry once
 * the operator made room. The original stays its `cause`, for the log. Any other error is
 * returned as it is.
 */
export function asUnavailable(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' ? reasonOf(code) : undefined;
  if (!reason) return error;
  return Object.assign(new SwitchboardError('service_unavailable', `The gateway cannot store this now: ${reason}. Retry shortly.`, { retryAfterSeconds: 5 }), { cause: error });
}
