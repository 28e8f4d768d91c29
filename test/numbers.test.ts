import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { newMessageId } from '../src/app/ids.js';
import type { NewMessage } from '../src/app/store.js';
import { PostgresStore } from '../src/storage/postgres/store.js';
import { bearer, eventually, inboundConfig, sendMo, STORES, TEST_DATABASE_URL, testNode, testNodeOn, type TestNode } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

for (const store of STORES) {
  describe(`numbers owned by accounts, per-account opt-outs and usage (${store})`, () => {
    let node: TestNode;
    let a: { id: string; key: string };
    let a1: { id: string; key: string };
    let b: { id: string; key: string };
    /** Priced, for usage. */
    let c: { id: string; key: string };

    const call = async (key: string, method: string, url: string, payload?: object) => {
      const res = await node.api.inject({ method: method as 'GET', url, headers: bearer(key), ...(payload && { payload }) });
      return { status: res.statusCode, body: (res.body.startsWith('{') ? JSON.parse(res.body) : res.body) as Json, headers: res.headers };
    };
    const mo = (from: string, to: string, text: string) => sendMo(node, from, to, text);
    const account = async (parentKey: string, name: string) => {
      const id = (await call(parentKey, 'POST', '/v1/accounts', { name })).body.id as string;
      const key = (await call(node.key, 'POST', `/v1/accounts/${id}/keys`, { scopes: ['send', 'read', 'webhooks', 'opt_outs', 'accounts'] })).body.key as string;
      return { id, key };
    };
    const inbound = async (key: string) => ((await call(key, 'GET', '/v1/inbound')).body.messages as Json[]).map((m) => `${m.from}>${m.to}:${m.text}`);

    before(async () => {
      node = await testNodeOn(store, { SWITCHBOARD_CONFIG: inboundConfig(), SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE: 'true' });
      a = await account(node.key, 'A');
      a1 = await account(a.key, 'A1');
      b = await account(node.key, 'B');
    });
    after(() => node.close());

    test('the operator assigns numbers; a parent hands its own to a sub-account and takes them back', async () => {
      const given = await call(node.key, 'POST', '/v1/numbers', { number: '+447700900201', account: a.id });
      assert.equal(given.status, 201);
      assert.equal(given.body.account_id, a.id);
      assert.equal((await call(node.key, 'POST', '/v1/numbers', { number: '60001', account: a.id })).status, 201);
      assert.deepEqual((await call(a.key, 'GET', '/v1/numbers')).body.numbers.map((n: Json) => n.number), ['+447700900201', '60001']);

      // One owner at most: handing it down moves it.
      assert.equal((await call(a.key, 'POST', '/v1/numbers', { number: '60001', account: a1.id })).status, 201);
      assert.deepEqual((await call(a.key, 'GET', '/v1/numbers')).body.numbers.map((n: Json) => n.number), ['+447700900201']);
      assert.deepEqual((await call(a1.key, 'GET', '/v1/numbers')).body.numbers.map((n: Json) => n.number), ['60001']);
      assert.deepEqual((await call(a.key, 'GET', `/v1/numbers?account=${a1.id}`)).body.numbers.map((n: Json) => n.number), ['60001']);

      const own = await call(a1.key, 'DELETE', '/v1/numbers/60001');
      assert.deepEqual([own.status, own.body.error.code], [403, 'permission_denied']);
      assert.equal((await call(a.key, 'DELETE', '/v1/numbers/60001')).status, 204);
      assert.deepEqual((await call(a1.key, 'GET', '/v1/numbers')).body.numbers, []);
      assert.deepEqual((await call(a.key, 'GET', '/v1/numbers')).body.numbers.map((n: Json) => n.number), ['+447700900201', '60001']);

      // The operator's release makes it nobody's.
      assert.equal((await call(node.key, 'DELETE', '/v1/numbers/60001')).status, 204);
      const gone = await call(node.key, 'DELETE', '/v1/numbers/60001');
      assert.deepEqual([gone.status, gone.body.error.code], [404, 'not_found']);
    });

    test('another\'s number, or nobody\'s, is answered as a number that does not exist', async () => {
      for (const [method, url, body] of [
        ['POST', '/v1/numbers', { number: '+447700900201', account: b.id }],
        ['POST', '/v1/numbers', { number: '+447700900201' }],
        ['DELETE', `/v1/numbers/${encodeURIComponent('+447700900201')}`, undefined],
      ] as const) {
        const theirs = await call(b.key, method, url, body);
        const nobody = await call(b.key, method, url.replace('900201', '900299'), body && { ...body, number: '+447700900299' });
        assert.deepEqual([theirs.status, theirs.body.error.code, theirs.body.error.param], [404, 'not_found', 'number'], `${method} ${url}`);
        assert.deepEqual([nobody.status, nobody.body.error.code], [404, 'not_found']);
      }
      const named = await call(b.key, 'GET', `/v1/numbers?account=${a.id}`);
      assert.deepEqual([named.status, named.body.error.param], [404, 'account']);
      const toOther = await call(a.key, 'POST', '/v1/numbers', { number: '+447700900201', account: b.id });
      assert.deepEqual([toOther.status, toOther.body.error.param], [404, 'account']);
    });

    test('a number is an E.164 number or a short code; an alphanumeric id is an allowed sender, not a number', async () => {
      for (const number of ['Shop', '+12', '12', '447700900201x']) {
        const res = await call(node.key, 'POST', '/v1/numbers', { number, account: a.id });
        assert.equal(res.status, 400, number);
        assert.equal(res.body.error.param, 'number', number);
      }
      assert.equal((await call(node.key, 'POST', '/v1/numbers', { number: 'Shop', account: a.id })).body.error.code, 'invalid_parameter');
    });

    test('what a subscriber sends to an owned number is its owner\'s: its inbound list and its webhooks only', async () => {
      const endpoint = (await call(a.key, 'POST', '/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/a', events: ['message.received'] })).body.id as string;
      await call(node.key, 'POST', '/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/operator', events: ['message.received'] });
      await mo('+447700900301', '+447700900201', 'hello A');
      // Carriers often leave the + out of an international number.
      await mo('447700900302', '447700900201', 'hello again');
      await mo('+447700900303', '+447700900288', 'hello nobody');
      assert.deepEqual(await inbound(a.key), ['+447700900302>+447700900201:hello again', '+447700900301>+447700900201:hello A']);
      assert.deepEqual(await inbound(b.key), []);
      assert.deepEqual(await inbound(node.key), ['+447700900303>+447700900288:hello nobody']);
      const deliveries = (await call(a.key, 'GET', `/v1/webhooks/deliveries?endpoint_id=${endpoint}`)).body.deliveries as Json[];
      assert.equal(deliveries.length, 2);
      const operators = (await call(node.key, 'GET', '/v1/webhooks/deliveries')).body.deliveries as Json[];
      assert.equal(operators.length, 1, 'the operator gets only what was sent to nobody\'s number');
    });

    test('STOP to an owned number opts out of its owner\'s messages only', async () => {
      await mo('+447700900401', '+447700900201', 'STOP');
      const outs = (await call(a.key, 'GET', '/v1/opt-outs')).body.opt_outs as Json[];
      assert.deepEqual(outs.map((o) => [o.sender, o.number, o.source]), [['+447700900201', '+447700900401', 'keyword']]);
      assert.deepEqual((await call(node.key, 'GET', '/v1/opt-outs')).body.opt_outs, []);
      const refused = await call(a.key, 'POST', '/v1/messages', { from: '+447700900201', to: '+447700900401', text: 'Sale' });
      assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.param], [403, 'destination_opted_out', 'to']);
      // Another account's list is its own.
      assert.equal((await call(b.key, 'POST', '/v1/messages', { from: '+447700900201', to: '+447700900401', text: 'Hi' })).status, 202);
      await mo('+447700900401', '+447700900201', 'START');
      assert.equal((await call(a.key, 'POST', '/v1/messages', { from: '+447700900201', to: '+447700900401', text: 'Back' })).status, 202);
    });

    test('an account held to allowed senders may also send from the numbers it owns', async () => {
      assert.equal((await call(node.key, 'PATCH', `/v1/accounts/${a.id}`, { allowed_senders: ['Shop'] })).status, 200);
      assert.equal((await call(a.key, 'POST', '/v1/messages', { from: '+447700900201', to: '+447700900000', text: 'From my number' })).status, 202);
      assert.equal((await call(a.key, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900000', text: 'From my name' })).status, 202);
      const other = await call(a.key, 'POST', '/v1/messages', { from: '+447700900288', to: '+447700900000', text: 'Not mine' });
      assert.deepEqual([other.status, other.body.error.code, other.body.error.param], [400, 'sender_not_authorized', 'from']);
      // Taken back, it is not allowed any more.
      await call(node.key, 'POST', '/v1/numbers', { number: '+447700900201', account: 'acct_default' });
      assert.equal((await call(a.key, 'POST', '/v1/messages', { from: '+447700900201', to: '+447700900000', text: 'x' })).status, 400);
      await call(node.key, 'POST', '/v1/numbers', { number: '+447700900201', account: a.id });
      await call(node.key, 'PATCH', `/v1/accounts/${a.id}`, { allowed_senders: null });
    });

    test('usage: per day and country, what was sent, delivered, failed and charged; admins also see cost and margin', async () => {
      c = await account(node.key, 'C');
      await call(node.key, 'PATCH', `/v1/accounts/${c.id}`, { prices: { default: '0.05', entries: [{ country: 'FR', price: '0.07' }] } });
      await call(node.key, 'POST', `/v1/accounts/${c.id}/top-ups`, { amount: '10' });
      const before = (await call(c.key, 'GET', '/v1/usage')).body.total as Json;
      assert.deepEqual([before.messages, before.charged, before.delivery_rate], [0, '0.000000', null]);
      const sent = await call(c.key, 'POST', '/v1/messages', { from: 'Shop', to: ['+447700900000', '+447700900001', '+447700900005', '+33612345678'], text: 'Hello' });
      assert.equal(sent.status, 202);
      // +447700900000 delivered, ...001 undelivered, ...005 refused at submit (refunded, no cost); the French one delivered.
      const total = await eventually(async () => {
        const t = (await call(c.key, 'GET', '/v1/usage')).body.total as Json;
        return t.delivered - before.delivered === 2 && t.failed - before.failed === 2 ? t : undefined;
      });
      assert.equal(total.messages - before.messages, 4);
      assert.equal(total.segments - before.segments, 4);
      assert.equal(total.delivery_rate, Math.round((total.delivered / (total.delivered + total.failed)) * 10_000) / 10_000);
      assert.equal(total.cost, undefined, 'an account never sees what its traffic cost the operator');
      assert.equal(total.connections, undefined);
      const charged = Number(total.charged) - Number(before.charged);
      assert.equal(charged.toFixed(6), (0.05 + 0.05 + 0.07).toFixed(6), 'the refused message was refunded');

      const byCountry = (await call(c.key, 'GET', '/v1/usage?group=country')).body;
      const countries = Object.fromEntries(byCountry.usage.map((l: Json) => [l.country, l]));
      assert.equal(countries.FR.messages, 1);
      assert.equal(countries.FR.charged, '0.070000');
      // The sandbox's numbers lie in a range no country has.
      assert.equal(byCountry.usage.at(-1).country, null);
      assert.equal(byCountry.usage.at(-1).failed, 2);

      const admin = (await call(node.key, 'GET', `/v1/usage?account=${c.id}&group=country`)).body;
      const gb = admin.usage.find((l: Json) => l.country === null);
      // Two of them reached the carrier: 2 segments at 0.004.
      assert.equal(gb.cost, '0.008000');
      assert.equal(gb.margin, (Number(gb.charged) - 0.008).toFixed(6));
      assert.deepEqual(gb.connections.map((c: Json) => [c.connection, c.messages, c.cost]), [['carrier', 3, '0.008000']]);
      const today = new Date().toISOString().slice(0, 10);
      const byAccount = (await call(node.key, 'GET', '/v1/usage?group=account')).body;
      assert.deepEqual(byAccount.usage.find((l: Json) => l.account === c.id).cost, '0.012000', 'the operator sees every account, each apart');
      assert.ok([a.id, b.id].every((id) => byAccount.usage.some((l: Json) => l.account === id)));
      const mine = (await call(a.key, 'GET', '/v1/usage?group=account')).body.usage.map((l: Json) => l.account) as string[];
      assert.ok(mine.includes(a.id) && mine.every((id) => id === a.id || id === a1.id), 'an account sees itself and those under it only');
      const byDay = (await call(node.key, 'GET', `/v1/usage?account=${c.id}&from=${today}&to=${today}`)).body;
      assert.deepEqual(byDay.usage.map((l: Json) => l.day), [today]);
      assert.equal(byDay.total.cost, '0.012000');
    });

    test('usage as CSV, of one account under the caller; dates and accounts are checked', async () => {
      const csv = await node.api.inject({ method: 'GET', url: `/v1/usage?account=${c.id}&group=country&format=csv`, headers: bearer(node.key) });
      assert.equal(csv.statusCode, 200);
      assert.match(csv.headers['content-type'] as string, /^text\/csv/);
      const [head, ...rows] = csv.body.trim().split('\r\n');
      assert.equal(head, 'country,messages,segments,delivered,failed,delivery_rate,charged,currency,cost,margin');
      assert.ok(rows.some((r) => r.startsWith('FR,1,1,1,0,1,0.070000,EUR,0.004000,0.066000')), rows.join(' | '));
      const own = await node.api.inject({ method: 'GET', url: '/v1/usage', headers: { ...bearer(c.key), accept: 'text/csv' } });
      assert.equal(own.body.split('\r\n')[0], 'day,messages,segments,delivered,failed,delivery_rate,charged,currency');

      for (const [query, param] of [['from=2026-02-30', 'from'], ['to=yesterday', 'to'], ['from=2026-12-02&to=2026-12-01', 'from'], ['from=2024-01-01&to=2026-01-01', 'from']] as const) {
        const res = await call(b.key, 'GET', `/v1/usage?${query}`);
        assert.deepEqual([res.status, res.body.error.code, res.body.error.param], [400, 'invalid_parameter', param], query);
      }
      const sibling = await call(a.key, 'GET', `/v1/usage?account=${c.id}`);
      assert.deepEqual([sibling.status, sibling.body.error.code, sibling.body.error.param], [404, 'not_found', 'account']);
    });
  });
}

describe('switchboard numbers and usage, on the store the server uses', () => {
  let node: TestNode;
  before(async () => {
    node = await testNode();
  });
  after(() => node.close());

  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, SWITCHBOARD_DATA_DIR: node.dir }, encoding: 'utf8' });
  const cli = (...args: string[]) => run('numbers', ...args);

  test('assign, list and release; a bad number or account is refused', async () => {
    const shop = (await node.api.inject({ method: 'POST', url: '/v1/accounts', headers: bearer(node.key), payload: { name: 'Shop' } })).json() as Json;
    assert.equal(cli('assign', '+447700900601', shop.id).status, 0);
    assert.equal(cli('assign', '60601', shop.id, '--json').status, 0);
    const listed = cli('list', '--account', shop.id, '--json');
    assert.deepEqual((JSON.parse(listed.stdout) as Json).numbers.map((n: Json) => n.number), ['+447700900601', '60601']);
    assert.match(cli('list', '--account', shop.id).stdout, new RegExp(`^\\+447700900601  ${shop.id}  `));
    // The server sees it at once: the number is the shop's.
    const res = await node.api.inject({ method: 'GET', url: `/v1/numbers?account=${shop.id}`, headers: bearer(node.key) });
    assert.equal((res.json() as Json).numbers.length, 2);
    assert.equal(cli('release', '60601').status, 0);
    assert.deepEqual((JSON.parse(cli('list', '--account', shop.id, '--json').stdout) as Json).numbers.map((n: Json) => n.number), ['+447700900601']);
    const bad = cli('assign', 'Shop', shop.id);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /alphanumeric sender id/);
    assert.equal(cli('assign', '+447700900602', 'acct_nobody').status, 1);
    assert.equal(cli('assign', '+447700900602').status, 2);
  });

  test('usage: the operator reads an account\'s usage beside its cost, as a table or JSON', async () => {
    const sent = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Shop', to: ['+447700900000', '+447700900001'], text: 'Hi' } });
    assert.equal(sent.statusCode, 202);
    // Both finished, as the API tells; then the CLI reads the same.
    await eventually(async () => {
      const t = ((await node.api.inject({ method: 'GET', url: '/v1/usage', headers: bearer(node.key) })).json() as Json).total;
      return t.delivered === 1 && t.failed === 1 ? true : undefined;
    });
    const report = JSON.parse(run('usage', '--json').stdout) as Json;
    assert.deepEqual([report.account, report.group, report.total.messages, report.total.segments], ['acct_default', 'day', 2, 2]);
    const table = run('usage', '--group', 'country').stdout.split('\n');
    assert.equal(table[1], 'country  messages  segments  delivered  failed  rate  charged  cost  margin');
    assert.equal(table[2], '??  2  2  1  1  50.0%  0.000000  0.000000  0.000000');
    assert.equal(run('usage', '--group', 'week').status, 2);
    assert.match(run('usage', '--from', '2026-02-30').stderr, /from must be a date/);
  });
});

describe('usage counters stay exact with several PostgreSQL writers at once', () => {
  const schema = `usage_${process.pid}_${Date.now()}`;
  const stores: PostgresStore[] = [];
  before(async () => {
    for (let i = 0; i < 3; i++) stores.push(new PostgresStore({ url: TEST_DATABASE_URL, schema }));
    await stores[0]!.migrate();
  });
  after(async () => {
    await stores[0]!.dropSchema();
    await Promise.all(stores.map((s) => s.close()));
  });

  test('accepts and final statuses from three stores, many transactions at once: every count lands once, none waits forever', async () => {
    const now = Date.UTC(2026, 11, 1, 12);
    const route = (country: string) => ({ name: 'r', chain: ['c1'], resendUnknown: false, accepted: 'c1', country, costs: { c1: 1_000 } });
    const made = Array.from({ length: 300 }, (_, i): NewMessage => ({
      id: newMessageId(now + i), accountId: `acct_${i % 2}`, to: '+447700900000', from: 'Shop', text: 'x', encoding: 'GSM-7', segments: 1 + (i % 3),
      status: 'queued', error: null, clientRef: null, callbackUrl: null, callbackEvents: null, sendAt: null, expiresAt: now + 3_600_000,
      createdAt: now, updatedAt: now, connection: 'c1', route: route(i % 4 === 0 ? 'FR' : 'GB'), attempts: 0, nextAttemptAt: null, providerMessageId: null, dueAt: now, price: 10_000,
    }));
    // Accepts of 1 to 3 messages each, spread over the three stores and sent at once.
    const requests: NewMessage[][] = [];
    for (let i = 0; i < made.length; i += 1 + (i % 3)) requests.push(made.slice(i, i + 1 + (i % 3)));
    await Promise.all(requests.map((messages, k) => stores[k % 3]!.insertMessages([{ messages, respond: () => '' }])));
    // Then every message's final status, in many small transactions at once.
    await Promise.all(
      made.map((m, k) =>
        stores[k % 3]!.applyWrites([{ transition: { messageId: m.id, from: ['queued'], to: k % 5 === 0 ? 'undelivered' : 'delivered', event: { at: now + 1, type: 'x', status: null, error: null, detail: null, payload: null }, dueAt: null, providerMessageId: `p-${k}` } }]),
      ),
    );
    const day = Math.floor(now / 86_400_000);
    const rows = [...(await stores[1]!.usage('acct_0', day, day)), ...(await stores[2]!.usage('acct_1', day, day))];
    const sum = (key: 'messages' | 'segments' | 'delivered' | 'failed' | 'charged' | 'cost') => rows.reduce((s, r) => s + r[key], 0);
    const segments = made.reduce((s, m) => s + m.segments, 0);
    assert.deepEqual(
      { messages: sum('messages'), segments: sum('segments'), delivered: sum('delivered'), failed: sum('failed'), charged: sum('charged'), cost: sum('cost') },
      { messages: 300, segments, delivered: 240, failed: 60, charged: 300 * 10_000, cost: segments * 1_000 },
    );
  });
});
