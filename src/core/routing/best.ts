import { latencyPercentile, outcomes, type QualityCounts } from '../quality/counts.js';
import { betaDraw, type Random } from '../quality/random.js';
import type { QualityView } from '../quality/view.js';
import type { RouteTarget } from './router.js';

/** What a `best` route asks of its connections, and how much it explores. */
export interface BestSettings {
  /** A connection whose delivery rate (0-1) is likely under this is set aside. Unset: no floor. */
  readonly minDeliveryRate?: number;
  /** A connection whose receipts' p95 latency (ms) is over this is set aside. Unset: no floor. */
  readonly maxReceiptLatencyMs?: number;
  /**
   * The share of messages (0-1) sent first to a connection set aside (by a floor, or degraded),
   * so that one that recovers is found again. Default 0.05: the cost of learning is bounded.
   */
  readonly exploration?: number;
  /** Whether a degraded connection is set aside until it recovers. Default true. */
  readonly avoidDegraded?: boolean;
}

export const DEFAULT_EXPLORATION = 0.05;
/**
 * Outcomes a posterior holds at most (older ones weigh less in proportion): it never grows so sure
 * that a change takes more than a few hundred messages to show.
 */
export const EVIDENCE_CAP = 200;
/** Delivered receipts needed before the latency floor judges a connection. */
const MIN_LATENCY_SAMPLES = 20;

/** Delivered and not-delivered outcomes, scaled down to EVIDENCE_CAP. */
function evidence(c: QualityCounts | undefined): { delivered: number; missed: number } {
  if (!c) return { delivered: 0, missed: 0 };
  const n = outcomes(c);
  const scale = n > EVIDENCE_CAP ? EVIDENCE_CAP / n : 1;
  return { delivered: c.delivered * scale, missed: (n - c.delivered) * scale };
}

function latencyHolds(c: QualityCounts | undefined, maxMs: number | undefined): boolean {
  if (maxMs === undefined || !c || c.delivered < MIN_LATENCY_SAMPLES) return true;
  return (latencyPercentile(c, 0.95) ?? 0) <= maxMs;
}

interface Scored {
  readonly target: RouteTarget;
  readonly score: number;
  readonly eligible: boolean;
}

/**
 * Orders a `best` route's connections by Thompson sampling: each one's delivery rate is drawn from
 * its Beta posterior (1 + delivered, 1 + not delivered), and the expected cost per delivered
 * message is its segment price over that rate (unpriced connections after priced ones, by rate
 * alone among themselves). Connections meeting the floors, not degraded, come first, cheapest
 * first; those set aside follow, but go first for an `exploration` share of messages.
 */
export function orderBest(
  targets: readonly RouteTarget[],
  view: QualityView,
  destination: { readonly country: string | undefined; readonly network: string | undefined },
  settings: BestSettings,
  random: Random,
): RouteTarget[] {
  const priced = targets.some((t) => t.price !== null);
  const avoid = settings.avoidDegraded ?? true;
  const scored = targets.map((target): Scored => {
    const counts = view.counts(target.connection, destination.country, destination.network);
    const { delivered, missed } = evidence(counts);
    const rate = betaDraw(1 + delivered, 1 + missed, random);
    const eligible =
      (settings.minDeliveryRate === undefined || rate >= settings.minDeliveryRate) &&
      latencyHolds(counts, settings.maxReceiptLatencyMs) &&
      !(avoid && view.degraded(target.connection, destination.country));
    const price = priced ? (target.price ?? Number.MAX_SAFE_INTEGER) : 1;
    return { target, score: price / Math.max(rate, 1e-9), eligible };
  });
  const byScore = (a: Scored, b: Scored) => a.score - b.score;
  const first = scored.filter((s) => s.eligible).sort(byScore);
  const aside = scored.filter((s) => !s.eligible).sort(byScore);
  if (first.length > 0 && aside.length > 0 && random() < (settings.exploration ?? DEFAULT_EXPLORATION)) {
    const probe = aside.splice(Math.floor(random() * aside.length), 1);
    return [...probe, ...first, ...aside].map((s) => s.target);
  }
  return [...first, ...aside].map((s) => s.target);
}
