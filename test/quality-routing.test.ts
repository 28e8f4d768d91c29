import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DestinationProfile } from '../src/providers/sandbox/destinations.js';
import { SmscSimulator } from '../src/providers/smpp/simulator.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bearer, dropTestSchema, eventually, tempDir, TEST_DATABASE_URL, testNode, type TestNode } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Quality is read every 50 ms here, and what best learned halves every 2 s (30 min by default), so
 * that a test sees the board move within a few batches.
 */
const FAST_QUALITY = { SWITCHBOARD_QUALITY_REFRESH_MS: '50', SWITCHBOARD_QUALITY_HALF_LIFE_S: '2' };

/** A gateway driven through its API: connections with set delivery rates, batches to France, quality read back. */
function gateway(node: TestNode) {
  let sent = 0;
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: Json) => {
    const res = await node.api.inject({ method, url, headers: bearer(node.key), ...(payload && { payload }) });
    return { status: res.statusCode, body: res.json() as Json };
  };
  const carrier = async (name: string, profile: Json, seed: number) => {
    const res = await call('PUT', `/v1/connections/${name}`, { provider: 'sandbox', receipt_delay_ms: 10, seed, destinations: { '+33': { latency_ms: 10, ...profile } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const quality = async (name: string): Promise<Json | undefined> => (await call('GET', `/v1/connections/${name}/quality?country=FR`)).body.destinations[0];
  const outcomes = (q: Json | undefined) => (q ? q.delivered + q.undelivered + q.unknown : 0);
  /** Sends `n` messages to France and waits for all of their outcomes; returns how many each connection took. */
  const batch = async (n: number, names: readonly string[]): Promise<Record<string, number>> => {
    const to = Array.from({ length: n }, () => `+3361${String(100_000 + sent++).padStart(7, '0')}`);
    const res = await call('POST', '/v1/messages', { from: 'Switchboard', to, text: 'Hi' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const taken: Record<string, number> = {};
    for (const m of res.body.messages) taken[m.connection] = (taken[m.connection] ?? 0) + 1;
    await eventually(async () => ((await Promise.all(names.map(quality))).reduce((s, q) => s + outcomes(q), 0) >= sent ? true : undefined), 10_000);
    return taken;
  };
  const notices = async (type: string, connection: string): Promise<Json[]> =>
    (await call('GET', '/v1/notices')).body.notices.filter((n: Json) => n.type === type && n.detail.connection === connection);
  return { call, carrier, quality, batch, notices, sent: () => sent };
}

describe('routing on measured outcomes', () => {
  let node: TestNode;
  let gw: ReturnType<typeof gateway>;
  before(async () => {
    node = await testNode({ env: FAST_QUALITY });
    gw = gateway(node);
  });
  after(() => node.close());

  test('best moves traffic off a connection that degrades within a bounded number of messages, and back once it recovers', async () => {
    await gw.carrier('cheap', { delivery_rate: 0.95 }, 1);
    await gw.carrier('dear', { delivery_rate: 0.95 }, 2);
    const table = await gw.call('PUT', '/v1/routes', {
      routes: [
        { name: 'france', match: { countries: ['FR'] }, strategy: 'best', exploration: 0.2, connections: [{ connection: 'cheap', price: 0.03 }, { connection: 'dear', price: 0.04 }] },
        { name: 'rest', connections: ['sandbox'] },
      ],
    });
    assert.equal(table.status, 200, JSON.stringify(table.body));
    assert.equal(table.body.routes[0].exploration, 0.2);
    const names = ['cheap', 'dear'];
    for (let i = 0; i < 6; i++) await gw.batch(50, names);
    const learned = await gw.batch(100, names);
    assert.ok((learned.cheap ?? 0) > 75, `equal rates, lower price: cheap takes most (${JSON.stringify(learned)})`);

    // cheap starts losing most of France: it is found degraded by its own baseline, not by a threshold.
    await gw.carrier('cheap', { delivery_rate: 0.1 }, 3);
    const from = gw.sent();
    while ((await gw.notices('connection_degraded', 'cheap')).length === 0) {
      assert.ok(gw.sent() - from < 400, 'found degraded within 400 messages');
      await gw.batch(20, names);
    }
    const [notice] = await gw.notices('connection_degraded', 'cheap');
    assert.equal(notice!.detail.connection, 'cheap');
    assert.equal(notice!.detail.country, 'FR');
    assert.equal(notice!.detail.reason, 'delivery_rate_drop');
    const q = (await gw.quality('cheap'))!;
    assert.equal(q.degraded.reason, 'delivery_rate_drop');
    assert.ok(q.errors.unknown_subscriber > 0);
    const avoided = await gw.batch(200, names);
    assert.ok((avoided.cheap ?? 0) < 200 * 0.3, `only the exploration share goes to cheap (${JSON.stringify(avoided)})`);
    const metrics = await node.api.inject({ method: 'GET', url: '/metrics', headers: bearer(node.key) });
    assert.match(metrics.body, /switchboard_connection_degraded\{connection="cheap",country="FR",reason="delivery_rate_drop"\} 1/);
    const dearRate = Number(/switchboard_connection_delivery_rate\{connection="dear",country="FR"\} ([0-9.e-]+)/.exec(metrics.body)?.[1]);
    assert.ok(dearRate > 0.85 && dearRate <= 1, `dear's delivery rate in /metrics: ${metrics.body.split('\n').filter((l) => l.includes('dear')).join('; ')}`);

    // cheap delivers again: the exploration share finds it, and it takes most of France back.
    await gw.carrier('cheap', { delivery_rate: 0.95 }, 4);
    const fixed = gw.sent();
    while ((await gw.notices('connection_recovered', 'cheap')).length === 0) {
      assert.ok(gw.sent() - fixed < 1000, 'found recovered within 1,000 messages');
      await gw.batch(20, names);
    }
    assert.equal((await gw.quality('cheap'))!.degraded, null);
    // What was learned while it was degraded is forgotten at its recovery: it takes most of France
    // again within the messages needed to measure it, however slowly the past decays.
    const shares: number[] = [];
    for (let back = await gw.batch(50, names); (back.cheap ?? 0) < 30; back = await gw.batch(50, names)) {
      shares.push(back.cheap ?? 0);
      assert.ok(gw.sent() - fixed < 1500, `takes most back within 1,500 messages of its repair (its shares of each 50: ${shares.join(', ')})`);
    }
  });

  test('the quality of a connection answers per destination, and bad input answers the canonical error', async () => {
    const q = (await gw.quality('dear'))!;
    assert.equal(q.country, 'FR');
    assert.ok(q.submits > 0 && q.submits === q.delivered + q.undelivered + q.unknown);
    assert.ok(q.receipt_latency.p50 <= 0.5, 'receipts after 10 ms, and the time to record them');
    assert.match(q.cost_per_delivered, /^0\.04/);
    const unknown = await gw.call('GET', '/v1/connections/nowhere/quality');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
    const window = await gw.call('GET', '/v1/connections/dear/quality?window=91d');
    assert.equal(window.status, 400);
    assert.equal(window.body.error.param, 'window');
    const anonymous = await node.api.inject({ method: 'GET', url: '/v1/connections/dear/quality' });
    assert.equal(anonymous.statusCode, 401);
  });
});

describe('receipts faster than a handset', () => {
  test('a connection whose receipts come back faster than a handset answers is flagged as fabricated', async () => {
    const node = await testNode({ env: { ...FAST_QUALITY, SWITCHBOARD_HANDSET_MIN_MS: '1000' } });
    try {
      const gw = gateway(node);
      await gw.carrier('grey', { fake_receipts: true, latency_ms: 0 }, 1);
      assert.equal((await gw.call('PUT', '/v1/routes', { routes: [{ name: 'all', connections: ['grey'] }] })).status, 200);
      while ((await gw.notices('connection_degraded', 'grey')).length === 0) {
        assert.ok(gw.sent() < 400, 'flagged within 400 messages');
        await gw.batch(20, ['grey']);
      }
      const [notice] = await gw.notices('connection_degraded', 'grey');
      assert.equal(notice!.detail.reason, 'fabricated_receipts');
      assert.equal(notice!.detail.connection, 'grey');
      assert.ok(notice!.detail.fast_share > 0.9);
      assert.equal((await gw.quality('grey'))!.delivery_rate, 1, 'every receipt says delivered');
    } finally {
      await node.close();
    }
  });
});

describe('receipts that stop', () => {
  test('an SMSC whose receipts stop for a destination is found degraded against the pace it kept', async () => {
    // The simulator reads its profiles at each submit: this one changes mid-test.
    const france: { -readonly [K in keyof DestinationProfile]: DestinationProfile[K] } = { latencyMs: 10 };
    const smsc = new SmscSimulator({ port: 0, receiptDelayMs: 10, destinations: { '+33': france } });
    const port = await smsc.listen();
    const node = await testNode({ env: { SWITCHBOARD_QUALITY_REFRESH_MS: '100' } });
    try {
      const gw = gateway(node);
      const settings = { provider: 'smpp', host: '127.0.0.1', port, system_id: 'sb', password: 'pw', tps: 1000, window: 50, reconnect_min_ms: 50, reconnect_max_ms: 200 };
      assert.equal((await gw.call('PUT', '/v1/connections/smsc', settings)).status, 200);
      await eventually(async () => ((await gw.call('GET', '/v1/connections')).body.connections.find((c: Json) => c.name === 'smsc')?.up ? true : undefined));
      assert.equal((await gw.call('PUT', '/v1/routes', { routes: [{ name: 'all', connections: ['smsc'] }] })).status, 200);
      for (let i = 0; i < 4; i++) await gw.batch(50, ['smsc']);

      france.receipts = false;
      const stoppedAt = gw.sent();
      const send = async () => {
        const to = Array.from({ length: 20 }, (_, i) => `+3362${String(gw.sent() * 100 + i).padStart(7, '0')}`);
        assert.equal((await gw.call('POST', '/v1/messages', { from: 'Switchboard', to, text: 'Hi' })).status, 202);
      };
      let sent = 0;
      while ((await gw.notices('connection_degraded', 'smsc')).length === 0) {
        assert.ok(sent < 600, 'found within 600 messages without a receipt');
        await send();
        sent += 20;
        await new Promise((r) => setTimeout(r, 50));
      }
      const [notice] = await gw.notices('connection_degraded', 'smsc');
      assert.equal(notice!.detail.reason, 'receipts_stopped');
      const q = (await gw.quality('smsc'))!;
      assert.ok(q.submits >= stoppedAt + 20, 'the submits kept being counted');
    } finally {
      await node.close();
      await smsc.close();
    }
  });
});

describe('what-if', () => {
  test('a proposed table simulated on the measured quality matches its replay within 0.08 of the delivery rate', async () => {
    const node = await testNode({ env: FAST_QUALITY });
    try {
      const gw = gateway(node);
      await gw.carrier('good', { delivery_rate: 0.9 }, 5);
      await gw.carrier('poor', { delivery_rate: 0.5 }, 6);
      const names = ['good', 'poor'];
      // Today's table splits France evenly: both connections are measured.
      await gw.call('PUT', '/v1/routes', { routes: [{ name: 'fr', strategy: 'weighted', connections: ['good', 'poor'] }] });
      for (let i = 0; i < 4; i++) await gw.batch(100, names);

      const proposed = { routes: [{ name: 'fr', match: { countries: ['FR'] }, strategy: 'weighted', connections: [{ connection: 'good', weight: 3 }, { connection: 'poor', weight: 1, price: 0.01 }] }] };
      const sim = await gw.call('POST', '/v1/routes/simulate', { ...proposed, days: 1 });
      assert.equal(sim.status, 200, JSON.stringify(sim.body));
      assert.equal(sim.body.messages, 400);
      const share = Object.fromEntries(sim.body.connections.map((c: Json) => [c.connection, c.share]));
      assert.ok(Math.abs(share.good - 0.75) < 0.05, JSON.stringify(sim.body));
      assert.equal(sim.body.unrouted, 0);

      // The replay: the same traffic again under the proposed table, its outcomes counted apart.
      const before = await Promise.all(names.map(gw.quality));
      await gw.call('PUT', '/v1/routes', proposed);
      await gw.batch(400, names);
      const after = await Promise.all(names.map(gw.quality));
      const delivered = after.reduce((s, q, i) => s + q!.delivered - before[i]!.delivered, 0);
      const replayed = delivered / 400;
      assert.ok(Math.abs(replayed - sim.body.expected_delivery_rate) < 0.08, `simulated ${sim.body.expected_delivery_rate}, replayed ${replayed}`);

      const bad = await gw.call('POST', '/v1/routes/simulate', { routes: [{ name: 'x', connections: ['nowhere'] }] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.param, 'routes[0].connections[0]');
    } finally {
      await node.close();
    }
  });
});

describe('several nodes', () => {
  test('quality is shared through the database: what one node measured, another shows and routes on', async () => {
    const config = join(tempDir(), 'switchboard.yaml');
    writeFileSync(config, 'connections:\n  - { name: carrier, provider: sandbox, receipt_delay_ms: 10 }\nroutes:\n  - { name: all, strategy: best, connections: [carrier] }\n');
    const schema = `test_${process.pid}_${Date.now()}`;
    const env = { ...FAST_QUALITY, SWITCHBOARD_CONFIG: config, SWITCHBOARD_DATABASE_URL: TEST_DATABASE_URL, SWITCHBOARD_DATABASE_SCHEMA: schema };
    const a = await testNode({ env: { ...env, SWITCHBOARD_NODE_ID: 'a' } });
    const b = await testNode({ env: { ...env, SWITCHBOARD_NODE_ID: 'b' }, dir: a.dir });
    try {
      await gateway(a).batch(60, ['carrier']);
      const seen = (await gateway({ ...b, key: a.key }).quality('carrier'))!;
      assert.equal(seen.submits, 60);
      assert.equal(seen.delivered, 60);
      const metrics = async () => (await b.api.inject({ method: 'GET', url: '/metrics', headers: bearer(a.key) })).body;
      await eventually(async () => (/switchboard_connection_submits\{connection="carrier",country="FR"\} 60/.test(await metrics()) ? true : undefined));
    } finally {
      await b.stop();
      await a.close();
      await dropTestSchema(schema);
    }
  });
});
