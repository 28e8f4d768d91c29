import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connector, ConnectorContext, OutboundMessage, SubmitResult } from '../src/app/connector.js';
import type { ReportedCode } from '../src/core/catalogue/interpret.js';
import { bearer, eventually, testNode, type TestNode } from './helpers.js';
import { FAST_WEBHOOKS, Receiver, type Json } from './webhook-receiver.js';

/** A carrier the test drives by hand: it holds submit answers and sends receipts when told. */
class ManualCarrier implements Connector {
  readonly name = 'manual';
  readonly provider = 'sandbox';
  readonly tps = Number.POSITIVE_INFINITY;
  readonly window = 100;
  readonly ready = true;
  readonly webhooks = null;
  readonly lookups = null;
  readonly capabilities = { receipts: true, unicode: true, maxParts: 10 };
  context!: ConnectorContext;
  readonly sent: OutboundMessage[] = [];
  #next = 1;
  /** Resolves the submit answer; until then the message stays in `sending`. */
  gate: Promise<void> = Promise.resolve();

  async start(context: ConnectorContext): Promise<void> {
    this.context = context;
  }
  async send(message: OutboundMessage): Promise<SubmitResult> {
    this.sent.push(message);
    const ids = message.parts.map(() => `M${this.#next++}`);
    await this.gate;
    return { kind: 'accepted', providerMessageIds: ids };
  }
  async stop(): Promise<void> {}
  receipt(id: string, code: string): Promise<void> {
    return this.report(id, { provider: 'sandbox', context: 'receipt', code });
  }
  /** A receipt in any provider's codes. */
  report(id: string, status: ReportedCode): Promise<void> {
    return this.context.receipt({ providerMessageId: id, status, occurredAt: Date.now(), raw: { id, ...status } });
  }
}

describe('delivery receipts', () => {
  let node: TestNode;
  const carrier = new ManualCarrier();
  before(async () => {
    node = await testNode({ connectors: [carrier], env: FAST_WEBHOOKS });
  });
  /** Endpoints' receivers, closed at the end even when a test fails. */
  const receivers: Receiver[] = [];
  after(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await node.close();
  });

  async function send(text = 'Hi'): Promise<string> {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Switchboard', to: '+447911123456', text } });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().messages[0].id;
  }
  const message = async (id: string) => (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
  const until = (id: string, status: string) => eventually(async () => ((await message(id)).status === status ? message(id) : undefined));

  test('a receipt that overtakes the submit answer is kept and applied once the id is known', async () => {
    let open!: () => void;
    carrier.gate = new Promise((r) => (open = r));
    const id = await send();
    await until(id, 'sending');
    const sent = carrier.sent.length;
    await carrier.receipt(`M${sent}`, 'DELIVERED'); // the submit answer has not come back yet
    assert.equal((await message(id)).status, 'sending');
    open();
    const m = await until(id, 'delivered');
    assert.deepEqual(m.events.map((e: { type: string }) => e.type), ['queued', 'sending', 'sent', 'receipt']);
    carrier.gate = Promise.resolve();
  });

  test('a repeated or late receipt changes nothing once the status is final', async () => {
    const id = await send();
    await until(id, 'sent');
    const pid = (await message(id)).provider_message_id;
    await carrier.receipt(pid, 'UNKNOWN_SUBSCRIBER');
    await carrier.receipt(pid, 'UNKNOWN_SUBSCRIBER');
    await carrier.receipt(pid, 'DELIVERED');
    const m = await until(id, 'undelivered');
    assert.equal(m.error.code, 'unknown_subscriber');
    await eventually(async () => ((await message(id)).events.length === 6 ? true : undefined));
    const types = (await message(id)).events.map((e: { type: string }) => e.type);
    assert.deepEqual(types, ['queued', 'sending', 'sent', 'receipt', 'receipt_ignored', 'receipt_ignored']);
    assert.equal((await message(id)).status, 'undelivered');
  });

  test('a message in parts is delivered when every part is, and fails when one part fails', async () => {
    const long = 'a'.repeat(400); // 3 parts
    const ok = await send(long);
    await until(ok, 'sent');
    const first = Number(String((await message(ok)).provider_message_id).slice(1));
    await carrier.receipt(`M${first}`, 'DELIVERED');
    await carrier.receipt(`M${first + 1}`, 'DELIVERED');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await message(ok)).status, 'sent');
    await carrier.receipt(`M${first + 2}`, 'DELIVERED');
    await until(ok, 'delivered');

    const bad = await send(long);
    await until(bad, 'sent');
    const start = Number(String((await message(bad)).provider_message_id).slice(1));
    await carrier.receipt(`M${start + 1}`, 'UNKNOWN_SUBSCRIBER');
    const m = await until(bad, 'undelivered');
    assert.equal(m.error.code, 'unknown_subscriber');
    assert.equal(m.events.at(-1).detail.part, 2);
  });

  /** An endpoint taking `events`, and the verified events it got for one message, once there are `count`. */
  async function endpoint(events: string[]) {
    const receiver = await new Receiver().listen();
    receivers.push(receiver);
    const res = await node.api.inject({ method: 'POST', url: '/v1/webhooks/endpoints', headers: bearer(node.key), payload: { url: receiver.url, events } });
    assert.equal(res.statusCode, 201, res.body);
    const { secret } = res.json();
    const got = (id: string, count: number) =>
      eventually(async () => {
        const mine = receiver.verified(secret).filter((e: Json) => e.data.message.id === id);
        return mine.length >= count ? mine : undefined;
      });
    return got;
  }
  const metric = async (line: RegExp) => (await node.api.inject({ method: 'GET', url: '/metrics', headers: bearer(node.key) })).body.match(line)?.[1];
  const TWILIO_READ = { provider: 'twilio', context: 'message-status', code: 'read' };

  test('a read receipt after delivery makes the message read, with its message.read event; a late delivered receipt changes nothing', async () => {
    const got = await endpoint(['message.delivered', 'message.read']);
    const id = await send();
    const { provider_message_id: pid } = await until(id, 'sent');
    await carrier.receipt(pid, 'DELIVERED');
    await until(id, 'delivered');
    await carrier.report(pid, TWILIO_READ);
    await until(id, 'read');
    await carrier.receipt(pid, 'DELIVERED');
    const m = await eventually(async () => ((await message(id)).events.at(-1).type === 'receipt_ignored' ? message(id) : undefined));
    assert.equal(m.status, 'read', 'never back to delivered');
    assert.equal(m.error, null);
    const events = await got(id, 2);
    assert.deepEqual(events.map((e: Json) => [e.type, e.data.message.status]), [['message.delivered', 'delivered'], ['message.read', 'read']]);
    const listed = (await node.api.inject({ method: 'GET', url: '/v1/messages?status=read', headers: bearer(node.key) })).json();
    assert.deepEqual(listed.messages.map((x: Json) => x.id), [id]);
  });

  test('a read receipt that overtook the delivery receipt: read straight from sent; each message finishes once in the metrics', async () => {
    const id = await send();
    const { provider_message_id: pid } = await until(id, 'sent');
    await carrier.report(pid, TWILIO_READ);
    await until(id, 'read');
    await carrier.receipt(pid, 'DELIVERED');
    await eventually(async () => ((await message(id)).events.at(-1).type === 'receipt_ignored' ? true : undefined));
    assert.equal((await message(id)).status, 'read');
    // The message read after its delivery counted as delivered and as read; this one as read only.
    assert.equal(await metric(/^switchboard_messages_read_total (\d+)$/m), '2');
    assert.equal(await metric(/^switchboard_messages_finished_total\{status="read",error_code=""\} (\d+)$/m), '1');
  });

  test('a final receipt saying nobody knows (Telnyx delivery_unconfirmed) ends the message unknown: not a failure, not sent again, shown apart', async () => {
    const got = await endpoint(['message.unknown', 'message.undelivered']);
    const id = await send();
    const { provider_message_id: pid } = await until(id, 'sent');
    const submits = carrier.sent.length;
    await carrier.report(pid, { provider: 'telnyx', context: 'delivery-status', code: 'delivery_unconfirmed' });
    const m = await until(id, 'unknown');
    assert.equal(m.error.code, 'delivery_unknown');
    assert.equal(m.error.retry, 'never');
    assert.equal(m.attempts, 1);
    assert.equal(m.next_attempt_at, null);
    assert.equal(carrier.sent.length, submits, 'not sent again');
    const [event] = await got(id, 1);
    assert.equal(event!.type, 'message.unknown');
    assert.equal(await metric(/^switchboard_messages_finished_total\{status="unknown",error_code="delivery_unknown"\} (\d+)$/m), '1');
    assert.equal(await metric(/^switchboard_messages_finished_total\{status="undelivered",error_code="delivery_unknown"\} (\d+)$/m), undefined);
  });
});
