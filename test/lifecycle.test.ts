import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, eventually, testNode, type TestNode } from './helpers.js';

describe('message lifecycle through the sandbox', () => {
  let node: TestNode;
  before(async () => {
    node = await testNode();
  });
  after(() => node.close());

  async function send(body: Record<string, unknown>): Promise<string> {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Switchboard', text: 'Hi', ...body } });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().messages[0].id;
  }

  async function get(id: string) {
    const res = await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) });
    assert.equal(res.statusCode, 200);
    return res.json();
  }

  async function until(id: string, status: string) {
    return eventually(async () => {
      const m = await get(id);
      return m.status === status ? m : undefined;
    });
  }

  const outcomes: [string, string, string | null][] = [
    ['+447700900000', 'delivered', null],
    ['+447700900001', 'undelivered', 'unknown_subscriber'],
    ['+447700900003', 'undelivered', 'carrier_rejected'],
    ['+447700900005', 'rejected', 'destination_barred'],
    ['+447700900007', 'undelivered', 'handset_storage_full'],
    ['+447700900009', 'rejected', 'sender_not_authorized'],
    ['+447911123456', 'delivered', null],
  ];
  for (const [to, status, code] of outcomes) {
    test(`${to} ends ${status}${code ? ` with ${code}` : ''}`, async () => {
      const m = await until(await send({ to }), status);
      assert.equal(m.error?.code ?? null, code);
      if (code) {
        assert.equal(m.error.provider.source, 'sandbox');
        assert.match(m.error.doc_url, new RegExp(`/docs/errors/${code}$`));
      }
    });
  }

  test('every transition is an event with its time and the raw provider payload', async () => {
    const m = await until(await send({ to: '+447700900001' }), 'undelivered');
    assert.deepEqual(m.events.map((e: { type: string }) => e.type), ['queued', 'sending', 'sent', 'receipt']);
    const receipt = m.events[3];
    assert.equal(receipt.status, 'undelivered');
    assert.equal(receipt.error.code, 'unknown_subscriber');
    assert.equal(receipt.payload.status, 'UNKNOWN_SUBSCRIBER');
    assert.equal(m.events[0].detail.route, 'default');
    assert.equal(m.provider_message_id, receipt.payload['message-id']);
  });

  test('absent subscriber is a temporary error: sent again with backoff until the retries are spent', async () => {
    const m = await until(await send({ to: '+447700900002' }), 'undelivered');
    assert.equal(m.error.code, 'absent_subscriber');
    assert.equal(m.error.permanent, false);
    assert.equal(m.attempts, 5);
    const retries = m.events.filter((e: { type: string }) => e.type === 'retry_scheduled');
    assert.equal(retries.length, 4);
    assert.ok(retries.every((e: { status: string; error: { code: string } }) => e.status === 'queued' && e.error.code === 'absent_subscriber'));
    assert.equal(m.events.at(-1).detail.why, 'gave up after 5 attempts');
  });

  test('a permanent failure in a receipt is never retried', async () => {
    const m = await until(await send({ to: '+447700900001' }), 'undelivered');
    assert.equal(m.attempts, 1);
    assert.equal(m.events.filter((e: { type: string }) => e.type === 'retry_scheduled').length, 0);
  });

  test('a throttled submit is retried later, then delivered', async () => {
    const id = await send({ to: '+447700900006' });
    // While it waits, it says so: its attempts and when the next one comes.
    const waiting = await eventually(async () => ((w) => (w.status === 'queued' && w.attempts === 1 ? w : undefined))(await get(id)));
    const scheduled = waiting.events.find((e: { type: string }) => e.type === 'retry_scheduled');
    assert.equal(waiting.next_attempt_at, scheduled.detail.retry_at);
    assert.equal(scheduled.detail.attempts, 1);
    const m = await until(id, 'delivered');
    assert.equal(m.next_attempt_at, null);
    assert.equal(m.attempts, 2);
    const retry = m.events.find((e: { type: string }) => e.type === 'retry_scheduled');
    assert.equal(retry.error.code, 'rate_limit_exceeded');
  });

  test('a message without a final receipt expires after its validity', async () => {
    const id = await send({ to: '+447700900004', validity: 60 });
    await until(id, 'sent');
    node.clock.advance(61_000);
    const m = await until(id, 'expired');
    assert.equal(m.error.code, 'message_expired');
    node.clock.offset = 0;
  });

  test('a scheduled message waits for send_at, then goes', async () => {
    const sendAt = new Date(node.clock.now() + 60_000).toISOString();
    const id = await send({ to: '+447700900000', send_at: sendAt });
    const waiting = await get(id);
    assert.equal(waiting.status, 'scheduled');
    assert.equal(waiting.send_at, sendAt);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await get(id)).status, 'scheduled');
    node.clock.advance(60_000);
    const m = await until(id, 'delivered');
    assert.deepEqual(m.events.map((e: { type: string }) => e.type).slice(0, 3), ['scheduled', 'queued', 'sending']);
    node.clock.offset = 0;
  });

  test('cancel: a scheduled message is canceled; a delivered one answers message_not_cancelable', async () => {
    const id = await send({ to: '+447700900000', send_at: new Date(node.clock.now() + 3_600_000).toISOString() });
    const res = await node.api.inject({ method: 'POST', url: `/v1/messages/${id}/cancel`, headers: bearer(node.key) });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'canceled');
    const again = await node.api.inject({ method: 'POST', url: `/v1/messages/${id}/cancel`, headers: bearer(node.key) });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'message_not_cancelable');

    const done = await send({ to: '+447700900000' });
    await until(done, 'delivered');
    const late = await node.api.inject({ method: 'POST', url: `/v1/messages/${done}/cancel`, headers: bearer(node.key) });
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().error.code, 'message_not_cancelable');
    assert.match(late.json().error.message, /delivered/);
  });

  test('an unknown message id answers message_not_found', async () => {
    const res = await node.api.inject({ method: 'GET', url: '/v1/messages/msg_nope', headers: bearer(node.key) });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'message_not_found');
  });
});
