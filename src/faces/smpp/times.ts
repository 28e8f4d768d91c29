import { SwitchboardError } from '../../core/errors.js';

const two = (n: number) => String(n).padStart(2, '0');

/**
 * An SMPP 3.4 time (7.1.1): absolute `YYMMDDhhmmsstnnp` (tenths, then the offset from UTC in
 * quarter hours, `+` or `-`) or relative `YYMMDDhhmmss000R` (years of 365 days, months of 30),
 * as epoch milliseconds; undefined for the empty string (the SMSC default).
 */
export function readSmppTime(value: string, now: number, param: string): number | undefined {
  if (value === '') return undefined;
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d)(\d{2})([+\-R])$/.exec(value);
  if (!m) throw new SwitchboardError(param === 'validity' ? 'invalid_parameter' : 'invalid_schedule', `${param === 'validity' ? 'validity_period' : 'schedule_delivery_time'} ${JSON.stringify(value)} is not an SMPP time (YYMMDDhhmmsstnnp).`, { param });
  const [yy, mo, dd, hh, mi, ss, t, nn] = m.slice(1, 9).map(Number) as [number, number, number, number, number, number, number, number];
  if (m[9] === 'R') return now + ((((yy * 365 + mo * 30 + dd) * 24 + hh) * 60 + mi) * 60 + ss) * 1000;
  const offset = nn * 15 * 60_000 * (m[9] === '-' ? -1 : 1);
  return Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss, t * 100) - offset;
}

/** An absolute SMPP time in UTC, as query_sm_resp's final_date. */
export function smppTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}${Math.floor(d.getUTCMilliseconds() / 100)}00+`;
}

/** A receipt's `submit date:` and `done date:`: YYMMDDhhmm, UTC (Appendix B). */
export function receiptTime(ms: number): string {
  return smppTime(ms).slice(0, 10);
}
