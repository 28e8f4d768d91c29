import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ScriptedTelnyx } from './fakes/scripted-telnyx.js';
import { eventually } from './helpers.js';
import { getMessage, sendThrough, startCluster, type Cluster } from './processes.js';

// Receipts land anywhere: a provider's webhook for a message node A sent may reach node B, which
// finds the message in the shared database, even when it arrives before A has recorded the id.

describe('receipts across two nodes on PostgreSQL and Redis', () => {
  let telnyx: ScriptedTelnyx;
  let cluster: Cluster;
  let slow = new Set<string>();

  before(async () => {
    telnyx = new ScriptedTelnyx('KEY-cluster', (to) => ({ status: 200, delayMs: slow.has(to) ? 1500 : 0 }));
    telnyx.autoReceipts = false;
    await telnyx.listen();
    cluster = await startCluster('receipts', 2, {
      config:
        `connections:\n  - { name: tx, provider: telnyx, api_key: KEY-cluster, public_key: "${telnyx.publicKey}", base_url: "${telnyx.url}", tps: 100 }\n` +
        'routes:\n  - { name: all, connections: [tx] }\n',
    });
  });
  after(async () => {
    await cluster?.stop();
    await telnyx.close();
  });

  const receiptsAt = (n: number) => `${cluster.nodes[n]!.url}/v1/providers/telnyx/tx/receipts`;

  test("receipts for messages node A sent, posted to node B, deliver them, and B's events show them", async () => {
    const [a, b] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    const to = Array.from({ length: 10 }, (_, i) => `+4474001${String(i).padStart(5, '0')}`);
    const ids = await sendThrough(a, cluster.key, { from: '+14155552671', to, text: 'Hi' });
    const sent = await eventually(async () => {
      const ms = await Promise.all(ids.map((id) => getMessage(a, cluster.key, id)));
      return ms.every((m) => m.status === 'sent' && m.provider_message_id) ? ms : undefined;
    }, 10_000);
    // A sent them all: Telnyx was told to call A back.
    assert.deepEqual(new Set(telnyx.submits.map((s) => s.webhookUrl)), new Set([receiptsAt(0)]));
    for (const m of sent) {
      assert.equal(await telnyx.post(receiptsAt(1), telnyx.webhookBody('message.sent', telnyx.payload(m.provider_message_id, m.to, 'sent'))), 200);
      assert.equal(await telnyx.post(receiptsAt(1), telnyx.webhookBody('message.finalized', telnyx.payload(m.provider_message_id, m.to, 'delivered'))), 200);
    }
    const delivered = await eventually(async () => {
      const ms = await Promise.all(ids.map((id) => getMessage(b, cluster.key, id)));
      return ms.every((m) => m.status === 'delivered') ? ms : undefined;
    }, 10_000).catch(async (e: Error) => assert.fail(`${e.message}: ${JSON.stringify(await Promise.all(ids.map((id) => getMessage(b, cluster.key, id))))}`));
    for (const m of delivered) {
      const receipts = m.events.filter((e: { type: string }) => e.type === 'receipt');
      assert.deepEqual(
        receipts.map((e: { payload: { data: { event_type: string } } }) => e.payload.data.event_type),
        ['message.sent', 'message.finalized'],
        JSON.stringify(m.events),
      );
      assert.equal(receipts.at(-1).status, 'delivered');
      assert.equal(receipts.at(-1).detail.provider_message_id, m.provider_message_id);
    }
    assert.equal(telnyx.submits.length, 10, 'each message submitted once');
  });

  test('a receipt reaching node B before node A has the provider\'s answer is parked, and applied once A records the id', async () => {
    const [a, b] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    const to = '+447400299999';
    slow = new Set([to]);
    const [id] = await sendThrough(a, cluster.key, { from: '+14155552671', to, text: 'Hi' });
    // Telnyx has the request and its id, but holds its answer for 1.5 s.
    const submit = await eventually(async () => telnyx.submits.find((s) => s.to === to), 10_000);
    assert.ok(submit.id);
    const before = await getMessage(b, cluster.key, id!);
    assert.notEqual(before.status, 'sent');
    assert.equal(before.provider_message_id ?? null, null);
    assert.equal(await telnyx.post(receiptsAt(1), telnyx.webhookBody('message.finalized', telnyx.payload(submit.id, to, 'delivered'))), 200);
    const m = await eventually(async () => ((m) => (m.status === 'delivered' ? m : undefined))(await getMessage(b, cluster.key, id!)), 10_000).catch(async (e: Error) =>
      assert.fail(`${e.message}: ${JSON.stringify(await getMessage(b, cluster.key, id!))}`),
    );
    assert.equal(m.provider_message_id, submit.id);
    const receipt = m.events.find((e: { type: string }) => e.type === 'receipt');
    assert.equal(receipt.status, 'delivered');
    assert.equal(receipt.payload.data.event_type, 'message.finalized');
    assert.equal(telnyx.submits.filter((s) => s.to === to).length, 1);
  });
});
