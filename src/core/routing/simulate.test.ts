import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO_COUNTS, type QualityCounts } from '../quality/counts.js';
import { seeded } from '../quality/random.js';
import type { QualityView } from '../quality/view.js';
import type { Route } from './router.js';
import { simulate } from './simulate.js';

const measured = (delivered: number, undelivered: number): QualityCounts => ({ ...NO_COUNTS, submits: delivered + undelivered, delivered, undelivered });
const RATES: Record<string, Record<string, QualityCounts>> = { good: { FR: measured(90, 10), DE: measured(80, 20) }, poor: { FR: measured(50, 50) } };
const view: QualityView = { counts: (c, country) => RATES[c]?.[country ?? ''], degraded: () => false };
const route = (name: string, strategy: Route['strategy'], connections: [string, number | null][], countries?: string[]): Route => ({
  name,
  match: countries ? { countries } : {},
  strategy,
  resendUnknown: false,
  connections: connections.map(([connection, price]) => ({ connection, priority: 1, weight: 1, price })),
});
const traffic = [
  { country: 'FR', network: undefined, messages: 1000, segments: 1200 },
  { country: 'DE', network: undefined, messages: 500, segments: 500 },
];

test('a table is replayed on the counted traffic: each destination to its route, delivered at the measured rates, priced by the table', () => {
  const s = simulate([route('fr', 'priority', [['poor', 0.01], ['good', 0.02]], ['FR']), route('rest', 'priority', [['good', 0.02]])], traffic, view, seeded(1));
  assert.equal(s.messages, 1500);
  assert.equal(s.delivered, 1000 * 0.5 + 500 * 0.8);
  assert.equal(s.deliveryRate, 900 / 1500);
  assert.equal(s.cost, 1200 * 10_000 + 500 * 20_000);
  assert.deepEqual(s.connections.map((c) => [c.connection, c.share]), [['poor', 1000 / 1500], ['good', 500 / 1500]]);
});

test('best is simulated by its own sampled decisions; what the counts cannot judge is said, not guessed', () => {
  const s = simulate([route('fr', 'best', [['poor', 0.01], ['good', 0.012]], ['FR'])], traffic, view, seeded(1));
  const good = s.connections.find((c) => c.connection === 'good')!;
  assert.ok(good.messages > 950, JSON.stringify(s.connections)); // 0.012 / 0.9 beats 0.01 / 0.5
  assert.equal(s.unrouted, 500, 'DE matches no route');
  const bySender = simulate([{ ...route('shop', 'priority', [['good', null]]), match: { senders: ['Shop'] } }], traffic, view, seeded(1));
  assert.equal(bySender.unrouted, 1500, 'a route matching on senders cannot be judged from the counts');
  const unmeasured = simulate([route('all', 'priority', [['poor', null]])], traffic, view, seeded(1));
  assert.equal(unmeasured.unmeasured, 500, 'poor was never measured for DE');
  assert.equal(unmeasured.deliveryRate, 0.5);
});
