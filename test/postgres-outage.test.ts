import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearer, dropTestSchema, eventually, testNode, TEST_DATABASE_URL } from './helpers.js';
import { relayTo } from './relay.js';

test('while PostgreSQL is out of reach the API answers 503 service_unavailable with Retry-After; once it is back, the node goes on without a restart', async () => {
  const url = new URL(TEST_DATABASE_URL);
  const db = await relayTo(url.hostname, Number(url.port || 5432));
  const relayed = new URL(TEST_DATABASE_URL);
  relayed.host = `127.0.0.1:${db.port}`;
  const schema = `outage_${process.pid}_${Date.now()}`;
  const node = await testNode({ env: { SWITCHBOARD_DATABASE_URL: relayed.href, SWITCHBOARD_DATABASE_SCHEMA: schema } });
  const send = (to: string) => node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Outage', to, text: 'Hi' } });
  const status = async (id: string) => ((await node.api.inject({ url: `/v1/messages/${id}`, headers: bearer(node.key) })).json() as { status: string }).status;
  const idOf = (res: Awaited<ReturnType<typeof send>>) => (res.json() as { messages: { id: string }[] }).messages[0]!.id;
  try {
    const before = await send('+447400300000');
    assert.equal(before.statusCode, 202, before.body);

    await db.cut();
    for (const res of [await send('+447400300001'), await node.api.inject({ url: `/v1/messages/${idOf(before)}`, headers: bearer(node.key) })]) {
      assert.equal(res.statusCode, 503, res.body);
      assert.equal((res.json() as { error: { code: string } }).error.code, 'service_unavailable');
      assert.equal(res.headers['retry-after'], '1');
    }

    await db.restore();
    const after = await eventually(async () => {
      const res = await send('+447400300002');
      return res.statusCode === 202 ? res : undefined;
    }, 10_000);
    for (const id of [idOf(before), idOf(after)]) await eventually(async () => ((await status(id)) === 'delivered' ? true : undefined), 10_000);
  } finally {
    await db.restore();
    await node.close();
    await db.close();
    await dropTestSchema(schema);
  }
});
