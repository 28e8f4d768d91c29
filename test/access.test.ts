import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { testNode, type TestNode } from './helpers.js';

/** The routes anyone may call, as the README documents them; every other route needs a key. */
const PUBLIC = new Set([
  'GET /healthz',
  'GET /openapi.json',
  'GET /docs/errors',
  'GET /docs/errors/:code',
  'GET /v1/providers/:provider/:connection/receipts',
  'POST /v1/providers/:provider/:connection/receipts',
  // Vonage's SMS API: authenticated by the account's Vonage credential, answered in Vonage's format.
  'GET /sms/json',
  'POST /sms/json',
  'GET /sms/xml',
  'POST /sms/xml',
  // Twilio's Messages API: authenticated by the account's Twilio credential, answered in Twilio's format.
  'POST /2010-04-01/Accounts/:AccountSid/Messages.json',
  'GET /2010-04-01/Accounts/:AccountSid/Messages.json',
  'GET /2010-04-01/Accounts/:AccountSid/Messages/:Sid',
  'POST /2010-04-01/Accounts/:AccountSid/Messages/:Sid',
  // SMSPartner's API: authenticated by the apiKey of the account's SMSPartner credential, answered in SMSPartner's format.
  'POST /v1/send',
  'POST /v1/bulk/send',
  'POST /v1/bulk-send',
  'GET /v1/message-cancel',
  'GET /v1/message-status',
  'GET /v1/bulk-status',
  'GET /v1/multi-status',
  'POST /v1/multi-status',
  'GET /v1/me',
  'POST /v1/subaccount/create',
  'GET /v1/subaccount/list',
  'POST /v1/subaccount/credit/add',
  'GET /v1/stop-sms/list',
  'POST /v1/stop-sms/add',
  'POST /v1/stop-sms/delete',
  'POST /v1/hlr/notify',
  // The dashboard: its page and assets hold no data, and signing in checks the email and password.
  'GET /',
  'GET /dashboard',
  'GET /dashboard/*',
  'POST /v1/session',
]);

/** The routes a key without admin may call (an account's own business, and its sub-accounts'; top-ups are the operator's). */
const ORDINARY = /^(?:POST|GET|HEAD) \/v1\/(?:messages|inbound|notices|lookups|errors|balance|ledger|usage|overview|failures|providers\/:provider\/codes)|^(?:\w+) \/v1\/(?:webhooks|opt-outs|verified-numbers|numbers|accounts(?!\/:id\/top-ups))(?:\/|$)|^(?:GET|HEAD|DELETE) \/v1\/sessions?$|^POST \/v1\/normalize$|^(?:GET|HEAD|POST) \/v1\/users$|^DELETE \/v1\/users\/:id$/;

const SAMPLE: Record<string, string> = { number: '+447700900000', id: 'msg_01J0000000000000000000000', code: 'unknown_subscriber', provider: 'sandbox', connection: 'sandbox', name: 'sandbox' };

/** A raw request, the path sent byte for byte as given (no client-side normalisation). */
function raw(port: number, method: string, path: string, key?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      // A live stream (server-sent events) never ends: its status is the answer.
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        res.destroy();
        return resolve({ status: res.statusCode ?? 0, body: '' });
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(method === 'GET' || method === 'HEAD' || method === 'DELETE' ? undefined : '{}');
  });
}

/** The ways an attacker spells one path so that a string test on the URL might miss it. */
function variants(path: string): string[] {
  const segments = path.split('/').slice(1);
  const encodeFirst = (s: string) => (s ? `%${s.charCodeAt(0).toString(16)}${s.slice(1)}` : s);
  const encodeAll = (s: string) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
  return [
    path,
    `/${segments.map(encodeFirst).join('/')}`,
    `/${segments.map(encodeAll).join('/')}`,
    `/${segments.map((s) => s.replace(/1/, '%31')).join('/')}`,
    `/${path}`,
    path.replace(/\/(?=[^/]*$)/, '//'),
    `/./${path.slice(1)}`,
    `/x/..${path}`,
    `/${segments.join('/./')}`,
    path.toUpperCase(),
    `${path}/`,
    `${path}?v1=1`,
    `${path}%00`,
    `${path};x=1`,
  ];
}

describe('every route is private unless declared public', () => {
  let node: TestNode;
  let port: number;
  let ordinary: string;
  before(async () => {
    node = await testNode();
    await node.api.listen({ host: '127.0.0.1', port: 0 });
    port = (node.api.server.address() as { port: number }).port;
    const res = await node.api.inject({ method: 'POST', url: '/v1/keys', headers: { authorization: `Bearer ${node.key}` }, payload: { name: 'app' } });
    assert.equal(res.statusCode, 201);
    ordinary = res.json().key;
  });
  after(() => node.close());

  test("the server's own route table: only the documented routes are public, only the account's own business is open to an ordinary key", () => {
    const routes = node.api.routeTable;
    assert.ok(routes.length > 30, `the table lists every route (${routes.length})`);
    for (const r of routes) {
      const id = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;
      if (PUBLIC.has(id)) assert.equal(r.access, 'public', id);
      else if (ORDINARY.test(`${r.method} ${r.url}`)) assert.ok(!['public', 'admin'].includes(r.access), `${id} is for an ordinary key (${r.access})`);
      else assert.equal(r.access, 'admin', `${id} needs an admin key`);
    }
  });

  test('no key, a bad key or a key without the scope: refused on every route, however its path is spelled', async () => {
    const failures: string[] = [];
    for (const r of node.api.routeTable) {
      const id = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;
      const path = r.url.replace(/:(\w+)/g, (_, p: string) => SAMPLE[p] ?? 'x');
      for (const v of variants(path)) {
        for (const [who, key] of [['no key', undefined], ['a bad key', 'sk_not_a_key'], ['an ordinary key', ordinary]] as const) {
          const res = await raw(port, r.method, v, key);
          assert.ok(res.status < 500, `${r.method} ${v} with ${who}: ${res.status} ${res.body}`);
          if (PUBLIC.has(id)) continue;
          // An ordinary key on the CSV export gets CSV.
          const error = res.body.startsWith('{') ? (JSON.parse(res.body) as { error: { code: string; message: string } }).error : undefined;
          // A path the router cannot read is refused before any route is reached: nothing ran.
          if (res.status === 400 && error?.code === 'invalid_parameter' && /not a valid url/i.test(error.message)) continue;
          const wanted = who === 'no key' ? 'missing_api_key' : who === 'a bad key' ? 'invalid_api_key' : r.access === 'admin' ? 'insufficient_scope' : undefined;
          // An ordinary key on its own routes, or on a spelling that reaches no route: not this test's business.
          // (A spelling with %00 reaches no route, and is refused for the NUL it holds.)
          if (wanted === undefined || (wanted === 'insufficient_scope' && (res.status === 404 || (res.status === 400 && v.includes('%00'))))) continue;
          const code = error?.code;
          const status = wanted === 'insufficient_scope' ? 403 : 401;
          if (res.status !== status || (r.method !== 'HEAD' && code !== wanted)) failures.push(`${r.method} ${v} with ${who}: ${res.status} ${code ?? res.body.slice(0, 80)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  test('a path that reaches no route needs a key too: nothing is learned without one', async () => {
    for (const path of ['/v1/nothing', '/%761/nothing', '/admin', '/v1/keys/x/y']) {
      assert.equal((await raw(port, 'GET', path)).status, 401, path);
      assert.equal((await raw(port, 'GET', path, ordinary)).status, 404, path);
    }
  });
});
