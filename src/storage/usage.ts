import type { NewMessage, UsageRecord } from '../app/store.js';
import { FINAL_STATUSES, type MessageStatus } from '../core/lifecycle.js';
import type { AcceptedRoute } from '../core/message.js';
import { parseJson, REFUNDED_STATUSES, type ChangedRow, type MessageRow } from './rows.js';
import { mergeDeltas } from './counter-deltas.js';

// Usage counters, the same for every SQL engine: what each write adds to the counter rows of
// (account, day, country, connection). Days are UTC days since 1970-01-01; an unknown country is ''.

const DAY_MS = 86_400_000;

/** What one write adds to one counter row. */
export interface UsageDelta extends Omit<UsageRecord, 'country'> {
  readonly country: string;
}

/** The final statuses counted as failed; canceled and unknown are neither delivered nor failed. */
export const FAILED_STATUSES: readonly MessageStatus[] = ['undelivered', 'failed', 'rejected', 'expired'];

/** Whether a message in its final status `to` reached a provider: charged, and it cost its connection. */
export function handedOver(row: { readonly provider_message_id: string | null }, to: string): boolean {
  return !(row.provider_message_id === null && REFUNDED_STATUSES.includes(to));
}

/** What accepting these messages adds: messages, segments, and what they were charged. */
export function usageAtAccept(messages: readonly NewMessage[]): UsageDelta[] {
  return merge(
    messages.map((m) => ({
      accountId: m.accountId,
      day: Math.floor(m.createdAt / DAY_MS),
      country: m.route?.country ?? '',
      connection: m.connection,
      messages: 1,
      segments: m.segments,
      delivered: 0,
      failed: 0,
      charged: m.price ?? 0,
      cost: 0,
    })),
  );
}

/**
 * What a message reaching its final status `to` adds, on the day it was accepted: delivered or
 * failed, its refund (a message that never reached a provider), or the cost of its segments on
 * the connection that took it. Canceled and unknown outcomes count as neither delivered nor failed.
 */
export function usageAtFinal(row: ChangedRow, to: MessageStatus, route: AcceptedRoute | null = parseJson<AcceptedRoute>(row.route)): UsageDelta | undefined {
  if (!FINAL_STATUSES.has(to)) return undefined;
  const sent = handedOver(row, to);
  const price = row.price === null || row.price === undefined ? 0 : Number(row.price);
  const costPerSegment = route?.costs?.[row.connection];
  return {
    accountId: row.account_id,
    day: Math.floor(Number(row.created_at) / DAY_MS),
    country: route?.country ?? '',
    connection: row.connection,
    messages: 0,
    segments: 0,
    delivered: to === 'delivered' ? 1 : 0,
    failed: FAILED_STATUSES.includes(to) ? 1 : 0,
    charged: sent ? 0 : -price,
    cost: sent && costPerSegment !== undefined ? costPerSegment * Number(row.segments) : 0,
  };
}

const keyOf = (d: UsageDelta) => [d.accountId, String(d.day).padStart(8, '0'), d.country, d.connection].join('\u0000');

/** One delta per counter row, in key order (see mergeDeltas). */
export function merge(deltas: readonly (UsageDelta | undefined)[]): UsageDelta[] {
  return mergeDeltas(deltas, keyOf, ['messages', 'segments', 'delivered', 'failed', 'charged', 'cost']);
}

/** A counter row as read back, summed over its slots (PostgreSQL's sums are strings). */
export interface UsageRow {
  account_id: string;
  day: number;
  country: string;
  connection: string;
  messages: number | string;
  segments: number | string;
  delivered: number | string;
  failed: number | string;
  charged: number | string;
  cost: number | string;
}

/** A counter row as read back, summed over its slots. */
export function usageOf(r: UsageRow): UsageRecord {
  return {
    accountId: r.account_id,
    day: Number(r.day),
    country: r.country === '' ? null : r.country,
    connection: r.connection,
    messages: Number(r.messages),
    segments: Number(r.segments),
    delivered: Number(r.delivered),
    failed: Number(r.failed),
    charged: Number(r.charged),
    cost: Number(r.cost),
  };
}
