import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, testNode, type TestNode } from './helpers.js';
import { startCluster, type Cluster } from './processes.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** One HTTP call to the `n`-th node. */
type Call = (n: number, key: string, method: string, url: string, body?: object) => Promise<{ status: number; body: Json }>;

const REQUESTS = 90;
const RECIPIENTS = 10;
/** 0.01 a segment: a request of 10 recipients costs 0.10; the top-up of 3.00 pays for 30 of the 90. */
const PRICE = 10_000;
const TOP_UP = '3.000000';

const micro = (amount: string) => {
  const [units, decimals = ''] = amount.replace('-', '').split('.');
  return (Number(units) * 1_000_000 + Number(decimals.padEnd(6, '0'))) * (amount.startsWith('-') ? -1 : 1);
};

/** A priced account topped up with TOP_UP, and a key of it. */
async function racer(call: Call, operatorKey: string): Promise<string> {
  const account = await call(0, operatorKey, 'POST', '/v1/accounts', { name: 'Racer', prices: { entries: [], default: '0.01' } });
  assert.equal(account.status, 201);
  const id = account.body.id as string;
  assert.equal((await call(0, operatorKey, 'POST', `/v1/accounts/${id}/top-ups`, { amount: TOP_UP })).status, 201);
  return (await call(0, operatorKey, 'POST', `/v1/accounts/${id}/keys`, {})).body.key as string;
}

// Scheduled an hour ahead: nothing is dispatched (or refunded) while the race runs.
const sendAt = new Date(Date.now() + 3600_000).toISOString();
let batch = 0;
/** One request of RECIPIENTS distinct recipients through the `n`-th node. */
const send = (call: Call, n: number, key: string) =>
  call(n, key, 'POST', '/v1/messages', { from: 'Race', to: Array.from({ length: RECIPIENTS }, (_, i) => `+4474${String(batch * 100 + i).padStart(8, '0')}`), text: 'Hi', send_at: sendAt }).finally(() => batch++);

/**
 * Many batch sends at once, spread over `nodes`, against a balance that covers a third of them:
 * exactly what the balance covers is accepted, what was charged is what the accepted messages
 * cost, and the ledger, read in order, adds up to every balance it reports and to the account's.
 * `before` were accepted earlier, some of them charged from a slice of a node since killed.
 */
async function race(call: Call, nodes: readonly number[], key: string, before: readonly { body: Json }[] = []): Promise<void> {
  const answers = await Promise.all(Array.from({ length: REQUESTS }, (_, r) => send(call, nodes[r % nodes.length]!, key)));
  const accepted = [...before, ...answers.filter((a) => a.status === 202)];
  const refused = answers.filter((a) => a.status !== 202);
  assert.deepEqual([...new Set(refused.map((a) => `${a.status} ${a.body.error?.code}`))], ['402 insufficient_credit']);
  assert.equal(accepted.length, micro(TOP_UP) / (PRICE * RECIPIENTS), 'exactly what the balance covers');
  const priced = accepted.flatMap((a) => a.body.messages as Json[]).reduce((sum, m) => sum + micro(m.price as string), 0);

  // Charges taken from nodes' slices enter the ledger when the slices go back (idle, or their node's lease ended).
  let balance: Json;
  do balance = (await call(nodes.at(-1)!, key, 'GET', '/v1/balance')).body;
  while (balance.pending !== '0.000000' || balance.reserved !== '0.000000');

  const ledger: Json[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: Json } = await call(nodes[0]!, key, 'GET', `/v1/ledger?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    ledger.push(...(page.body.entries as Json[]));
    cursor = page.body.next_cursor as string | null;
  } while (cursor);
  const charged = ledger.filter((e) => e.type === 'charge').reduce((sum, e) => sum - micro(e.amount as string), 0);
  assert.equal(charged, priced, 'charged = the accepted messages\' prices');
  assert.ok(charged <= micro(TOP_UP));
  let running = 0;
  for (const e of ledger.reverse()) {
    running += micro(e.amount as string);
    assert.equal(micro(e.balance_after as string), running, `entry ${e.id}: its balance is the sum of the entries up to it`);
    assert.ok(running >= 0, 'the balance never went below zero');
  }
  assert.equal(micro(balance.balance as string), running, 'the ledger sums to the balance, to the micro-unit');
  assert.deepEqual([balance.balance, balance.available], ['0.000000', '0.000000']);
  // Every accepted message is stored, none of the refused.
  const stored = new Set<string>();
  cursor = null;
  do {
    const page: { body: Json } = await call(nodes[0]!, key, 'GET', `/v1/messages?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    for (const m of page.body.messages as Json[]) stored.add(m.id as string);
    cursor = page.body.next_cursor as string | null;
  } while (cursor);
  assert.equal(stored.size, accepted.length * RECIPIENTS);
}

describe('credit under concurrency', () => {
  describe('SQLite, one node: concurrent requests share batch transactions', () => {
    let node: TestNode;
    before(async () => {
      node = await testNode();
    });
    after(() => node.close());

    test('the balance covers what is accepted, never more; the ledger adds up', async () => {
      const call: Call = async (_n, key, method, url, body) => {
        const res = await node.api.inject({ method: method as 'GET', url, headers: bearer(key), ...(body && { payload: body }) });
        return { status: res.statusCode, body: res.json() as Json };
      };
      await race(call, [0], await racer(call, node.key));
    });
  });

  describe('PostgreSQL, three nodes as processes', () => {
    let cluster: Cluster;
    before(async () => {
      cluster = await startCluster('credit', 3);
    });
    after(() => cluster.stop());

    const call: Call = async (n, key, method, url, body) => {
      const res = await fetch(`${cluster.nodes[n]!.url}${url}`, {
        method,
        headers: { ...bearer(key), ...(body && { 'content-type': 'application/json' }) },
        ...(body && { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };

    test('the balance covers what is accepted, never more; the ledger adds up', async () => {
      await race(call, [0, 1, 2], await racer(call, cluster.key));
    });

    test('a node killed while holding a slice of the balance: the others take it back, exact to the micro-unit', async () => {
      const key = await racer(call, cluster.key);
      // The first send is charged at the account's row and leaves node 1 a slice; the next two are charged from it.
      const before = [await send(call, 0, key), await send(call, 0, key), await send(call, 0, key)];
      assert.deepEqual(before.map((a) => a.status), [202, 202, 202]);
      const held = (await call(1, key, 'GET', '/v1/balance')).body;
      assert.deepEqual([held.balance, held.pending], ['2.900000', '0.200000'], 'two charges wait in the slice for the ledger');
      assert.ok(micro(held.reserved as string) > 0, 'the slice still holds money');
      assert.equal(micro(held.available as string), micro(TOP_UP) - 3 * PRICE * RECIPIENTS);
      await cluster.nodes[0]!.stop('SIGKILL');
      await race(call, [1, 2], key, before);
    });
  });
});
