import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connector, ConnectorContext, OutboundMessage, SubmitResult } from '../src/app/connector.js';
import { bearer, eventually, testNode, type TestNode } from './helpers.js';

/** A carrier the test drives by hand: it holds submit answers and sends receipts when told. */
class ManualCarrier implements Connector {
  readonly name = 'manual';
  readonly provider = 'sandbox';
  readonly tps = Number.POSITIVE_INFINITY;
  readonly window = 100;
  readonly ready = true;
  readonly webhooks = null;
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
    return this.context.receipt({ providerMessageId: id, status: { provider: 'sandbox', context: 'receipt', code }, occurredAt: Date.now(), raw: { id, code } });
  }
}

describe('delivery receipts', () => {
  let node: TestNode;
  const carrier = new ManualCarrier();
  before(async () => {
    node = await testNode({ connectors: [carrier] });
  });
  after(() => node.close());

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
});
