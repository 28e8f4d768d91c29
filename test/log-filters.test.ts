import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, eventually, STORES, testNodeOn, type TestNode } from './helpers.js';

// The message log's filters, its CSV export and the failures report, as a user reads them: each
// filter finds its messages and no other account's, the export holds what the filters show.

type Json = Record<string, any>;

for (const storeName of STORES) {
  describe(`the message log's filters, export and failures (${storeName})`, () => {
    let node: TestNode;
    /** Two sibling accounts under the operator's, each with a key. */
    const sub: Record<'a' | 'b', { id: string; key: string }> = {} as never;
    const sent: Record<string, string> = {};

    const get = async (key: string, url: string) => node.api.inject({ method: 'GET', url, headers: bearer(key) });
    const list = async (query: string, key = node.key): Promise<Json[]> => {
      const res = await get(key, `/v1/messages?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().messages;
    };
    const ids = (messages: Json[]) => messages.map((m) => m.id).sort();
    const send = async (key: string, name: string, payload: Json) => {
      const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(key), payload: { from: 'Shop', text: name, ...payload } });
      assert.equal(res.statusCode, 202, res.body);
      sent[name] = res.json().messages[0].id;
    };

    before(async () => {
      node = await testNodeOn(storeName, {});
      // A carrier line for France that delivers nothing: its messages end unknown_subscriber.
      const line = await node.api.inject({ method: 'PUT', url: '/v1/connections/france-line', headers: bearer(node.key), payload: { provider: 'sandbox', receipt_delay_ms: 10, destinations: { '+33': { delivery_rate: 0 } } } });
      assert.ok(line.statusCode < 300, line.body);
      const routes = await node.api.inject({
        method: 'PUT',
        url: '/v1/routes',
        headers: bearer(node.key),
        payload: {
          routes: [
            { name: 'codes', match: { types: ['otp'] }, connections: ['sandbox'] },
            { name: 'france', match: { prefixes: ['+33'] }, connections: ['france-line'] },
            { name: 'rest', connections: ['sandbox'] },
          ],
        },
      });
      assert.equal(routes.statusCode, 200, routes.body);
      for (const name of ['a', 'b'] as const) {
        const account = (await node.api.inject({ method: 'POST', url: '/v1/accounts', headers: bearer(node.key), payload: { name } })).json();
        const key = (await node.api.inject({ method: 'POST', url: `/v1/accounts/${account.id}/keys`, headers: bearer(node.key), payload: { scopes: ['send', 'read'] } })).json().key;
        sub[name] = { id: account.id, key };
      }
      await send(node.key, 'otp', { to: '+447700900001', type: 'otp', client_ref: 'order-1' });
      await send(node.key, 'uk', { to: '+447400123456', client_ref: '=HYPERLINK("http://x","y")' });
      await send(node.key, 'france', { to: '+33612345678' });
      await send(node.key, 'spam', { to: '+447700900003' });
      await send(sub.a.key, 'a', { to: '+447700900001', client_ref: 'order-1' });
      await send(sub.b.key, 'b', { to: '+33612345678', client_ref: 'order-1', type: 'otp' });
      await eventually(async () => {
        const all = [...(await list('')), ...(await list('', sub.a.key)), ...(await list('', sub.b.key))];
        return all.length === 6 && all.every((m) => ['delivered', 'undelivered'].includes(m.status)) ? true : undefined;
      }, 30_000);
    });
    after(() => node.close());

    test('by connection, route, message type, destination country and search', async () => {
      assert.deepEqual(ids(await list('connection=sandbox')), ids([sent.otp, sent.uk, sent.spam].map((id) => ({ id }))));
      assert.deepEqual(ids(await list('connection=france-line')), [sent.france]);
      assert.deepEqual(ids(await list('connection=other')), []);
      assert.deepEqual(ids(await list('route=codes')), [sent.otp]);
      assert.deepEqual(ids(await list('route=france')), [sent.france]);
      assert.equal((await list('route=rest')).length, 2);
      assert.deepEqual(ids(await list('type=otp')), [sent.otp]);
      assert.deepEqual(ids(await list('country=FR')), [sent.france]);
      assert.deepEqual(ids(await list('country=GB&route=rest')), [sent.uk]);
      assert.deepEqual(ids(await list(`q=${sent.spam}`)), [sent.spam], 'a message id');
      assert.deepEqual(ids(await list('q=order-1')), [sent.otp], 'a client_ref');
      assert.deepEqual(ids(await list(`q=${encodeURIComponent('+33')}`)), [sent.france], 'the start of a number');
      assert.equal((await list('q=4477009000')).length, 2, 'digits without the +');
      const first = await get(node.key, '/v1/messages?q=4477009000&limit=1');
      assert.deepEqual(first.json().messages.map((m: Json) => m.id), [sent.spam], 'newest first');
      assert.deepEqual((await list(`q=4477009000&limit=1&cursor=${first.json().next_cursor}`)).map((m) => m.id), [sent.otp]);
      assert.deepEqual(ids(await list(`q=${encodeURIComponent('+447700900003')}`)), [sent.spam], 'a whole number');
      assert.deepEqual(ids(await list(`q=${sent.a}`)), [], 'another account\'s message id');
    });

    test('an account sees its sub-accounts\' messages only by naming one, and never another\'s', async () => {
      assert.deepEqual(ids(await list(`account=${sub.a.id}`)), [sent.a]);
      assert.deepEqual(ids(await list(`account=${sub.b.id}&type=otp`)), [sent.b]);
      assert.deepEqual(ids(await list('q=order-1', sub.a.key)), [sent.a]);
      assert.deepEqual(ids(await list('country=FR', sub.a.key)), []);
      for (const url of [`/v1/messages?account=${sub.b.id}`, `/v1/messages/export?account=${sub.b.id}`, `/v1/failures?account=${sub.b.id}`, `/v1/messages/export?account=${sub.b.id}&q=order-1`]) {
        const res = await get(sub.a.key, url);
        assert.deepEqual([res.statusCode, res.json().error.code, res.json().error.param], [404, 'not_found', 'account'], url);
      }
      const own = await get(sub.a.key, '/v1/messages/export?q=order-1');
      assert.equal(own.body.split('\r\n').filter(Boolean).length, 2, own.body);
      assert.ok(own.body.includes(sent.a!) && !own.body.includes(sent.b!) && !own.body.includes(sent.otp!));
    });

    test('the CSV export holds what the filters show, quoted, with formulas defused', async () => {
      const res = await get(node.key, '/v1/messages/export?connection=sandbox');
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.headers['content-type'] as string, /^text\/csv/);
      assert.match(res.headers['content-disposition'] as string, /attachment; filename="messages-acct_default\.csv"/);
      const lines = res.body.split('\r\n');
      assert.equal(lines.at(-1), '');
      assert.equal(lines[0], 'id,created_at,from,to,status,error_code,connection,route,segments,price,client_ref');
      assert.deepEqual(lines.slice(1, -1).map((l) => l.split(',')[0]), [sent.spam, sent.uk, sent.otp]);
      const otp = (await list(`q=${sent.otp}`))[0]!;
      assert.equal(lines[3], `${sent.otp},${otp.created_at},Shop,+447700900001,undelivered,unknown_subscriber,sandbox,codes,1,,order-1`);
      assert.equal(lines[2]!.split(',').slice(3, 5).join(','), '+447400123456,delivered');
      assert.ok(lines[2]!.endsWith(`,"'=HYPERLINK(""http://x"",""y"")"`), lines[2]);
      const none = await get(node.key, '/v1/messages/export?country=DE');
      assert.equal(none.body, 'id,created_at,from,to,status,error_code,connection,route,segments,price,client_ref\r\n');
    });

    test('failures by canonical error, provider code, connection, country and hour, narrowed by each', async () => {
      const res = await get(node.key, '/v1/failures?hours=2');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.total.failed, 3);
      assert.equal(body.hours.length, 2);
      assert.equal(body.hours[1].failed, 3);
      assert.deepEqual(body.errors.map((e: Json) => [e.code, e.failed]), [['unknown_subscriber', 2], ['carrier_rejected', 1]]);
      assert.deepEqual(body.provider_codes.map((p: Json) => [p.connection, p.code, p.provider_code, p.failed]).sort(), [
        ['france-line', 'unknown_subscriber', 'UNKNOWN_SUBSCRIBER', 1],
        ['sandbox', 'carrier_rejected', 'SPAM_REJECTED', 1],
        ['sandbox', 'unknown_subscriber', 'UNKNOWN_SUBSCRIBER', 1],
      ]);
      assert.deepEqual(body.connections.map((c: Json) => [c.connection, c.messages, c.failed]), [['sandbox', 3, 2], ['france-line', 1, 1]]);
      assert.deepEqual(body.countries.map((c: Json) => [c.country, c.messages, c.failed]), [[null, 2, 2], ['FR', 1, 1]], 'the sandbox\'s reserved numbers have no country');
      // Why France failed, and on which connection: narrowed by country, then connection.
      const france = (await get(node.key, '/v1/failures?hours=2&country=FR')).json();
      assert.deepEqual([france.total.failed, france.connections.map((c: Json) => c.connection)], [1, ['france-line']]);
      const narrowed = (await get(node.key, '/v1/failures?hours=2&country=FR&connection=france-line&error_code=unknown_subscriber')).json();
      assert.deepEqual([narrowed.total.failed, narrowed.errors.map((e: Json) => e.code)], [1, ['unknown_subscriber']]);
      assert.equal((await get(node.key, '/v1/failures?country=DE')).json().total.failed, 0);
      // The messages behind a figure: the log takes the same filters.
      assert.deepEqual(ids(await list(`country=FR&connection=france-line&error_code=unknown_subscriber&since=${encodeURIComponent(body.from)}&until=${encodeURIComponent(body.to)}`)), [sent.france]);
      const theirs = (await get(node.key, `/v1/failures?account=${sub.a.id}`)).json();
      assert.deepEqual(theirs.errors.map((e: Json) => [e.code, e.failed]), [['unknown_subscriber', 1]]);
    });

    test('bad filters get canonical errors', async () => {
      for (const [url, param] of [
        ['/v1/messages?country=France', 'country'],
        ['/v1/messages?q=', 'q'],
        [`/v1/messages?connection=${'c'.repeat(101)}`, 'connection'],
        ['/v1/messages/export?limit=5', 'limit'],
        ['/v1/messages/export?since=yesterday', 'since'],
        ['/v1/failures?hours=0', 'hours'],
        ['/v1/failures?country=fr', 'country'],
      ]) {
        const res = await get(node.key, url!);
        assert.deepEqual([res.statusCode, res.json().error.code, res.json().error.param], [400, 'invalid_parameter', param], url);
      }
    });
  });
}

describe('the CSV export of a log longer than a page', () => {
  test('every message once, newest first, across the pages it reads', async () => {
    const node = await testNodeOn('SQLite', {});
    try {
      // Scheduled an hour ahead: nothing is dispatched.
      const to = Array.from({ length: 1000 }, (_, i) => `+4474001${String(20_000 + i)}`);
      const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Shop', to, text: 'Later', send_at: new Date(Date.now() + 3_600_000).toISOString() } });
      assert.equal(res.statusCode, 202, res.body);
      const accepted: string[] = res.json().messages.map((m: Json) => m.id);
      const csv = await node.api.inject({ method: 'GET', url: '/v1/messages/export?status=scheduled', headers: bearer(node.key) });
      const exported = csv.body.split('\r\n').slice(1, -1).map((l) => l.split(',')[0]);
      assert.deepEqual(exported, [...accepted].sort().reverse());
    } finally {
      await node.close();
    }
  });
});
