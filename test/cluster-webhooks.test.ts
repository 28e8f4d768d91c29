import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { eventually } from './helpers.js';
import { getMessage, sendThrough, startCluster, type Cluster } from './processes.js';
import { FAST_WEBHOOKS } from './webhook-receiver.js';

// Webhook deliveries go through claims under a lease, like sends: one endpoint, three nodes on
// one database, every event delivered, each by one node, in order per message; a node killed
// while deliveries wait loses none of them.

interface Arrival {
  readonly eventId: string;
  readonly type: string;
  readonly messageId: string;
  readonly status: number;
}

/** A receiver on 127.0.0.1 that verifies every request and answers 204, or (while `failing`) 503 after 100 ms. */
class FlakyReceiver {
  readonly arrivals: Arrival[] = [];
  failing = false;
  secret = '';
  url = '';
  readonly #server: Server;

  constructor() {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const event = new Webhook(this.secret).verify(body, req.headers as Record<string, string>) as { id: string; type: string; data: { message: { id: string } } };
        const status = this.failing ? 503 : 204;
        this.arrivals.push({ eventId: event.id, type: event.type, messageId: event.data.message.id, status });
        setTimeout(() => res.writeHead(status).end(), status === 503 ? 100 : 0);
      });
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as { port: number }).port}/hooks`;
    return this;
  }

  /** The types of a message's events, in the order they were taken (answered 2xx). */
  taken(messageId: string): string[] {
    return this.arrivals.filter((a) => a.messageId === messageId && a.status < 300).map((a) => a.type);
  }

  close(): Promise<unknown> {
    this.#server.closeAllConnections();
    return new Promise((r) => this.#server.close(r));
  }
}

const LIFECYCLE = ['message.queued', 'message.sent', 'message.delivered'];

describe('webhook deliveries across three nodes on PostgreSQL and Redis', () => {
  let receiver: FlakyReceiver;
  let cluster: Cluster;

  before(async () => {
    receiver = await new FlakyReceiver().listen();
    cluster = await startCluster('webhooks', 3, { env: { ...FAST_WEBHOOKS, SWITCHBOARD_SANDBOX_RECEIPT_DELAY_MS: '20' } });
    const res = await fetch(`${cluster.nodes[0]!.url}/v1/webhooks/endpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    receiver.secret = ((await res.json()) as { secret: string }).secret;
  });
  after(async () => {
    await cluster?.stop();
    await receiver.close();
  });

  /** 30 messages, 10 through each node. */
  async function sendAll(first: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(...(await sendThrough(cluster.nodes[i % 3]!, cluster.key, { from: 'Hooks', to: `+447400${first + i}`, text: 'Hi' })));
    return ids;
  }

  const untilTaken = (ids: string[], node = cluster.nodes[0]!) =>
    eventually(async () => (ids.every((id) => receiver.taken(id).length >= LIFECYCLE.length) ? true : undefined), 30_000).catch(async (e: Error) => {
      const missing = ids.filter((id) => receiver.taken(id).length < LIFECYCLE.length);
      const deliveries = await (await fetch(`${node.url}/v1/webhooks/deliveries?message_id=${missing[0]}`, { headers: { authorization: `Bearer ${cluster.key}` } })).json();
      return assert.fail(`${e.message}: ${missing.length} messages lack events; ${missing[0]}: ${JSON.stringify(receiver.taken(missing[0]!))} ${JSON.stringify(deliveries)}`);
    });

  test('every event of messages sent through any node arrives once, in order per message', async () => {
    const ids = await sendAll(100000);
    await untilTaken(ids);
    await new Promise((r) => setTimeout(r, 300)); // time for a duplicate to show, if any were coming
    for (const id of ids) assert.deepEqual(receiver.taken(id), LIFECYCLE, id);
    const mine = receiver.arrivals.filter((a) => ids.includes(a.messageId));
    const perEvent = new Map<string, number>();
    for (const a of mine) perEvent.set(a.eventId, (perEvent.get(a.eventId) ?? 0) + 1);
    assert.equal(perEvent.size, ids.length * LIFECYCLE.length);
    assert.deepEqual(new Set(perEvent.values()), new Set([1]), 'each event posted exactly once');
  });

  test('a node killed with SIGKILL while deliveries are pending loses none: the others deliver them, in order', async () => {
    receiver.failing = true;
    const ids = await sendAll(200000);
    // Every message is delivered (no sandbox receipt is owed by the node to be killed), and the
    // endpoint is failing: it backs off as a whole, probed one delivery at a time, the rest waiting.
    await eventually(async () => ((ms) => (ms.every((m) => m.status === 'delivered') ? true : undefined))(await Promise.all(ids.map((id) => getMessage(cluster.nodes[0]!, cluster.key, id)))), 10_000);
    await eventually(async () => (receiver.arrivals.filter((a) => ids.includes(a.messageId)).length >= 2 ? true : undefined), 10_000);
    await cluster.nodes[2]!.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    receiver.failing = false;
    await untilTaken(ids);
    for (const id of ids) {
      const taken = receiver.taken(id);
      // At least once: dedupe by event id as receivers do; what remains is in order.
      const firsts = receiver.arrivals.filter((a) => a.messageId === id && a.status < 300).filter((a, i, all) => all.findIndex((b) => b.eventId === a.eventId) === i);
      assert.deepEqual(firsts.map((a) => a.type), LIFECYCLE, `${id}: ${JSON.stringify(taken)}`);
    }
    assert.ok(receiver.arrivals.some((a) => ids.includes(a.messageId) && a.status === 503), 'deliveries were failing when the node died');
  });
});
