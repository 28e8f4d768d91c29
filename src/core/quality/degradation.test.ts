import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latencyBucket, NO_COUNTS, type QualityCounts } from './counts.js';
import { detect, dropZ, recovered, tail } from './degradation.js';

const outcomes = (delivered: number, undelivered: number, submits = delivered + undelivered): QualityCounts => ({ ...NO_COUNTS, submits, delivered, undelivered });

test('a delivery rate well under the baseline is found by a two-proportion z-test; noise is not', () => {
  const baseline = outcomes(950, 50);
  const found = detect(baseline, outcomes(20, 30));
  assert.equal(found?.reason, 'delivery_rate_drop');
  assert.ok(found!.detail.z! > 3.09);
  // 88% on 50 after 95% on 1000: a dip within chance (z about 2.2), not a degradation.
  assert.equal(detect(baseline, outcomes(44, 6)), undefined);
  // Too few outcomes to tell, however bad.
  assert.equal(detect(baseline, outcomes(2, 8)), undefined);
  assert.ok(Math.abs(dropZ({ hits: 950, n: 1000 }, { hits: 20, n: 50 }) - 14.3) < 0.1);
  assert.ok(Math.abs(tail(3.09) - 0.001) < 0.0001);
});

test('receipts that stop coming are found against the baseline pace of outcomes', () => {
  const latency = NO_COUNTS.latency.map((_, i) => (i === latencyBucket(3000) ? 900 : 0));
  const baseline = { ...outcomes(900, 100, 1000), latency };
  const recent = { ...NO_COUNTS, submits: 60 };
  assert.equal(detect(baseline, recent, {}, { submits: 30, ms: 30_000 })?.reason, 'receipts_stopped');
  // Submits too fresh for their receipts: the baseline's p95 latency is longer than they had.
  assert.equal(detect(baseline, recent, {}, { submits: 30, ms: 4000 }), undefined);
  // A connection that seldom sends receipts: 30 submits without one is no surprise.
  assert.equal(detect({ ...outcomes(10, 0, 1000), latency }, recent, {}, { submits: 30, ms: 30_000 }), undefined);
});

test('delivered receipts faster than a handset answers are fabricated; the test is off without a floor', () => {
  const latency = NO_COUNTS.latency.map(() => 0);
  latency[latencyBucket(30)] = 40;
  latency[latencyBucket(3000)] = 2;
  const fast: QualityCounts = { ...NO_COUNTS, submits: 42, delivered: 42, latency };
  assert.equal(detect(outcomes(0, 0), fast, { handsetMinMs: 1000 })?.reason, 'fabricated_receipts');
  assert.equal(detect(outcomes(0, 0), fast), undefined);
});

test('a degraded connection recovers once what came since is no longer worse than its baseline', () => {
  const baseline = outcomes(950, 50);
  const finding = detect(baseline, outcomes(20, 30))!;
  assert.equal(recovered(finding, baseline, outcomes(10, 2)), false, 'too few outcomes yet');
  assert.equal(recovered(finding, baseline, outcomes(15, 15)), false);
  assert.equal(recovered(finding, baseline, outcomes(29, 1)), true);
});
