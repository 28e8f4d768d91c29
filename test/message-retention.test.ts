import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rmSync } from 'node:fs';
import { bearer, eventually, inboundConfig, sendMo, tempDir, testNode, TestClock, type TestNode } from './helpers.js';
import type { Json } from './webhook-receiver.js';

// Messages, sent and received, are kept SWITCHBOARD_MESSAGE_RETENTION_DAYS once final (for ever
// by default): a node deletes older ones as it starts and every minute after.

const DAY = 86_400_000;

const call = async (node: TestNode, method: 'GET' | 'POST', url: string, payload?: Json) => {
  const res = await node.api.inject({ method, url, headers: bearer(node.key), ...(payload && { payload }) });
  return { status: res.statusCode, body: res.json() as Json };
};

test('a node keeping messages one day, started two days after they were sent, deletes those final and keeps one scheduled for later', async () => {
  const dir = tempDir();
  const env = { SWITCHBOARD_CONFIG: inboundConfig() };
  let node = await testNode({ dir, env });
  const key = node.key;
  const restart = async (days: number, more: Record<string, string>) => {
    await node.close();
    const later = new TestClock();
    later.advance(days * DAY);
    node = { ...(await testNode({ dir, env: { ...env, ...more }, clock: later })), key };
  };
  try {
    const send = async (extra: Json = {}) => ((await call(node, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900000', text: 'Hi', ...extra })).body.messages[0].id as string);
    const delivered = await send();
    const scheduled = await send({ send_at: new Date(node.clock.now() + 30 * DAY).toISOString() });
    assert.equal((await call(node, 'POST', '/v1/numbers', { number: '+447700900201' })).status, 201);
    await sendMo(node, '+447700900002', '+447700900201', 'Stop');
    await eventually(async () => ((await call(node, 'GET', `/v1/messages/${delivered}`)).body.status === 'delivered' ? true : undefined), 10_000);
    const inbound = async () => ((await call(node, 'GET', '/v1/inbound')).body.messages as Json[]).map((m) => m.text);
    assert.deepEqual(await inbound(), ['Stop']);

    // Kept for ever unless told otherwise.
    await restart(2, {});
    assert.equal((await call(node, 'GET', `/v1/messages/${delivered}`)).status, 200);

    await restart(2, { SWITCHBOARD_MESSAGE_RETENTION_DAYS: '1' });
    await eventually(async () => ((await call(node, 'GET', `/v1/messages/${delivered}`)).status === 404 ? true : undefined), 10_000);
    assert.equal((await call(node, 'GET', `/v1/messages/${delivered}/events`)).status, 404);
    const waiting = await call(node, 'GET', `/v1/messages/${scheduled}`);
    assert.deepEqual([waiting.status, waiting.body.status], [200, 'scheduled']);
    await eventually(async () => ((await inbound()).length === 0 ? true : undefined), 10_000);
    assert.deepEqual(((await call(node, 'GET', '/v1/messages')).body.messages as Json[]).map((m) => m.id), [scheduled]);
  } finally {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
