import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, freePort } from './helpers.js';
import { startCluster, startServerProcess, type Cluster, type ServerProcess } from './processes.js';
import { NodeSmppClient, type NodeSmppPdu } from './clients/node-smpp.js';

// Two nodes as their own processes on one PostgreSQL and one Redis, each with its SMPP port: a
// credential's bind limit holds for both together, a receipt reaches the account's receiver on
// whichever node it is bound, and a node killed outright frees its binds and loses no receipt.

const ROK = 0;
const RBINDFAIL = 0x0d;

interface SmppNode {
  readonly process: ServerProcess;
  readonly smppPort: number;
}

describe('the SMPP server on two nodes', () => {
  let cluster: Cluster;
  const nodes: SmppNode[] = [];
  const clients: NodeSmppClient[] = [];

  async function startNode(i: number): Promise<SmppNode> {
    const [port, smppPort] = [await freePort(), await freePort()];
    const process = await startServerProcess(port, { ...cluster.env, SWITCHBOARD_NODE_ID: `node-${i}`, SWITCHBOARD_SMPP_PORT: String(smppPort), SWITCHBOARD_SANDBOX_RECEIPT_DELAY_MS: '20' });
    cluster.nodes.push(process);
    return { process, smppPort };
  }

  async function credential(body: Record<string, unknown>): Promise<{ key: string; secret: string }> {
    const res = await fetch(`${nodes[0]!.process.url}/v1/accounts/acct_default/credentials`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: 'smpp', ...body }),
    });
    assert.equal(res.status, 201);
    return (await res.json()) as { key: string; secret: string };
  }

  async function connect(node: SmppNode): Promise<NodeSmppClient> {
    const c = await NodeSmppClient.connect(node.smppPort);
    clients.push(c);
    return c;
  }

  const receiptIds = (delivered: readonly NodeSmppPdu[]) => delivered.map((p) => p.receipted_message_id as string);

  before(async () => {
    cluster = await startCluster('smppd', 0);
    nodes.push(await startNode(1), await startNode(2));
  });

  after(async () => {
    for (const c of clients) c.close();
    await cluster.stop();
  });

  test('the bind limit holds across the nodes', async () => {
    const cred = await credential({ bind_limit: 1 });
    const first = await connect(nodes[0]!);
    assert.equal(await first.bind('transceiver', cred.key, cred.secret), ROK);
    const second = await connect(nodes[1]!);
    assert.equal(await second.bind('transceiver', cred.key, cred.secret), RBINDFAIL);
    await first.request('unbind');
    await eventually(async () => ((await second.bind('transceiver', cred.key, cred.secret)) === ROK ? true : undefined));
    await second.request('unbind');
  });

  test('receipts reach the receiver on the other node, and survive the SIGKILL of the node holding it', async () => {
    const cred = await credential({ bind_limit: 2 });
    const tx = await connect(nodes[0]!);
    assert.equal(await tx.bind('transmitter', cred.key, cred.secret), ROK);
    const rx = await connect(nodes[1]!);
    assert.equal(await rx.bind('receiver', cred.key, cred.secret), ROK);
    const submit = async () => {
      const res = await tx.request('submit_sm', { source_addr: 'Shop', destination_addr: '447700900000', dest_addr_ton: 1, short_message: 'Hello', registered_delivery: 1 });
      assert.equal(res.command_status, ROK);
      return res.message_id as string;
    };
    const before = [await submit(), await submit()];
    await eventually(async () => (before.every((id) => receiptIds(rx.delivered).includes(id)) ? true : undefined), 10_000);

    // The receiver's node dies: what it was owed waits, and goes to a receiver bound on the
    // other node once the dead node's bind lapses (2 s leases).
    rx.deliverStatus = null;
    await nodes[1]!.process.stop('SIGKILL');
    const during = [await submit(), await submit(), await submit()];
    const again = await connect(nodes[0]!);
    // Refused while the dead node's bind still holds its slot (two: the transmitter's and it).
    await eventually(async () => ((await again.bind('receiver', cred.key, cred.secret)) === ROK ? true : undefined), 10_000);
    await eventually(async () => (during.every((id) => receiptIds(again.delivered).includes(id)) ? true : undefined), 15_000);
  });
});
