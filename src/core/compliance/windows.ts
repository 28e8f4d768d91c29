import type { HolidayCalendar } from './holidays.js';
import { addDays, instantOf, localTime, weekdayOf } from './local-time.js';
import type { DayWindow, Policy } from './policy.js';

/** Why a moment is outside the policy's windows: outside the day's hours, a day without a window, or a public holiday. */
export type HoldReason = 'hours' | 'day' | 'holiday';

export interface Hold {
  readonly reason: HoldReason;
  /** The next moment every zone of the recipient allows; null when none does within two weeks. */
  readonly until: number | null;
}

const WHOLE_DAY: DayWindow = { from: 0, to: 1440 };
/** How far ahead the next window is looked for: beyond, the policy is taken to allow nothing. */
const HORIZON_DAYS = 14;

/**
 * Whether the policy holds a message at `at` to a recipient in `zones` (several when the number
 * cannot tell which: each must allow it, the most restrictive wins) of `country`, and until when.
 * Undefined when it may go: the policy has no windows nor holidays, the zones are unknown, or
 * every zone is inside a window.
 */
export function holdAt(at: number, zones: readonly string[], country: string | undefined, policy: Policy, calendar: HolidayCalendar): Hold | undefined {
  if ((!policy.windows && !policy.holidays) || zones.length === 0) return undefined;
  const holiday = (date: string) => policy.holidays === true && country !== undefined && calendar.isHoliday(country, date);
  const reasons = zones.map((zone) => reasonAt(at, zone, policy, holiday)).filter((r) => r !== undefined);
  if (reasons.length === 0) return undefined;
  return { reason: reasons[0]!, until: nextAllowed(at, zones, policy, holiday) };
}

function windowOf(policy: Policy, date: string): DayWindow | undefined {
  return policy.windows ? policy.windows[weekdayOf(date)] : WHOLE_DAY;
}

function reasonAt(at: number, zone: string, policy: Policy, holiday: (date: string) => boolean): HoldReason | undefined {
  const local = localTime(at, zone);
  if (holiday(local.date)) return 'holiday';
  const window = windowOf(policy, local.date);
  if (!window) return 'day';
  return local.minute >= window.from && local.minute < window.to ? undefined : 'hours';
}

/** The first moment at or after `at` inside a window of `zone`, or null within the horizon. */
function nextIn(at: number, zone: string, policy: Policy, holiday: (date: string) => boolean): number | null {
  const today = localTime(at, zone).date;
  for (let i = 0; i <= HORIZON_DAYS; i++) {
    const date = addDays(today, i);
    const window = windowOf(policy, date);
    if (!window || holiday(date)) continue;
    const start = instantOf(date, window.from, zone);
    if (at < start) return start;
    if (at < instantOf(date, window.to, zone)) return at;
  }
  return null;
}

/** Moves forward until every zone allows the same moment. */
function nextAllowed(at: number, zones: readonly string[], policy: Policy, holiday: (date: string) => boolean): number | null {
  let t = at;
  for (let round = 0; round < HORIZON_DAYS * zones.length + 1; round++) {
    let moved = false;
    for (const zone of zones) {
      const next = nextIn(t, zone, policy, holiday);
      if (next === null) return null;
      if (next > t) {
        t = next;
        moved = true;
      }
    }
    if (!moved) return t;
  }
  return null;
}
