import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SmscSimulator } from '../src/providers/smpp/simulator.js';
import { bearer, eventually, twoNodes } from './helpers.js';
import { readLog, startCluster, type Cluster, type ServerProcess } from './processes.js';

// Several nodes as separate processes on one PostgreSQL database and one Redis, sending through
// one SMPP carrier (the simulator, in this process, which records every submit_sm it takes).

const TPS = 150;

describe('three nodes on PostgreSQL and Redis', () => {
  let smsc: SmscSimulator;
  let cluster: Cluster;
  let nodes: readonly ServerProcess[];
  let key: string;

  before(async () => {
    smsc = new SmscSimulator({ port: 0, receiptDelayMs: 10 });
    const port = await smsc.listen();
    cluster = await startCluster('cluster', 3, {
      config:
        `connections:\n  - { name: carrier, provider: smpp, host: 127.0.0.1, port: ${port}, system_id: sb, password: pw, tps: ${TPS}, window: 20, reconnect_min_ms: 50, max_binds: 2, enquire_link_seconds: 0.5 }\n` +
        'routes:\n  - { name: all, connections: [carrier] }\n',
    });
    ({ nodes, key } = cluster);
    // The carrier allows two binds: two nodes hold them, the third stands by.
    await eventually(async () => (smsc.sessions === 2 ? true : undefined));
  });
  after(async () => {
    await cluster?.stop();
    await smsc.close();
  });

  /** Sends `batches` requests of 100 distinct recipients, each to the next node in turn. */
  async function sendAll(from: string, batches: number, first: number): Promise<string[]> {
    const ids: string[] = [];
    for (let b = 0; b < batches; b++) {
      const to = Array.from({ length: 100 }, (_, i) => `+4474${String(first + b * 100 + i).padStart(8, '0')}`);
      const node = nodes[b % nodes.length]!;
      const res = await fetch(`${node.url}/v1/messages`, { method: 'POST', headers: { ...bearer(key), 'content-type': 'application/json' }, body: JSON.stringify({ from, to, text: 'Hi' }) });
      assert.equal(res.status, 202, await res.clone().text());
      ids.push(...((await res.json()) as { messages: { id: string }[] }).messages.map((m) => m.id));
    }
    return ids;
  }

  const submitsTo = (prefix: string) => smsc.submitted.filter((s) => String(s.pdu.body.destination_addr).startsWith(prefix));

  const carrierOn = async (node: ServerProcess) =>
    ((await (await fetch(`${node.url}/v1/connections`, { headers: bearer(key) })).json()) as { connections: { up: boolean; standby: boolean }[] }).connections[0]!;

  test('the binds are shared out within the carrier\'s limit', async () => {
    const states = await Promise.all(nodes.map(carrierOn));
    assert.equal(states.filter((s) => s.up).length, 2);
    assert.equal(states.filter((s) => s.standby).length, 1);
    assert.equal(smsc.sessions, 2);
  });

  test('every message is sent exactly once, and the TPS limit holds across the nodes together', async () => {
    const ids = await sendAll('Once', 6, 10_000_000);
    const done = await eventually(async () => {
      const log = await readLog(nodes[0]!.url, key, 'Once');
      return [...log.values()].every((s) => s === 'delivered') && log.size === ids.length ? log : undefined;
    }, 30_000).catch(async (e: Error) => {
      const stuck = [...(await readLog(nodes[0]!.url, key, 'Once'))].filter(([, s]) => s !== 'delivered');
      const detail = await Promise.all(stuck.slice(0, 3).map(async ([id]) => (await fetch(`${nodes[0]!.url}/v1/messages/${id}`, { headers: bearer(key) })).json()));
      throw new Error(`${e.message}: ${stuck.length} not delivered: ${JSON.stringify(detail)}`);
    });
    assert.deepEqual([...done.keys()].sort(), [...ids].sort());

    const submits = submitsTo('4474100');
    const perNumber = new Map<string, number>();
    for (const s of submits) perNumber.set(String(s.pdu.body.destination_addr), (perNumber.get(String(s.pdu.body.destination_addr)) ?? 0) + 1);
    assert.equal(perNumber.size, 600);
    assert.deepEqual(new Set(perNumber.values()), new Set([1]), 'no number got the message twice');

    // Paced as one: any TPS + 1 consecutive submits, whichever node sent them, span a second, less
    // a tenth for what two binds and the carrier's event loop shift in when each submit is seen
    // (three nodes paced apart would fit three times the TPS in it).
    const at = submits.map((s) => s.at).sort((a, b) => a - b);
    let tightest = Infinity;
    for (let i = 0; i + TPS < at.length; i++) tightest = Math.min(tightest, at[i + TPS]! - at[i]!);
    assert.ok(tightest >= 900, `${TPS + 1} submits within ${tightest} ms`);
  });

  test('a node killed with SIGKILL mid-load loses nothing: its claims are taken over after their lease', async () => {
    const ids = await sendAll('Kill', 6, 20_000_000);
    await eventually(async () => ([...(await readLog(nodes[0]!.url, key, 'Kill')).values()].filter((s) => s === 'delivered').length >= 100 ? true : undefined), 20_000);
    // Kill a node that holds a bind: the one standing by must take it over.
    const states = await Promise.all(nodes.map(carrierOn));
    const killed = nodes[states.findIndex((s) => s.up)]!;
    const standing = nodes[states.findIndex((s) => s.standby)]!;
    await killed.stop('SIGKILL');
    const survivors = nodes.filter((n) => n !== killed);
    // A message the dead node had handed to the carrier without recording the answer has an
    // unknown outcome: it waits (sent) for a receipt it can no longer be matched by, and is not sent again.
    const settled = async (id: string, status: string) =>
      status === 'delivered' || (status === 'sent' && ((await (await fetch(`${survivors[0]!.url}/v1/messages/${id}`, { headers: bearer(key) })).json()) as { error: { code: string } | null }).error?.code === 'outcome_unknown');
    const done = await eventually(async () => {
      const log = await readLog(survivors[0]!.url, key, 'Kill');
      if (log.size !== ids.length || [...log.values()].some((s) => s !== 'delivered' && s !== 'sent')) return undefined;
      for (const [id, status] of log) if (!(await settled(id, status))) return undefined;
      return log;
    }, 45_000).catch(async (e: Error) => {
      const log = await readLog(survivors[0]!.url, key, 'Kill');
      const stuck = [...log].filter(([, s]) => s !== 'delivered');
      const detail = await Promise.all(stuck.slice(0, 3).map(async ([id]) => (await fetch(`${survivors[0]!.url}/v1/messages/${id}`, { headers: bearer(key) })).json()));
      throw new Error(`${e.message}: ${stuck.length} not delivered: ${JSON.stringify(detail)}`);
    });
    assert.equal(done.size, 600);
    // The standing-by node took over the dead one's bind, once its hold lapsed.
    await eventually(async () => ((await carrierOn(standing)).up ? true : undefined));
    assert.equal(smsc.sessions, 2);
    // Every number got the message; only what the dead node had in flight can have gone twice.
    const counts = new Map<string, number>();
    for (const s of submitsTo('4474200')) counts.set(String(s.pdu.body.destination_addr), (counts.get(String(s.pdu.body.destination_addr)) ?? 0) + 1);
    // A message the dead node marked may not have left it: only those (unknown outcomes) may be missing at the carrier.
    const unknown = [...done.values()].filter((s) => s === 'sent').length;
    assert.ok(counts.size >= 600 - unknown && counts.size <= 600, `${counts.size} numbers reached the carrier, ${unknown} outcomes unknown`);
    assert.deepEqual([...counts.values()].filter((n) => n > 1), [], 'no message sent twice');
  });
});

describe('limits shared through Redis', () => {
  test("an account's request rate holds across nodes together", async () => {
    const nodes = await twoNodes('ratelimit', { SWITCHBOARD_RATE_LIMIT: '1', SWITCHBOARD_RATE_LIMIT_BURST: '4' });
    const { a, b } = nodes;
    try {
      const key = a.key || b.key; // the first of the two to start made it
      // All at once, so that the bucket (1 a second) earns nothing meanwhile, however busy the machine.
      const codes = await Promise.all([a, b, a, b, a, b].map(async (node) => (await node.api.inject({ method: 'GET', url: '/v1/messages', headers: bearer(key) })).statusCode));
      assert.deepEqual(codes.sort(), [200, 200, 200, 200, 429, 429]);
    } finally {
      await nodes.close();
    }
  });
  test("an account's own API rate and IP allowlist hold on every node from the next request", async () => {
    const nodes = await twoNodes('limits');
    const { a, b } = nodes;
    try {
      const admin = a.key || b.key;
      const on = async (node: typeof a, key: string, method: string, url: string, payload?: object) => {
        const res = await node.api.inject({ method: method as 'GET', url, headers: bearer(key), ...(payload && { payload }) });
        return { status: res.statusCode, body: res.json() as { id: string; key: string; error?: { code: string } } };
      };
      const shop = (await on(a, admin, 'POST', '/v1/accounts', { name: 'Shop', api_rate: 1 })).body;
      const key = (await on(a, admin, 'POST', `/v1/accounts/${shop.id}/keys`, {})).body.key;
      // A burst of twice its rate, for both nodes together: requests sent at once.
      const codes = await Promise.all([a, b, a, b, a, b].map(async (node) => (await on(node, key, 'GET', '/v1/messages')).status));
      assert.deepEqual(codes.sort(), [200, 200, 429, 429, 429, 429]);
      assert.equal((await on(b, admin, 'GET', '/v1/messages')).status, 200, 'the operator is not held by it');
      await on(a, admin, 'PATCH', `/v1/accounts/${shop.id}`, { api_rate: null, ip_allowlist: ['192.0.2.0/24'] });
      assert.equal((await on(b, key, 'GET', '/v1/messages')).body.error?.code, 'ip_not_allowed');
    } finally {
      await nodes.close();
    }
  });
});
