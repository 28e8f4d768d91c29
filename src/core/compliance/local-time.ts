import { WEEKDAYS, type Weekday } from './policy.js';

/** A moment as a wall clock in one zone shows it. */
export interface LocalTime {
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly weekday: Weekday;
  /** Minutes since local midnight. */
  readonly minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at `at`, in ms, as Intl reads it (a few microseconds). */
function readOffset(at: number, zone: string): number {
  const p: Record<string, number> = {};
  for (const part of format(zone).formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(at / 1000) * 1000;
}

/**
 * Offsets are whole quarters of an hour and change at whole or half hours of local time, so an
 * offset holds for a whole quarter of an hour of UTC: read once per zone and quarter, and kept.
 */
const QUARTER = 15 * 60_000;
const offsets = new Map<string, number>();

function offset(at: number, zone: string): number {
  const key = `${zone} ${Math.floor(at / QUARTER)}`;
  let value = offsets.get(key);
  if (value === undefined) {
    if (offsets.size >= 10_000) offsets.clear();
    value = readOffset(at, zone);
    offsets.set(key, value);
  }
  return value;
}

export function localTime(at: number, zone: string): LocalTime {
  const wall = new Date(at + offset(at, zone));
  return {
    date: isoDate(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate()),
    weekday: WEEKDAYS[(wall.getUTCDay() + 6) % 7]!,
    minute: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
  };
}

/**
 * The instant the zone's clocks show `minute` on `date` (YYYY-MM-DD); `minute` 1440 is the next
 * midnight. A time shown twice (a fall-back night) is its first; a time never shown (skipped by
 * a spring-forward change) is read with the offset before the change, as clocks moved on.
 */
export function instantOf(date: string, minute: number, zone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, 0, minute);
  const a = wall - offset(wall, zone);
  const b = wall - offset(a, zone);
  const shown = [a, b].filter((c) => c + offset(c, zone) === wall);
  return shown.length > 0 ? Math.min(...shown) : Math.max(a, b);
}

/** The date `days` after `date`. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + days));
  return isoDate(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}

export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!;
}

function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
