import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO_COUNTS, type QualityCounts } from '../quality/counts.js';
import { seeded } from '../quality/random.js';
import type { QualityView } from '../quality/view.js';
import { orderBest } from './best.js';
import type { RouteTarget } from './router.js';

const target = (connection: string, price: number | null): RouteTarget => ({ connection, priority: 1, weight: 1, price });
const measured = (delivered: number, undelivered: number): QualityCounts => ({ ...NO_COUNTS, submits: delivered + undelivered, delivered, undelivered });
const view = (counts: Record<string, QualityCounts>, degraded: string[] = []): QualityView => ({
  counts: (c) => counts[c],
  degraded: (c) => degraded.includes(c),
});
const FR = { country: 'FR', network: undefined };

/** How many of `n` messages each connection takes first. */
function shares(targets: RouteTarget[], v: QualityView, settings = {}, n = 10_000, seed = 1): Record<string, number> {
  const random = seeded(seed);
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const first = orderBest(targets, v, FR, settings, random)[0]!.connection;
    out[first] = (out[first] ?? 0) + 1;
  }
  return out;
}

test('best sends to the lowest expected cost per delivered message, not the lowest price', () => {
  // cheap: 0.030 / 0.60 = 0.050 per delivered; dear: 0.040 / 0.97 = 0.041.
  const targets = [target('cheap', 0.03), target('dear', 0.04)];
  const s = shares(targets, view({ cheap: measured(600, 400), dear: measured(970, 30) }));
  assert.ok(s.dear! > 9900, JSON.stringify(s));
  // The same under the same seed: decisions are reproducible.
  assert.deepEqual(shares(targets, view({ cheap: measured(600, 400), dear: measured(970, 30) })), s);
});

test('connections not measured yet are explored, by their wide posteriors, against a measured one', () => {
  const s = shares([target('known', 0.04), target('new', 0.04)], view({ known: measured(900, 100) }));
  assert.ok(s.new! > 500 && s.new! < 5000, JSON.stringify(s));
});

test('a degraded connection, or one under the floors, gets only the exploration share', () => {
  const targets = [target('a', 0.03), target('b', 0.04)];
  const counts = { a: measured(950, 50), b: measured(950, 50) };
  const degraded = shares(targets, view(counts, ['a']));
  assert.ok(Math.abs(degraded.a! / 10_000 - 0.05) < 0.01, JSON.stringify(degraded));
  const none = shares(targets, view(counts, ['a']), { exploration: 0 });
  assert.equal(none.a, undefined);
  const allowed = shares(targets, view(counts, ['a']), { avoidDegraded: false });
  assert.ok(allowed.a! > 9900);
  const floor = shares(targets, view({ a: measured(700, 300), b: measured(950, 50) }), { minDeliveryRate: 0.9, exploration: 0.02 });
  // The exploration share, and the few draws where b's own rate falls under the floor too (both set aside: cheaper first).
  assert.ok(floor.a! / 10_000 > 0.015 && floor.a! / 10_000 < 0.035, JSON.stringify(floor));
});

test('the latency floor sets aside a connection whose p95 receipt latency is over it', () => {
  const slow = { ...measured(100, 0), latency: NO_COUNTS.latency.map((_, i) => (i === 8 ? 100 : 0)) };
  const s = shares([target('slow', 0.01), target('quick', 0.04)], view({ slow, quick: measured(100, 0) }), { maxReceiptLatencyMs: 30_000, exploration: 0 });
  assert.deepEqual(s, { quick: 10_000 });
});
