import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, eventually, STORES, testNodeOn, type TestNode } from './helpers.js';

// What GET /v1/connections tells of each connection beyond its state: the TPS it uses on this
// node, and its delivery rate and receipt latency from the quality counters.

for (const storeName of STORES) {
  describe(`connection figures (${storeName})`, () => {
    let node: TestNode;
    const call = async (method: 'GET' | 'POST', url: string, payload?: object) =>
      (await node.api.inject({ method, url, headers: bearer(node.key), ...(payload && { payload }) })).json();
    before(async () => {
      node = await testNodeOn(storeName, { SWITCHBOARD_QUALITY_REFRESH_MS: '50' });
    });
    after(() => node.close());

    test('before any traffic: no TPS used, no rate, no latency', async () => {
      const [sandbox] = (await call('GET', '/v1/connections')).connections;
      assert.deepEqual([sandbox.name, sandbox.tps_used, sandbox.delivery_rate, sandbox.receipt_latency], ['sandbox', 0, null, { p50: null, p95: null }]);
    });

    test('after three messages delivered and one not: the submits per second of the last minute, a rate of 0.75, and the receipts\' latency', async () => {
      const sent = await call('POST', '/v1/messages', { from: 'Shop', to: ['+447700900000', '+447700900000', '+447700900000', '+447700900001'], text: 'Hi' });
      const ids = sent.messages.map((m: { id: string }) => m.id);
      await eventually(async () => ((await Promise.all(ids.map(async (id: string) => (await call('GET', `/v1/messages/${id}`)).status))).every((s) => s === 'delivered' || s === 'undelivered') ? true : undefined), 15_000);
      // The node reads the counters every 50 ms here: the rate shows once a read found all four.
      const sandbox = await eventually(async () => ((c) => (c.delivery_rate === 0.75 ? c : undefined))((await call('GET', '/v1/connections')).connections[0]), 15_000);
      assert.equal(sandbox.tps_used, Math.round((4 / 60) * 1000) / 1000);
      // The same receipts as the connection's quality shows (one destination here).
      const destinations = (await call('GET', '/v1/connections/sandbox/quality')).destinations;
      assert.equal(destinations.length, 1);
      assert.ok(sandbox.receipt_latency.p50 > 0 && sandbox.receipt_latency.p50 <= sandbox.receipt_latency.p95);
      assert.deepEqual(sandbox.receipt_latency, destinations[0].receipt_latency);
    });
  });
}
