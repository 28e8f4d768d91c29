import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addCounts, deliveredFasterThan, deliveryRate, latencyBucket, latencyPercentile, NO_COUNTS, subtractCounts, type QualityCounts } from './counts.js';

const withLatencies = (ms: readonly number[]): QualityCounts => {
  const latency = NO_COUNTS.latency.map(() => 0);
  for (const m of ms) latency[latencyBucket(m)]! += 1;
  return { ...NO_COUNTS, delivered: ms.length, latency };
};

test('percentiles come out of the fixed buckets: the bound of the bucket where the count reaches the share', () => {
  const c = withLatencies([...Array(50).fill(1500), ...Array(45).fill(4000), ...Array(5).fill(50_000)]);
  assert.equal(latencyPercentile(c, 0.5), 2000);
  assert.equal(latencyPercentile(c, 0.95), 5000);
  assert.equal(latencyPercentile(c, 0.99), 60_000);
  assert.equal(latencyPercentile(NO_COUNTS, 0.5), null);
  assert.equal(latencyPercentile(withLatencies([7_200_000]), 0.5), Infinity);
  assert.equal(deliveredFasterThan(withLatencies([50, 300, 900, 1500]), 1000), 3);
});

test('counts add and subtract per field and per error, never under zero', () => {
  const a: QualityCounts = { ...NO_COUNTS, submits: 10, delivered: 6, undelivered: 3, unknown: 1, errors: { unknown_subscriber: 2, absent_subscriber: 1 } };
  const b: QualityCounts = { ...NO_COUNTS, submits: 4, delivered: 4, errors: { unknown_subscriber: 1 } };
  const sum = addCounts(a, b);
  assert.equal(sum.submits, 14);
  assert.deepEqual(sum.errors, { unknown_subscriber: 3, absent_subscriber: 1 });
  assert.deepEqual(subtractCounts(sum, a), { ...b, errors: { unknown_subscriber: 1 } });
  assert.equal(subtractCounts(b, a).delivered, 0);
  assert.equal(deliveryRate(a), 0.6);
  assert.equal(deliveryRate(NO_COUNTS), null);
});
