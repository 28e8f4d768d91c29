import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ScriptedTelnyx } from './fakes/scripted-telnyx.js';
import { eventually } from './helpers.js';
import { getMessage, sendThrough, startCluster, type Cluster, type ServerProcess } from './processes.js';

// Receipts land anywhere: a provider's webhook for a message one node sent may reach the other,
// which finds the message in the shared database, even when it arrives before the sender has
// recorded the id. Which node sends a message is not which node took the request: any node may
// claim it first. The callback URL the provider was given names the sender, so each receipt here
// goes to the other node.

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

  const receiptsAt = (node: ServerProcess) => `${node.url}/v1/providers/telnyx/tx/receipts`;
  /** The node that did not send to `to`, known by the callback URL its submit gave the provider. */
  const otherThanSender = (to: string): ServerProcess => {
    const submit = telnyx.submits.find((s) => s.to === to);
    const sender = cluster.nodes.find((n) => receiptsAt(n) === submit?.webhookUrl);
    assert.ok(sender, `the submit to ${to} names a node's receipts route: ${submit?.webhookUrl}`);
    return cluster.nodes.find((n) => n !== sender)!;
  };

  test("receipts posted to the node that did not send their messages deliver them, and that node's events show them", async () => {
    const to = Array.from({ length: 10 }, (_, i) => `+4474001${String(i).padStart(5, '0')}`);
    const ids = await sendThrough(cluster.nodes[0]!, cluster.key, { from: '+14155552671', to, text: 'Hi' });
    const sent = await eventually(async () => {
      const ms = await Promise.all(ids.map((id) => getMessage(cluster.nodes[0]!, cluster.key, id)));
      return ms.every((m) => m.status === 'sent' && m.provider_message_id) ? ms : undefined;
    }, 10_000);
    const receiver = new Map(sent.map((m) => [m.id as string, otherThanSender(m.to)]));
    for (const m of sent) {
      const url = receiptsAt(receiver.get(m.id)!);
      assert.equal(await telnyx.post(url, telnyx.webhookBody('message.sent', telnyx.payload(m.provider_message_id, m.to, 'sent'))), 200);
      assert.equal(await telnyx.post(url, telnyx.webhookBody('message.finalized', telnyx.payload(m.provider_message_id, m.to, 'delivered'))), 200);
    }
    const read = () => Promise.all(ids.map((id) => getMessage(receiver.get(id)!, cluster.key, id)));
    const delivered = await eventually(async () => {
      const ms = await read();
      return ms.every((m) => m.status === 'delivered') ? ms : undefined;
    }, 10_000).catch(async (e: Error) => assert.fail(`${e.message}: ${JSON.stringify(await read())}`));
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

  test("a receipt reaching one node before the sender has the provider's answer is parked, and applied once the sender records the id", async () => {
    const to = '+447400299999';
    slow = new Set([to]);
    const [id] = await sendThrough(cluster.nodes[0]!, cluster.key, { from: '+14155552671', to, text: 'Hi' });
    // Telnyx has the request and its id, but holds its answer for 1.5 s.
    const submit = await eventually(async () => telnyx.submits.find((s) => s.to === to), 10_000);
    assert.ok(submit.id);
    const other = otherThanSender(to);
    const before = await getMessage(other, cluster.key, id!);
    assert.notEqual(before.status, 'sent');
    assert.equal(before.provider_message_id ?? null, null);
    assert.equal(await telnyx.post(receiptsAt(other), telnyx.webhookBody('message.finalized', telnyx.payload(submit.id, to, 'delivered'))), 200);
    const m = await eventually(async () => ((m) => (m.status === 'delivered' ? m : undefined))(await getMessage(other, cluster.key, id!)), 10_000).catch(async (e: Error) =>
      assert.fail(`${e.message}: ${JSON.stringify(await getMessage(other, cluster.key, id!))}`),
    );
    assert.equal(m.provider_message_id, submit.id);
    const receipt = m.events.find((e: { type: string }) => e.type === 'receipt');
    assert.equal(receipt.status, 'delivered');
    assert.equal(receipt.payload.data.event_type, 'message.finalized');
    assert.equal(telnyx.submits.filter((s) => s.to === to).length, 1);
  });
});
