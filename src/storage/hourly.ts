import type { HourlyRecord, NewMessage, Transition } from '../app/store.js';
import { FINAL_STATUSES } from '../core/lifecycle.js';
import type { AcceptedRoute } from '../core/message.js';
import { FAILED_STATUSES } from './usage.js';
import { parseJson, type ChangedRow, type MessageRow } from './rows.js';
import { mergeDeltas } from './counter-deltas.js';

// The dashboard's hourly counters, the same for every SQL engine: what each write adds to the rows
// of (account, hour, connection, country, error, provider code). Hours are UTC hours since 1970 of the message's
// acceptance, so a message counts once in one hour, sent and then settled; '' is no country, error or provider code.

const HOUR_MS = 3_600_000;

/** What one write adds to one counter row. */
export interface HourlyDelta extends Omit<HourlyRecord, 'country' | 'errorCode' | 'providerCode'> {
  readonly country: string;
  readonly errorCode: string;
  readonly providerCode: string;
}

export function hourlyAtAccept(messages: readonly NewMessage[]): HourlyDelta[] {
  return mergeHourly(messages.map((m) => ({ accountId: m.accountId, hour: Math.floor(m.createdAt / HOUR_MS), connection: m.connection, country: m.route?.country ?? '', errorCode: '', providerCode: '', messages: 1, delivered: 0, failed: 0, unknown: 0, charged: m.price ?? 0 })));
}

/** What a message reaching its final status adds, under its canonical error: delivered, failed or unknown. */
export function hourlyAtFinal(row: ChangedRow, t: Pick<Transition, 'to' | 'error'>, route: AcceptedRoute | null = parseJson<AcceptedRoute>(row.route)): HourlyDelta | undefined {
  if (!FINAL_STATUSES.has(t.to)) return undefined;
  return {
    accountId: row.account_id,
    hour: Math.floor(Number(row.created_at) / HOUR_MS),
    connection: row.connection,
    country: route?.country ?? '',
    errorCode: t.error?.code ?? '',
    providerCode: t.error?.provider?.code ?? '',
    delivered: t.to === 'delivered' ? 1 : 0,
    failed: FAILED_STATUSES.includes(t.to) ? 1 : 0,
    unknown: t.to === 'unknown' ? 1 : 0,
    messages: 0,
    charged: 0,
  };
}

const keyOf = (d: HourlyDelta) => [d.accountId, String(d.hour).padStart(10, '0'), d.connection, d.country, d.errorCode, d.providerCode].join('\u0000');

/** One delta per counter row, in key order (see mergeDeltas). */
export function mergeHourly(deltas: readonly (HourlyDelta | undefined)[]): HourlyDelta[] {
  return mergeDeltas(deltas, keyOf, ['messages', 'delivered', 'failed', 'unknown', 'charged']);
}

export interface HourlyRow {
  hour: number | string;
  connection: string;
  country: string;
  error_code: string;
  provider_code: string;
  messages: number | string;
  delivered: number | string;
  failed: number | string;
  unknown: number | string;
  charged: number | string;
}

export function hourlyOf(accountId: string, r: HourlyRow): HourlyRecord {
  return {
    accountId,
    hour: Number(r.hour),
    connection: r.connection,
    country: r.country === '' ? null : r.country,
    errorCode: r.error_code === '' ? null : r.error_code,
    providerCode: r.provider_code === '' ? null : r.provider_code,
    messages: Number(r.messages),
    delivered: Number(r.delivered),
    failed: Number(r.failed),
    unknown: Number(r.unknown),
    charged: Number(r.charged),
  };
}

/** The counter rows of one account's hours, summed over their slots; `$n` placeholders. */
export const HOURLY_READ = `SELECT hour, connection, country, error_code, provider_code, sum(messages) AS messages, sum(delivered) AS delivered, sum(failed) AS failed,
    sum(unknown) AS unknown, sum(charged) AS charged
  FROM hourly_counts WHERE account_id = $1 AND hour >= $2 AND hour <= $3 GROUP BY hour, connection, country, error_code, provider_code ORDER BY hour`;
