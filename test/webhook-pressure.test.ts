import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bearer, eventually, freePort, testNode, type TestNode } from './helpers.js';
import { FAST_WEBHOOKS, Receiver } from './webhook-receiver.js';

// While accepting and sending are short of the node's time, a webhook backlog drains with what
// they leave: its posts in flight drop to a sixty-fourth of the settings, and grow back once the
// pressure is off. Live events are not held back. (The pressure is given here; a node measures it.)

const SLOTS = { SWITCHBOARD_WEBHOOK_CONCURRENCY: '64', SWITCHBOARD_WEBHOOK_TARGET_CONCURRENCY: '16' };

async function sendMany(node: TestNode, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Shop', to: '+447700900000', text: 'Hi' } });
    assert.equal(res.statusCode, 202, res.body);
  }
}

async function endpoint(node: TestNode, url: string): Promise<void> {
  const res = await node.api.inject({ method: 'POST', url: '/v1/webhooks/endpoints', headers: bearer(node.key), payload: { url, events: ['message.queued'] } });
  assert.equal(res.statusCode, 201, res.body);
}

/** Every post held 100 ms before its 204, so that posts in flight can be counted. */
const slow = (n: number) => Array.from({ length: n }, () => ({ afterMs: 100 }));

describe('webhook posts under pressure', () => {
  test('a backlog drains one post at a time while live work is pressed, and at full pace once it is not', async () => {
    let pressed = true;
    const node = await testNode({ env: { ...FAST_WEBHOOKS, ...SLOTS }, pressed: () => pressed });
    const port = await freePort();
    const receiver = new Receiver(slow(200));
    try {
      // The endpoint is down while the events are made, and comes back a minute later.
      await endpoint(node, `http://127.0.0.1:${port}/hooks`);
      await sendMany(node, 150);
      node.clock.advance(60_000);
      await receiver.listen(port);
      // The share drops within 100 ms of the backlog being found; then it holds.
      await eventually(async () => (receiver.requests.length >= 60 ? true : undefined), 10_000);
      receiver.peak = receiver.inFlight;
      const from = receiver.requests.length;
      await eventually(async () => (receiver.requests.length >= from + 5 ? true : undefined), 10_000);
      assert.equal(receiver.peak, 1, 'one post at a time (16 per target / 64, at least one)');
      pressed = false;
      await eventually(async () => (receiver.inFlight > 1 ? true : undefined), 5_000);
      await eventually(async () => (receiver.requests.length >= 150 ? true : undefined), 10_000);
    } finally {
      await node.close();
      await receiver.close();
    }
  });

  test('live events go at full pace under pressure', async () => {
    const node = await testNode({ env: { ...FAST_WEBHOOKS, ...SLOTS }, pressed: () => true });
    const receiver = await new Receiver(slow(100)).listen();
    try {
      await endpoint(node, receiver.url);
      await sendMany(node, 60);
      await eventually(async () => (receiver.requests.length >= 60 ? true : undefined), 10_000);
      assert.equal(receiver.peak, 16, 'the setting per target');
    } finally {
      await node.close();
      await receiver.close();
    }
  });
});
