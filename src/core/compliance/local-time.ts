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

/** The wall-clock fields of `at` in `zone`. */
function fields(at: number, zone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of format(zone).formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour!, min: p.minute!, s: p.second! };
}

export function localTime(at: number, zone: string): LocalTime {
  const f = fields(at, zone);
  const day = new Date(Date.UTC(f.y, f.m - 1, f.d)).getUTCDay();
  return { date: isoDate(f.y, f.m, f.d), weekday: WEEKDAYS[(day + 6) % 7]!, minute: f.h * 60 + f.min };
}

/** The zone's offset from UTC at `at`, in ms. */
function offset(at: number, zone: string): number {
  const f = fields(at, zone);
  return Date.UTC(f.y, f.m - 1, f.d, f.h, f.min, f.s) - Math.floor(at / 1000) * 1000;
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
