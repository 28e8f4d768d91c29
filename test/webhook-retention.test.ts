import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rmSync } from 'node:fs';
import { bearer, eventually, tempDir, testNode, TestClock, type TestNode } from './helpers.js';
import { FAST_WEBHOOKS, Receiver, type Json } from './webhook-receiver.js';

// The webhook log is kept SWITCHBOARD_WEBHOOK_RETENTION_DAYS: a node deletes what is older as it
// starts and every minute after. Messages are not part of it.

const DAY = 86_400_000;
const env = { ...FAST_WEBHOOKS, SWITCHBOARD_WEBHOOK_RETENTION_DAYS: '1' };

const call = async (node: TestNode, method: 'GET' | 'POST', url: string, payload?: Json) => {
  const res = await node.api.inject({ method, url, headers: bearer(node.key), ...(payload && { payload }) });
  return { status: res.statusCode, body: res.json() as Json };
};

test('a node started two days after its webhook events were delivered, keeping them one day, deletes them and keeps the messages', async () => {
  const dir = tempDir();
  const receiver = await new Receiver().listen();
  let node = await testNode({ dir, env });
  try {
    assert.equal((await call(node, 'POST', '/v1/webhooks/endpoints', { url: receiver.url, events: ['message.queued'] })).status, 201);
    const sent = await call(node, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900001', text: 'Hi' });
    const messageId = sent.body.messages[0].id as string;
    const deliveries = async () => (await call(node, 'GET', `/v1/webhooks/deliveries?message_id=${messageId}`)).body.deliveries as Json[];
    await eventually(async () => ((await deliveries())[0]?.status === 'delivered' ? true : undefined), 15_000);
    const key = node.key;
    await node.close();

    const later = new TestClock();
    later.advance(2 * DAY);
    node = { ...(await testNode({ dir, env, clock: later })), key };
    await eventually(async () => ((await deliveries()).length === 0 ? true : undefined), 10_000);
    assert.equal((await call(node, 'GET', `/v1/messages/${messageId}`)).status, 200);
  } finally {
    await node.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
