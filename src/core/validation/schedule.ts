import { SwitchboardError } from '../errors.js';
import { parseIsoDateTime } from './datetime.js';

const MAX_SCHEDULE_AHEAD_MS = 365 * 24 * 3600 * 1000;
const SCHEDULE_GRACE_MS = 60_000;

/** A request's send_at as epoch ms; null when it is absent or already due. */
export function parseSendAt(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const at = parseIsoDateTime(value);
  if (at === undefined) {
    throw new SwitchboardError('invalid_schedule', 'send_at must be an ISO-8601 date-time with a time zone, e.g. 2026-12-01T09:00:00Z.', { param: 'send_at' });
  }
  if (at < now - SCHEDULE_GRACE_MS) throw new SwitchboardError('invalid_schedule', 'send_at is in the past.', { param: 'send_at' });
  if (at > now + MAX_SCHEDULE_AHEAD_MS) throw new SwitchboardError('invalid_schedule', 'send_at is more than a year ahead.', { param: 'send_at' });
  return at <= now ? null : at;
}
