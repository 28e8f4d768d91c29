import type { Degradation, QualityRecord, Transition } from '../app/store.js';
import { addCounts, hourOf, LATENCY_BOUNDS_MS, latencyBucket, NO_COUNTS, type QualityCounts } from '../core/quality/counts.js';
import { isFinal } from '../core/lifecycle.js';
import type { AcceptedRoute } from '../core/message.js';
import { parseJson, type ChangedRow, type MessageRow } from './rows.js';

// Quality counters, the same for every SQL engine: what each status change adds to the counter
// rows of (hour, connection, country, network). Hours since 1970-01-01 UTC; an unknown country or network is ''.


/** The latency columns, one per bucket of LATENCY_BOUNDS_MS. */
export const LATENCY_COLUMNS = LATENCY_BOUNDS_MS.map((_, i) => `l${i}`);

/** What one change adds to one counter row. */
export interface QualityDelta {
  readonly hour: number;
  readonly connection: string;
  readonly country: string;
  readonly network: string;
  readonly counts: QualityCounts;
}

/**
 * What a status change adds to its connection's quality: a submit (sent, or refused for good), and
 * the outcome of one the provider had (delivered with its receipt's latency, undelivered with its
 * error, or unknown). `row` is the message after the change, with `sent_at` as it was before it
 * (see the stores' transition statements). A read after a delivery adds nothing.
 */
export function qualityAt(row: ChangedRow, t: Transition, route: AcceptedRoute | null = parseJson<AcceptedRoute>(row.route)): QualityDelta | undefined {
  if (t.from.every(isFinal)) return undefined;
  const segments = Number(row.segments);
  // A failover moves the message to its next connection: the one it failed on is its event's.
  const failedOn = t.connection !== undefined ? t.event.detail?.connection : undefined;
  const connection = typeof failedOn === 'string' ? failedOn : row.connection;
  const hour = hourOf(t.event.at);
  const country = route?.country ?? '';
  const network = route?.network ?? '';
  const sentAt = row.sent_at === null || row.sent_at === undefined ? null : Number(row.sent_at);
  const add = (counts: Partial<QualityCounts>): QualityDelta => ({ hour, connection, country, network, counts: { ...NO_COUNTS, ...counts } });
  const failed = (extra: Partial<QualityCounts> = {}) => add({ undelivered: 1, errors: { [t.error?.code ?? 'unknown_error']: 1 }, ...extra });
  if (t.to === 'sent') return add({ submits: 1, segments, cost: (route?.costs?.[connection] ?? 0) * segments });
  const withProvider = sentAt !== null || (t.from.length === 1 && t.from[0] === 'sent');
  if (!withProvider) {
    // Refused at submit for good, or its submit's fate lost: a submit that failed on this connection.
    // An attempt given back never reached it.
    if (!t.from.includes('sending') || (t.attemptsDelta ?? 0) < 0) return undefined;
    if (t.to === 'failed' || t.to === 'rejected') return failed({ submits: 1, segments });
    return t.to === 'unknown' ? add({ submits: 1, segments, unknown: 1 }) : undefined;
  }
  if (t.to === 'delivered' || t.to === 'read') {
    const latency = NO_COUNTS.latency.map(() => 0);
    if (sentAt !== null) latency[latencyBucket(Math.max(0, t.event.at - sentAt))]! += 1;
    return add({ delivered: 1, latency });
  }
  if (t.to === 'expired' || t.to === 'unknown') return add({ unknown: 1 });
  // Undelivered, failed or rejected by its receipt, or sent again after a receipt's temporary failure.
  if (t.to === 'undelivered' || t.to === 'failed' || t.to === 'rejected' || (t.to === 'queued' && t.error)) return failed();
  return undefined;
}

/** A counter row as read back, summed over its slots and hours (PostgreSQL's sums are strings). */
export type QualityRow = {
  connection: string;
  country: string;
  network: string;
  submits: number | string;
  segments: number | string;
  delivered: number | string;
  undelivered: number | string;
  unknown: number | string;
  cost: number | string;
} & Record<string, number | string>;

/** An error counter row as read back, summed. */
export interface QualityErrorRow {
  connection: string;
  country: string;
  network: string;
  code: string;
  count: number | string;
}

/** Rows of counters and of errors as one record per destination. */
export function qualityOf(rows: readonly QualityRow[], errors: readonly QualityErrorRow[]): QualityRecord[] {
  const key = (r: { connection: string; country: string; network: string }) => `${r.connection}\u0000${r.country}\u0000${r.network}`;
  const codes = new Map<string, Record<string, number>>();
  for (const e of errors) codes.set(key(e), { ...codes.get(key(e)), [e.code]: Number(e.count) });
  return rows.map((r) => ({
    connection: r.connection,
    country: r.country === '' ? null : r.country,
    network: r.network === '' ? null : r.network,
    counts: {
      submits: Number(r.submits),
      segments: Number(r.segments),
      delivered: Number(r.delivered),
      undelivered: Number(r.undelivered),
      unknown: Number(r.unknown),
      cost: Number(r.cost),
      latency: LATENCY_COLUMNS.map((c) => Number(r[c] ?? 0)),
      errors: codes.get(key(r)) ?? {},
    },
  }));
}

/** One delta per counter row, in key order (so concurrent transactions lock rows in the same order). */
export function mergeQuality(deltas: readonly (QualityDelta | undefined)[]): QualityDelta[] {
  const by = new Map<string, QualityDelta>();
  for (const d of deltas) {
    if (!d) continue;
    const k = `${String(d.hour).padStart(8, '0')}\u0000${d.connection}\u0000${d.country}\u0000${d.network}`;
    const was = by.get(k);
    by.set(k, was ? { hour: was.hour, connection: was.connection, country: was.country, network: was.network, counts: addCounts(was.counts, d.counts) } : d);
  }
  if (by.size === 1) return [...by.values()];
  return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
}

export interface DegradationRow {
  connection: string;
  country: string;
  reason: string;
  detail: string;
  since: number | string;
}

export function degradationOf(r: DegradationRow): Degradation {
  return {
    connection: r.connection,
    country: r.country === '' ? null : r.country,
    reason: r.reason as Degradation['reason'],
    detail: JSON.parse(r.detail) as Degradation['detail'],
    since: Number(r.since),
  };
}

/**
 * Counters older than the hours kept, at most $2 rows of each table (hours before $1), for both
 * stores (`$n` placeholders; SQLite reads them numbered): each reaches its rows by the leading
 * hour of the primary key.
 */
export const QUALITY_PRUNE_SQL = {
  counts: `DELETE FROM quality_counts WHERE (hour, connection, country, network, slot) IN (
    SELECT hour, connection, country, network, slot FROM quality_counts WHERE hour < $1 LIMIT $2)`,
  errors: `DELETE FROM quality_errors WHERE (hour, connection, country, network, code, slot) IN (
    SELECT hour, connection, country, network, code, slot FROM quality_errors WHERE hour < $1 LIMIT $2)`,
} as const;
