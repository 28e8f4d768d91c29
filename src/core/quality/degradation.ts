import { deliveredFasterThan, latencyPercentile, outcomes, type QualityCounts } from './counts.js';

/** Why a connection is degraded for a destination. */
export type DegradationReason = 'delivery_rate_drop' | 'receipts_stopped' | 'fabricated_receipts';

/** A test's finding: what it measured, for the event and the notice. */
export interface Finding {
  readonly reason: DegradationReason;
  readonly detail: Readonly<Record<string, number>>;
}

/** How sure a test must be, and of how much. */
export interface DegradationSettings {
  /** z (one-sided) a test must pass to call a connection degraded. Default 3.09 (p < 0.001). */
  readonly z?: number;
  /** Outcomes each side of a comparison needs before it is made. Default 20. */
  readonly minSamples?: number;
  /**
   * A delivered receipt faster than this (ms) cannot have come from a handset. Unset: the
   * fabricated-receipt test is off (a simulator answers as fast as it likes).
   */
  readonly handsetMinMs?: number;
}

const Z = 3.09;
/** Outcomes each side of a comparison needs by default. */
export const MIN_SAMPLES = 20;
/** Under this z a degraded connection counts as recovered: no longer even weakly worse. */
const Z_RECOVERED = 1.64;
/** Share of too-fast receipts tolerated (clock skew, a receipt batched with its submit answer). */
const FAST_TOLERATED = 0.05;
/** A drop smaller than this (absolute) is not worth moving traffic for, however sure. */
const MIN_DROP = 0.1;

/** One-sided two-proportion z: how far `recent`'s rate lies under `baseline`'s (pooled variance). */
export function dropZ(baseline: { hits: number; n: number }, recent: { hits: number; n: number }): number {
  const pooled = (baseline.hits + recent.hits) / (baseline.n + recent.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / baseline.n + 1 / recent.n));
  const drop = baseline.hits / baseline.n - recent.hits / recent.n;
  if (se === 0) return drop > 0 ? Infinity : 0;
  return drop / se;
}

const delivery = (c: QualityCounts) => ({ hits: c.delivered, n: outcomes(c) });

function rateDrop(baseline: QualityCounts, recent: QualityCounts, z: number, min: number): Finding | undefined {
  const b = delivery(baseline);
  const r = delivery(recent);
  if (b.n < min || r.n < min) return undefined;
  const found = dropZ(b, r);
  if (found < z || b.hits / b.n - r.hits / r.n < MIN_DROP) return undefined;
  return { reason: 'delivery_rate_drop', detail: { baseline_rate: b.hits / b.n, recent_rate: r.hits / r.n, baseline_outcomes: b.n, recent_outcomes: r.n, z: found } };
}

/**
 * Receipts that stopped: submits went out early in the recent window (`aged`: those that had
 * `agedMs` to get their answer, longer than the baseline's p95 receipt latency) and no outcome
 * came back in it, where the baseline's pace (outcomes per submit) makes that unlikely. Zero
 * outcomes for an expected `λ` has Poisson probability e^-λ, tested at the same level as the others.
 */
function receiptsStopped(baseline: QualityCounts, recent: QualityCounts, aged: Aged | undefined, z: number, min: number): Finding | undefined {
  if (!aged || baseline.submits < min || aged.submits < min || outcomes(recent) > 0) return undefined;
  if ((latencyPercentile(baseline, 0.95) ?? Infinity) >= aged.ms) return undefined;
  const expected = aged.submits * Math.min(1, outcomes(baseline) / baseline.submits);
  // e^-λ < Φ(-z): λ > -ln Φ(-z); for z = 3.09 that is about 6.9 outcomes expected.
  if (expected < -Math.log(tail(z))) return undefined;
  return { reason: 'receipts_stopped', detail: { aged_submits: aged.submits, expected_outcomes: expected } };
}

/** Delivered receipts faster than a handset could answer, significantly more than the share tolerated. */
function fabricated(counts: QualityCounts, handsetMinMs: number | undefined, z: number, min: number): Finding | undefined {
  if (handsetMinMs === undefined || counts.delivered < min) return undefined;
  const fast = deliveredFasterThan(counts, handsetMinMs);
  const share = fast / counts.delivered;
  const found = (share - FAST_TOLERATED) / Math.sqrt((FAST_TOLERATED * (1 - FAST_TOLERATED)) / counts.delivered);
  if (found < z) return undefined;
  return { reason: 'fabricated_receipts', detail: { fast_share: share, delivered: counts.delivered, handset_min_ms: handsetMinMs, z: found } };
}

/** The upper tail of the standard normal at z (Abramowitz and Stegun 26.2.17, error under 7.5e-8). */
export function tail(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const upper = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI) * poly;
  return z >= 0 ? upper : 1 - upper;
}

/** The submits of the recent window's start, that had at least `ms` to get an outcome by now. */
export interface Aged {
  readonly submits: number;
  readonly ms: number;
}

/**
 * Whether a connection looks degraded for a destination: its recent counts against its own
 * baseline (the counts before them in the window). The first finding, or undefined; without
 * `aged`, receipts that stopped are not looked for.
 */
export function detect(baseline: QualityCounts, recent: QualityCounts, settings: DegradationSettings = {}, aged?: Aged): Finding | undefined {
  const z = settings.z ?? Z;
  const min = settings.minSamples ?? MIN_SAMPLES;
  return rateDrop(baseline, recent, z, min) ?? receiptsStopped(baseline, recent, aged, z, min) ?? fabricated(recent, settings.handsetMinMs, z, min);
}

/**
 * Whether a degraded connection has recovered, from what came since it was found degraded
 * (`since`) against the baseline it was found with: enough outcomes, and none of the tests
 * still finds it even weakly worse.
 */
export function recovered(finding: Finding, baseline: QualityCounts, since: QualityCounts, settings: DegradationSettings = {}): boolean {
  const min = settings.minSamples ?? MIN_SAMPLES;
  if (outcomes(since) < min) return false;
  if (finding.reason === 'fabricated_receipts') return fabricated(since, settings.handsetMinMs, Z_RECOVERED, min) === undefined;
  const b = delivery(baseline);
  return b.n < min || dropZ(b, delivery(since)) < Z_RECOVERED;
}
