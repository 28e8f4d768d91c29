import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, eventually, inboundConfig, sendMo, testNode, type TestNode } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What one account owns: the ids and numbers another account must never reach or see. */
interface Owned {
  readonly name: string;
  readonly account: string;
  readonly key: string;
  readonly keyId: string;
  readonly message: string;
  readonly delivery: string;
  readonly endpoint: string;
  readonly number: string;
  /** Its Vonage credential: id and api_key. */
  readonly credential: string;
  readonly apiKey: string;
  /** A message it sent through the Vonage face. */
  readonly faceMessage: string;
  /** A number the account owns: subscribers' messages to it, and their STOP, are its own. */
  readonly owns: string;
  /** A subscriber who texted STOP to that number. */
  readonly stopped: string;
}

/** Bodies good enough to get past validation, so that a route reaches its look-up. */
const BODIES: Record<string, object> = {
  'POST /v1/messages': { from: 'Shop', to: '+447700900999', text: 'x' },
  'PATCH /v1/webhooks/endpoints/:id': { description: 'changed' },
  'PATCH /v1/accounts/:id': { status: 'disabled' },
  'POST /v1/accounts/:id/keys': { name: 'stolen' },
  'POST /v1/accounts/:id/transfers': { amount: '0.01' },
  'POST /v1/accounts/:id/top-ups': { amount: '1' },
  'POST /v1/accounts': { name: 'x' },
  'POST /v1/webhooks/endpoints': { url: 'http://127.0.0.1:9/x' },
  'POST /v1/opt-outs': { sender: '*', number: '+447700900998' },
  'POST /v1/verified-numbers/:number/confirm': { code: '123456' },
  'POST /v1/accounts/:id/credentials': { protocol: 'vonage' },
};

describe('tenancy: no account reaches, changes or learns of another\'s data, on any route', () => {
  let node: TestNode;
  const owned: Owned[] = [];
  let made = 0;
  /** Who lies under whom: A1 is A's sub-account; A and B are siblings under the operator. */
  const under = new Map<string, string[]>();

  const call = async (key: string, method: string, url: string, payload?: object) => {
    const res = await node.api.inject({ method: method as 'GET', url, headers: bearer(key), ...(payload && { payload }) });
    return { status: res.statusCode, text: res.body, code: res.body.startsWith('{"error"') ? (JSON.parse(res.body) as Json).error.code as string : undefined };
  };

  async function own(name: string, parentKey: string, parent?: string): Promise<Owned> {
    const account = (await call(parentKey, 'POST', '/v1/accounts', parent ? { name, parent } : { name })).text;
    const id = (JSON.parse(account) as Json).id as string;
    const created = JSON.parse((await call(node.key, 'POST', `/v1/accounts/${id}/keys`, { scopes: ['send', 'read', 'webhooks', 'opt_outs', 'accounts'] })).text) as Json;
    const key = created.key as string;
    const number = `+4477009001${String(++made).padStart(2, '0')}`;
    const endpoint = (JSON.parse((await call(key, 'POST', '/v1/webhooks/endpoints', { url: `http://127.0.0.1:9/${name}` })).text) as Json).id as string;
    // Scheduled: a cancel that crossed accounts would show.
    const later = new Date(Date.now() + 3600_000).toISOString();
    const message = (JSON.parse((await call(key, 'POST', '/v1/messages', { from: 'Shop', to: number, text: `for ${name}`, send_at: later })).text) as Json).messages[0].id as string;
    await call(key, 'POST', '/v1/messages', { from: 'Shop', to: number, text: `now ${name}` });
    const delivery = await eventually(async () => (JSON.parse((await call(key, 'GET', '/v1/webhooks/deliveries')).text) as Json).deliveries[0]?.id as string | undefined);
    const credential = JSON.parse((await call(key, 'POST', `/v1/accounts/${id}/credentials`, { protocol: 'vonage' })).text) as Json;
    const sent = await node.api.inject({ method: 'POST', url: '/sms/json', payload: { api_key: credential.key, api_secret: credential.secret, from: 'Shop', to: number.slice(1), text: `vonage ${name}` } });
    const faceMessage = (sent.json() as Json).messages[0]['message-id'] as string;
    await call(key, 'POST', '/v1/opt-outs', { sender: '*', number });
    const owns = `+4477009002${String(made).padStart(2, '0')}`;
    const stopped = `+4477009003${String(made).padStart(2, '0')}`;
    await call(node.key, 'POST', '/v1/numbers', { number: owns, account: id });
    await sendMo(node, number, owns, `in for ${name}`);
    await sendMo(node, stopped, owns, 'STOP');
    // Verified for it by the operator, above every account.
    assert.equal((await call(node.key, 'POST', '/v1/verified-numbers', { number, account: id })).status, 201);
    return { name, account: id, key, keyId: created.id, message, delivery, endpoint, number, credential: credential.id, apiKey: credential.key, faceMessage, owns, stopped };
  }

  before(async () => {
    node = await testNode({ env: { SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE: 'true', SWITCHBOARD_CONFIG: inboundConfig() } });
    const a = await own('A', node.key);
    const a1 = await own('A1', a.key);
    const b = await own('B', node.key);
    owned.push(a, a1, b);
    under.set('A', ['A', 'A1']).set('A1', ['A1']).set('B', ['B']);
  });
  after(() => node.close());

  /** The id a path parameter takes for this owner's data, by what the route serves. */
  function idFor(url: string, o: Owned): string {
    if (url.startsWith('/v1/messages')) return o.message;
    if (url.startsWith('/v1/webhooks/endpoints')) return o.endpoint;
    if (url.startsWith('/v1/webhooks/deliveries')) return o.delivery;
    if (url.startsWith('/v1/accounts')) return o.account;
    if (url.startsWith('/v1/keys')) return o.keyId;
    if (url.startsWith('/v1/verified-numbers')) return o.number;
    return 'x';
  }
  const unknown = (id: string) => `${id.slice(0, -4)}ZZZZ`;

  test('another\'s id, on every route, is answered as an id that does not exist; never 2xx', async () => {
    const routes = node.api.routeTable.filter((r) => r.access !== 'public' && r.method !== 'HEAD' && /:id|:number/.test(r.url));
    assert.ok(routes.length >= 14, `routes with an id: ${routes.length}`);
    const leaks: string[] = [];
    for (const r of routes) {
      for (const caller of owned) {
        for (const other of owned.filter((o) => !under.get(caller.name)!.includes(o.name))) {
          const id = idFor(r.url, other);
          const body = BODIES[`${r.method} ${r.url}`] ?? (r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
          const theirs = await call(caller.key, r.method, r.url.replace(/:id|:number/, encodeURIComponent(id)).replace(':credential', other.credential), body);
          const nobody = await call(caller.key, r.method, r.url.replace(/:id|:number/, encodeURIComponent(unknown(id))).replace(':credential', other.credential), body);
          if (theirs.status < 300 || theirs.status !== nobody.status || theirs.code !== nobody.code) {
            leaks.push(`${caller.name} ${r.method} ${r.url} on ${other.name}'s: ${theirs.status} ${theirs.code} (unknown id: ${nobody.status} ${nobody.code})`);
          }
        }
      }
    }
    assert.deepEqual(leaks, []);
  });

  test('naming another\'s account (?account=, parent) is answered as naming one that does not exist', async () => {
    const routes = node.api.routeTable.filter((r) => r.method === 'GET' && r.access !== 'public' && ['/v1/messages', '/v1/messages/:id', '/v1/balance', '/v1/ledger', '/v1/verified-numbers', '/v1/numbers', '/v1/usage'].includes(r.url));
    assert.equal(routes.length, 7);
    const leaks: string[] = [];
    for (const r of routes) {
      for (const caller of owned) {
        for (const other of owned.filter((o) => !under.get(caller.name)!.includes(o.name))) {
          const url = r.url.replace(':id', other.message);
          const theirs = await call(caller.key, 'GET', `${url}?account=${other.account}`);
          const nobody = await call(caller.key, 'GET', `${url}?account=${unknown(other.account)}`);
          if (theirs.status !== 404 || theirs.code !== nobody.code) leaks.push(`${caller.name} ${url}?account=${other.name}: ${theirs.status} ${theirs.code}`);
        }
      }
    }
    // Naming another's account as the parent of a new account, or of a list, or as the owner of a verified number.
    for (const caller of owned) {
      for (const other of owned.filter((o) => !under.get(caller.name)!.includes(o.name))) {
        const asks = [
          ['POST', '/v1/accounts', { name: 'x', parent: other.account }],
          ['GET', `/v1/accounts?parent=${other.account}`, undefined],
          ['POST', '/v1/verified-numbers', { number: '+447700900997', account: other.account }],
          ['DELETE', `/v1/verified-numbers/${encodeURIComponent(other.number)}?account=${other.account}`, undefined],
        ] as const;
        for (const [method, url, body] of asks) {
          const theirs = await call(caller.key, method, url, body);
          const nobody = await call(caller.key, method, url.replace(other.account, unknown(other.account)), body && ('parent' in body ? { ...body, parent: unknown(other.account) } : { ...body, account: unknown(other.account) }));
          if (theirs.status !== 404 || theirs.code !== nobody.code) leaks.push(`${caller.name} ${method} ${url} naming ${other.name}: ${theirs.status} ${theirs.code}`);
        }
      }
    }
    assert.deepEqual(leaks, []);
  });

  test('every list an account reads holds nothing of another\'s, whatever filter names it', async () => {
    const lists = node.api.routeTable.filter((r) => r.method === 'GET' && r.access !== 'public' && r.access !== 'admin' && !r.url.includes(':') && r.url.startsWith('/v1/'));
    assert.ok(lists.length >= 8, lists.map((r) => r.url).join(' '));
    const leaks: string[] = [];
    for (const r of lists) {
      for (const caller of owned) {
        const mine = await call(caller.key, 'GET', r.url);
        assert.ok(mine.status < 500, `${r.url}: ${mine.text}`);
        for (const other of owned.filter((o) => !under.get(caller.name)!.includes(o.name) && !under.get(o.name)!.includes(caller.name))) {
          const filtered = [`message_id=${other.message}`, `endpoint_id=${other.endpoint}`, `number=${encodeURIComponent(other.number)}`, `to=${encodeURIComponent(other.number)}`];
          for (const text of [mine.text, ...(await Promise.all(filtered.map((q) => call(caller.key, 'GET', `${r.url}?${q}`)))).map((x) => x.text)]) {
            for (const secret of [other.account, other.message, other.delivery, other.endpoint, other.number, other.keyId, other.faceMessage, other.apiKey, other.owns, other.stopped, `in for ${other.name}`]) {
              if (text.includes(secret)) leaks.push(`${caller.name} GET ${r.url} shows ${other.name}'s ${secret}`);
            }
          }
        }
      }
    }
    assert.deepEqual([...new Set(leaks)], []);
  });

  test('another\'s number is answered as a number that does not exist: never moved, released, or told whose it is', async () => {
    const leaks: string[] = [];
    for (const caller of owned) {
      for (const other of owned.filter((o) => !under.get(caller.name)!.includes(o.name))) {
        const nobody = other.owns.replace(/..$/, '99');
        for (const [method, url, body] of [
          ['POST', '/v1/numbers', { number: other.owns }],
          ['POST', '/v1/numbers', { number: other.owns, account: caller.account }],
          ['DELETE', `/v1/numbers/${encodeURIComponent(other.owns)}`, undefined],
        ] as const) {
          const theirs = await call(caller.key, method, url, body);
          const none = await call(caller.key, method, url.replace(encodeURIComponent(other.owns), encodeURIComponent(nobody)), body && { ...body, number: nobody });
          if (theirs.status < 300 || theirs.status !== none.status || theirs.code !== none.code) leaks.push(`${caller.name} ${method} ${url} on ${other.name}'s: ${theirs.status} ${theirs.code} (nobody's: ${none.status} ${none.code})`);
        }
      }
    }
    assert.deepEqual(leaks, []);
  });

  test('after all that, each account\'s data is as it was', async () => {
    for (const o of owned) {
      const m = JSON.parse((await call(o.key, 'GET', `/v1/messages/${o.message}`)).text) as Json;
      assert.equal(m.status, 'scheduled', `${o.name}'s message`);
      const e = JSON.parse((await call(o.key, 'GET', `/v1/webhooks/endpoints/${o.endpoint}`)).text) as Json;
      assert.equal(e.description, null, `${o.name}'s endpoint`);
      const account = JSON.parse((await call(node.key, 'GET', `/v1/accounts/${o.account}`)).text) as Json;
      assert.deepEqual([account.status, account.balance], ['active', '0.000000'], `${o.name}'s account`);
      const keys = JSON.parse((await call(node.key, 'GET', `/v1/accounts/${o.account}/keys`)).text) as Json;
      assert.deepEqual(keys.keys.map((k: Json) => k.id), [o.keyId], `${o.name}'s keys`);
      const credentials = JSON.parse((await call(o.key, 'GET', `/v1/accounts/${o.account}/credentials`)).text) as Json;
      assert.deepEqual(credentials.credentials.map((c: Json) => [c.id, c.revoked_at]), [[o.credential, null]], `${o.name}'s credentials`);
      const sent = JSON.parse((await call(o.key, 'GET', `/v1/messages/${o.faceMessage}`)).text) as Json;
      assert.equal(sent.text, `vonage ${o.name}`, 'a message sent through the Vonage face is the account\'s own');
      const outs = JSON.parse((await call(o.key, 'GET', '/v1/opt-outs')).text) as Json;
      assert.deepEqual(outs.opt_outs.map((x: Json) => [x.sender, x.number]).sort(), [['*', o.number], [o.owns, o.stopped]].sort(), `${o.name}'s opt-outs`);
      const verified = JSON.parse((await call(o.key, 'GET', '/v1/verified-numbers')).text) as Json;
      assert.deepEqual(verified.verified_numbers.map((x: Json) => x.number), [o.number]);
      const numbers = JSON.parse((await call(o.key, 'GET', '/v1/numbers')).text) as Json;
      assert.deepEqual(numbers.numbers.map((n: Json) => n.number), [o.owns], `${o.name}'s numbers`);
      const inbound = JSON.parse((await call(o.key, 'GET', '/v1/inbound')).text) as Json;
      assert.deepEqual(inbound.messages.map((m: Json) => m.text).sort(), ['STOP', `in for ${o.name}`], `${o.name}'s inbound`);
    }
  });
});
