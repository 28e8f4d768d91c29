/**
 * Measured outcomes of one connection to one destination: what quality is made of. Kept as
 * counts (never as rates or averages) so that rows from several hours, slots and nodes add up,
 * and percentiles come out of the latency histogram's fixed buckets.
 */
export interface QualityCounts {
  /** Submits the provider accepted, or refused for good (those are counted undelivered too). */
  readonly submits: number;
  /** The segments of those submits. */
  readonly segments: number;
  readonly delivered: number;
  /** Failed for good after the submit (a receipt, or a refusal), with each canonical error's count in `errors`. */
  readonly undelivered: number;
  /** No final answer: expired or unknown after the provider took it. */
  readonly unknown: number;
  /** What the submits cost on the connection, in micro-units (0 where the route sets no price). */
  readonly cost: number;
  /** Delivered receipts by time from submit to receipt, one count per LATENCY_BOUNDS_MS bucket. */
  readonly latency: readonly number[];
  /** Undelivered by canonical error code. */
  readonly errors: Readonly<Record<string, number>>;
}

/**
 * Upper bounds (ms) of the latency buckets; the last one takes everything slower. Fine under a
 * second, where a receipt faster than a handset can answer is told apart from a real one.
 */
export const LATENCY_BOUNDS_MS = [100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, Infinity] as const;

export const NO_COUNTS: QualityCounts = { submits: 0, segments: 0, delivered: 0, undelivered: 0, unknown: 0, cost: 0, latency: LATENCY_BOUNDS_MS.map(() => 0), errors: {} };

/** Days of counters kept, and so the longest window read: older hours are deleted. */
export const QUALITY_MEMORY_DAYS = 90;

/** The UTC hour (since 1970-01-01) counters of `at` are kept under. */
export const hourOf = (at: number): number => Math.floor(at / 3_600_000);

/** The bucket a delivered receipt `ms` after its submit falls in. */
export function latencyBucket(ms: number): number {
  return LATENCY_BOUNDS_MS.findIndex((bound) => ms < bound);
}

export function addCounts(a: QualityCounts, b: QualityCounts): QualityCounts {
  const errors: Record<string, number> = { ...a.errors };
  for (const [code, n] of Object.entries(b.errors)) errors[code] = (errors[code] ?? 0) + n;
  return {
    submits: a.submits + b.submits,
    segments: a.segments + b.segments,
    delivered: a.delivered + b.delivered,
    undelivered: a.undelivered + b.undelivered,
    unknown: a.unknown + b.unknown,
    cost: a.cost + b.cost,
    latency: a.latency.map((n, i) => n + (b.latency[i] ?? 0)),
    errors,
  };
}

/** `a` less `b`, never under zero (a window's oldest hour may have left `a` since `b` was read). */
export function subtractCounts(a: QualityCounts, b: QualityCounts): QualityCounts {
  const errors: Record<string, number> = {};
  for (const [code, n] of Object.entries(a.errors)) if (n - (b.errors[code] ?? 0) > 0) errors[code] = n - (b.errors[code] ?? 0);
  const less = (x: number, y: number) => Math.max(0, x - y);
  return {
    submits: less(a.submits, b.submits),
    segments: less(a.segments, b.segments),
    delivered: less(a.delivered, b.delivered),
    undelivered: less(a.undelivered, b.undelivered),
    unknown: less(a.unknown, b.unknown),
    cost: less(a.cost, b.cost),
    latency: a.latency.map((n, i) => less(n, b.latency[i] ?? 0)),
    errors,
  };
}

/** Outcomes known: delivered, undelivered and unknown. */
export const outcomes = (c: QualityCounts): number => c.delivered + c.undelivered + c.unknown;

/** Delivered among the outcomes known; null before any. An unknown outcome counts as not delivered: it was paid and not confirmed. */
export const deliveryRate = (c: QualityCounts): number | null => (outcomes(c) === 0 ? null : c.delivered / outcomes(c));

/**
 * The latency (ms) under which a share `q` of the delivered receipts came: the upper bound of the
 * bucket where the count reaches it (null without receipts; Infinity when it is the last bucket).
 */
export function latencyPercentile(c: QualityCounts, q: number): number | null {
  const total = c.latency.reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (let i = 0; i < c.latency.length; i++) {
    seen += c.latency[i]!;
    if (seen >= q * total) return LATENCY_BOUNDS_MS[i]!;
  }
  return Infinity;
}

/** Delivered receipts that came faster than `ms` (bucket bounds at or under it). */
export function deliveredFasterThan(c: QualityCounts, ms: number): number {
  return c.latency.reduce((s, n, i) => (LATENCY_BOUNDS_MS[i]! <= ms ? s + n : s), 0);
}

/** What one delivered message cost (micro-units), null before any delivery. */
export const costPerDelivered = (c: QualityCounts): number | null => (c.delivered === 0 ? null : c.cost / c.delivered);

/** Every count times `f`: older evidence weighing less. */
export function scaleCounts(c: QualityCounts, f: number): QualityCounts {
  return {
    submits: c.submits * f,
    segments: c.segments * f,
    delivered: c.delivered * f,
    undelivered: c.undelivered * f,
    unknown: c.unknown * f,
    cost: c.cost * f,
    latency: c.latency.map((n) => n * f),
    errors: Object.fromEntries(Object.entries(c.errors).map(([code, n]) => [code, n * f])),
  };
}
