import { Type } from 'typebox';
import { deliveryRate, latencyPercentile, type QualityCounts } from '../../core/quality/counts.js';

const Seconds = Type.Union([Type.Number(), Type.Null()], { description: 'seconds from submit to the delivered receipt (the upper bound of its histogram bucket); null without receipts' });

/** Receipt latency percentiles, as the quality and connections routes show them. */
export const ReceiptLatency = Type.Object({ p50: Seconds, p95: Seconds });

export const DeliveryRate = Type.Union([Type.Number(), Type.Null()], { description: 'delivered / (delivered + undelivered + unknown); null before any outcome' });

const seconds = (ms: number | null) => (ms === null ? null : Number.isFinite(ms) ? ms / 1000 : null);

export const round = (n: number | null) => (n === null ? null : Math.round(n * 10_000) / 10_000);

export function receiptLatency(c: QualityCounts) {
  return { p50: seconds(latencyPercentile(c, 0.5)), p95: seconds(latencyPercentile(c, 0.95)) };
}

export const rateOf = (c: QualityCounts) => round(deliveryRate(c));
