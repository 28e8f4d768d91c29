import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, eventually, STORES, testNodeOn, type TestNode } from './helpers.js';

// The overview is read from hourly counters kept as messages are accepted and end: what it shows
// must add up to what happened to the messages.

for (const storeName of STORES) {
  describe(`the overview (${storeName})`, () => {
    let node: TestNode;
    before(async () => {
      node = await testNodeOn(storeName, {});
    });
    after(() => node.close());

    test('counts each message in the hour it was accepted, and how it ended, under its canonical error', async () => {
      const to = ['+447700900000', '+447700900000', '+447700900001', '+447700900003'];
      const sent = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Shop', to, text: 'Hi' } });
      assert.equal(sent.statusCode, 202);
      const ids: string[] = sent.json().messages.map((m: { id: string }) => m.id);
      await eventually(async () => {
        const statuses = await Promise.all(ids.map(async (id) => (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json().status));
        return statuses.every((s) => s === 'delivered' || s === 'undelivered') ? true : undefined;
      });
      const res = await node.api.inject({ method: 'GET', url: '/v1/overview?hours=2', headers: bearer(node.key) });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.deepEqual(body.total, { messages: 4, delivered: 2, failed: 2, unknown: 0, delivery_rate: 0.5, charged: '0.000000' });
      assert.equal(body.hours.length, 2);
      assert.equal(body.hours[1].messages, 4);
      assert.deepEqual(body.errors.map((e: { code: string; failed: number }) => [e.code, e.failed]).sort(), [['carrier_rejected', 1], ['unknown_subscriber', 1]]);
      assert.deepEqual(body.connections.map((c: { connection: string; messages: number }) => [c.connection, c.messages]), [['sandbox', 4]]);
    });

    test('a period outside 1 hour to 90 days is refused, naming hours', async () => {
      for (const hours of ['0', '2161', 'x']) {
        const res = await node.api.inject({ method: 'GET', url: `/v1/overview?hours=${hours}`, headers: bearer(node.key) });
        assert.deepEqual([res.statusCode, res.json().error.code, res.json().error.param], [400, 'invalid_parameter', 'hours'], hours);
      }
    });
  });
}
