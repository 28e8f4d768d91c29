import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { bearer, eventually, testNode, type TestNode } from './helpers.js';
import { ApiDocument, assertCanonicalError } from './openapi.js';
import { FAST_WEBHOOKS, Receiver, type Json } from './webhook-receiver.js';

// Every route of the document, driven through successful and failing calls over real HTTP: each
// answer's status must be documented for its route, and its body match the documented schema.

interface Call {
  readonly method: string;
  /** The document's path, e.g. /v1/messages/{id}. */
  readonly path: string;
  readonly params?: Record<string, string>;
  readonly query?: string;
  readonly headers?: Record<string, string>;
  /** JSON unless a content-type header says otherwise. */
  readonly body?: unknown;
  /** The API key; false sends none. */
  readonly key?: string | false;
}

describe('the OpenAPI document describes every answer', () => {
  let node: TestNode;
  let limited: TestNode;
  let receiver: Receiver;
  let base: string;
  let doc: ApiDocument;
  /** The statuses seen for each operation. */
  const seen = new Map<string, Set<number>>();

  async function call(c: Call): Promise<{ status: number; json: Json }> {
    const op = doc.operation(c.method, c.path);
    const path = c.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(c.params?.[name] ?? assert.fail(`${name} for ${c.path}`)));
    const headers: Record<string, string> = { ...(c.key !== false && bearer(c.key ?? node.key)), ...c.headers };
    let body: string | undefined;
    if (c.body !== undefined) {
      body = typeof c.body === 'string' && headers['content-type'] ? c.body : JSON.stringify(c.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${base}${path}${c.query ? `?${c.query}` : ''}`, { method: c.method, headers, ...(body !== undefined && { body }) });
    const text = await res.text();
    const context = `${c.method} ${path}${c.query ? `?${c.query}` : ''}`;
    doc.check(op, res.status, res.headers.get('content-type') ?? undefined, text, context);
    if (res.status >= 400) assertCanonicalError(text, context);
    if (!seen.has(op.key)) seen.set(op.key, new Set());
    seen.get(op.key)!.add(res.status);
    return { status: res.status, json: text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Json) : {} };
  }

  async function expect(status: number, c: Call): Promise<Json> {
    const res = await call(c);
    assert.equal(res.status, status, `${c.method} ${c.path}: ${JSON.stringify(res.json)}`);
    return res.json;
  }

  before(async () => {
    receiver = await new Receiver().listen();
    node = await testNode({ env: FAST_WEBHOOKS });
    base = await node.api.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${base}/openapi.json`);
    doc = new ApiDocument((await res.json()) as Json);
  });

  after(async () => {
    await node.close();
    await limited?.close();
    await receiver.close();
  });

  test('messages: send, read, list, cancel', async () => {
    const sent = await expect(202, { method: 'POST', path: '/v1/messages', body: { from: 'Switchboard', to: '+447700900000', text: 'Hello' } });
    const id = sent.messages[0].id as string;
    const later = new Date(node.clock.now() + 3600_000).toISOString();
    const scheduled = await expect(202, { method: 'POST', path: '/v1/messages', body: { from: 'Switchboard', to: ['+447700900001'], text: 'Later', send_at: later } });
    const bad = await expect(400, { method: 'POST', path: '/v1/messages', body: { from: 'Switchboard', to: ['+447700900000', '+1555'], text: 'Hi' } });
    assert.deepEqual([bad.error.code, bad.error.param], ['invalid_phone_number', 'to[1]']);
    await expect(400, { method: 'POST', path: '/v1/messages', body: { from: 'Switchboard', to: '+447700900000', text: 'Hi', validity: 10 } });
    await expect(400, { method: 'POST', path: '/v1/messages', body: { from: 'Switchboard', to: '+447700900000', text: 'Hi', surprise: 1 } });
    await expect(400, { method: 'POST', path: '/v1/messages', body: '{"from":', headers: { 'content-type': 'application/json' } });
    const replay = { method: 'POST', path: '/v1/messages', headers: { 'idempotency-key': 'conformance' } } as const;
    await expect(202, { ...replay, body: { from: 'Switchboard', to: '+447700900002', text: 'Once' } });
    await expect(422, { ...replay, body: { from: 'Switchboard', to: '+447700900002', text: 'Other' } });

    await expect(200, { method: 'GET', path: '/v1/messages/{id}', params: { id } });
    await expect(404, { method: 'GET', path: '/v1/messages/{id}', params: { id: 'msg_nope' } });
    await expect(200, { method: 'GET', path: '/v1/messages', query: 'limit=1&status=queued' });
    await expect(400, { method: 'GET', path: '/v1/messages', query: 'limit=0' });
    await expect(400, { method: 'GET', path: '/v1/messages', query: 'since=yesterday' });

    await expect(200, { method: 'POST', path: '/v1/messages/{id}/cancel', params: { id: scheduled.messages[0].id } });
    await expect(409, { method: 'POST', path: '/v1/messages/{id}/cancel', params: { id: scheduled.messages[0].id } });
    await expect(404, { method: 'POST', path: '/v1/messages/{id}/cancel', params: { id: 'msg_nope' } });

    await expect(200, { method: 'POST', path: '/v1/messages/check', body: { from: 'Switchboard', to: ['+447700900000'], text: 'Hello', type: 'marketing' } });
    await expect(400, { method: 'POST', path: '/v1/messages/check', body: { from: 'Switchboard', to: '+1555', text: 'Hello' } });
  });

  test('the dashboard: sessions, users, the overview, live streams, the route tester, a pasted payload', async () => {
    const password = 'correct horse battery staple';
    await expect(201, { method: 'POST', path: '/v1/users', body: { email: 'ada@example.com', password, role: 'developer' } });
    await expect(400, { method: 'POST', path: '/v1/users', body: { email: 'ada@example.com', password, role: 'developer' } });
    await expect(200, { method: 'GET', path: '/v1/users' });
    const leaving = await expect(201, { method: 'POST', path: '/v1/users', body: { email: 'leaving@example.com', password, role: 'viewer' } });
    await expect(204, { method: 'DELETE', path: '/v1/users/{id}', params: { id: leaving.id } });
    await expect(404, { method: 'DELETE', path: '/v1/users/{id}', params: { id: leaving.id } });
    await expect(401, { method: 'POST', path: '/v1/session', body: { email: 'ada@example.com', password: 'wrong' }, key: false });
    await expect(400, { method: 'POST', path: '/v1/session', body: { email: 'ada@example.com' }, key: false });
    const signIn = await fetch(`${base}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com', password }) });
    const cookie = /^(sb_session=[^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')![1]!;
    const { csrf_token: csrf } = (await signIn.json()) as { csrf_token: string };
    seen.get('POST /v1/session')!.add(signIn.status);
    await expect(200, { method: 'GET', path: '/v1/session', key: false, headers: { cookie } });
    await expect(404, { method: 'GET', path: '/v1/session' });
    await expect(404, { method: 'DELETE', path: '/v1/sessions' });
    await expect(204, { method: 'DELETE', path: '/v1/sessions', key: false, headers: { cookie, 'x-csrf-token': csrf } });
    await expect(204, { method: 'DELETE', path: '/v1/session' });
    await expect(401, { method: 'DELETE', path: '/v1/session', key: false });

    await expect(200, { method: 'GET', path: '/v1/overview', query: 'hours=48' });
    await expect(400, { method: 'GET', path: '/v1/overview', query: 'hours=0' });
    await expect(200, { method: 'GET', path: '/v1/failures', query: 'hours=48&country=FR' });
    await expect(400, { method: 'GET', path: '/v1/failures', query: 'country=France' });
    await expect(404, { method: 'GET', path: '/v1/failures', query: 'account=acct_nope' });
    await expect(200, { method: 'GET', path: '/v1/messages/export', query: 'status=delivered&q=%2B44' });
    await expect(400, { method: 'GET', path: '/v1/messages/export', query: 'cursor=x' });
    await expect(404, { method: 'GET', path: '/v1/messages/export', query: 'account=acct_nope' });
    await expect(200, { method: 'GET', path: '/v1/routes/decision', query: `to=${encodeURIComponent('+447700900000')}` });
    await expect(400, { method: 'GET', path: '/v1/routes/decision', query: 'to=nope' });
    await expect(200, { method: 'POST', path: '/v1/normalize', body: { provider: 'vonage', raw: 'messageId=0A00&status=delivered&err-code=0&msisdn=447700900000' } });
    await expect(400, { method: 'POST', path: '/v1/normalize', body: { provider: 'nobody', raw: 'x' } });

    const sent = await expect(202, { method: 'POST', path: '/v1/messages', body: { from: 'Switchboard', to: '+447700900000', text: 'Live' } });
    const id = sent.messages[0].id as string;
    await expect(400, { method: 'GET', path: '/v1/messages/stream' });
    await expect(400, { method: 'GET', path: '/v1/messages/{id}/stream', params: { id } });
    await expect(404, { method: 'GET', path: '/v1/messages/{id}/stream', params: { id: 'msg_nope' }, headers: { accept: 'text/event-stream' } });
    // A stream answers 200 and stays open: its head is the answer.
    for (const [key, path] of [['GET /v1/messages/stream', '/v1/messages/stream'], ['GET /v1/messages/{id}/stream', `/v1/messages/${id}/stream`]] as const) {
      const aborted = new AbortController();
      const res = await fetch(`${base}${path}`, { headers: { ...bearer(node.key), accept: 'text/event-stream' }, signal: aborted.signal });
      assert.deepEqual([res.status, res.headers.get('content-type')], [200, 'text/event-stream; charset=utf-8']);
      aborted.abort();
      seen.get(key)!.add(res.status);
    }
  });

  test('inbound, errors, provider codes', async () => {
    await expect(200, { method: 'GET', path: '/v1/inbound' });
    await expect(400, { method: 'GET', path: '/v1/inbound', query: 'limit=101' });
    await expect(400, { method: 'GET', path: '/v1/inbound', query: 'cursor=bm9wZQ' });
    await expect(200, { method: 'GET', path: '/v1/errors' });
    await expect(200, { method: 'GET', path: '/v1/errors/{code}', params: { code: 'invalid_phone_number' } });
    await expect(404, { method: 'GET', path: '/v1/errors/{code}', params: { code: 'no_such_error' } });
    await expect(200, { method: 'GET', path: '/v1/providers/{provider}/codes/{code}', params: { provider: 'smpp', code: '0x58' } });
    await expect(200, { method: 'GET', path: '/v1/providers/{provider}/codes/{code}', params: { provider: 'vonage', code: '1' }, query: 'context=submit' });
    await expect(400, { method: 'GET', path: '/v1/providers/{provider}/codes/{code}', params: { provider: 'smpp', code: '0x58' }, query: 'bogus=1' });
    await expect(404, { method: 'GET', path: '/v1/providers/{provider}/codes/{code}', params: { provider: 'nobody', code: '1' } });
    await expect(404, { method: 'GET', path: '/v1/providers/{provider}/codes/{code}', params: { provider: 'smpp', code: '1' }, query: 'context=nowhere' });
  });

  test('operations: health and metrics', async () => {
    await expect(200, { method: 'GET', path: '/healthz', key: false });
    await expect(200, { method: 'GET', path: '/metrics' });
  });

  test('connections, routes and provider receipts', async () => {
    const connections = await expect(200, { method: 'GET', path: '/v1/connections' });
    assert.equal(connections.connections.find((c: Json) => c.name === 'sandbox')?.tps, null, 'the sandbox has no TPS limit');
    // Loopback base URLs: nothing routes to these connections, and nothing leaves the machine.
    const vonage = { provider: 'vonage', api_key: 'key', base_url: 'http://127.0.0.1:9' };
    await expect(200, { method: 'PUT', path: '/v1/connections/{name}', params: { name: 'vonage-open' }, body: { ...vonage, api_secret: 'secret', accept_unsigned_receipts: true } });
    await expect(200, { method: 'PUT', path: '/v1/connections/{name}', params: { name: 'vonage-signed' }, body: { ...vonage, signature_secret: 'signing-secret' } });
    await expect(400, { method: 'PUT', path: '/v1/connections/{name}', params: { name: 'broken' }, body: { provider: 'vonage' } });
    await expect(400, { method: 'PUT', path: '/v1/connections/{name}', params: { name: 'a' }, body: { provider: 'sandbox', name: 'b' } });

    const receipts = { method: 'POST', path: '/v1/providers/{provider}/{connection}/receipts', key: false } as const;
    const receipt = { messageId: 'UNKNOWN1', status: 'delivered', msisdn: '447400123456', 'err-code': '0' };
    const taken = await expect(200, { ...receipts, params: { provider: 'vonage', connection: 'vonage-open' }, body: receipt });
    assert.equal(taken.received.receipts, 1);
    await expect(200, { ...receipts, method: 'GET', params: { provider: 'vonage', connection: 'vonage-open' }, query: new URLSearchParams(receipt).toString() });
    await expect(400, { ...receipts, params: { provider: 'vonage', connection: 'vonage-open' }, body: '{"not json', headers: { 'content-type': 'application/json' } });
    await expect(401, { ...receipts, params: { provider: 'vonage', connection: 'vonage-signed' }, body: receipt });
    await expect(404, { ...receipts, params: { provider: 'twilio', connection: 'vonage-open' }, body: receipt });
    await expect(404, { ...receipts, method: 'GET', params: { provider: 'vonage', connection: 'nowhere' } });

    const routes = await expect(200, { method: 'GET', path: '/v1/routes' });
    await expect(200, { method: 'PUT', path: '/v1/routes', body: routes });
    await expect(400, { method: 'PUT', path: '/v1/routes', body: { routes: [{ name: 'x', connections: ['nowhere'] }] } });
    await expect(200, { method: 'GET', path: '/v1/connections/{name}/quality', params: { name: 'sandbox' }, query: 'window=7d&country=GB' });
    await expect(400, { method: 'GET', path: '/v1/connections/{name}/quality', params: { name: 'sandbox' }, query: 'window=forever' });
    await expect(404, { method: 'GET', path: '/v1/connections/{name}/quality', params: { name: 'nowhere' } });
    await expect(200, { method: 'POST', path: '/v1/routes/simulate', body: { ...routes, days: 3 } });
    await expect(400, { method: 'POST', path: '/v1/routes/simulate', body: { routes: [{ name: 'x', strategy: 'best', connections: ['nowhere'] }] } });
    await expect(204, { method: 'DELETE', path: '/v1/connections/{name}', params: { name: 'vonage-signed' } });
    await expect(404, { method: 'DELETE', path: '/v1/connections/{name}', params: { name: 'vonage-signed' } });
    await expect(400, { method: 'DELETE', path: '/v1/connections/{name}', params: { name: 'sandbox' } });
  });

  test('webhook endpoints, deliveries, the callback secret and notices', async () => {
    const endpoint = await expect(201, { method: 'POST', path: '/v1/webhooks/endpoints', body: { url: receiver.url, events: ['message.delivered'], description: 'conformance' } });
    await expect(400, { method: 'POST', path: '/v1/webhooks/endpoints', body: { url: 'ftp://example.com' } });
    await expect(400, { method: 'POST', path: '/v1/webhooks/endpoints', body: { url: receiver.url, events: ['message.exploded'] } });
    await expect(200, { method: 'GET', path: '/v1/webhooks/endpoints' });
    await expect(200, { method: 'GET', path: '/v1/webhooks/endpoints/{id}', params: { id: endpoint.id } });
    await expect(404, { method: 'GET', path: '/v1/webhooks/endpoints/{id}', params: { id: 'we_nope' } });
    await expect(200, { method: 'PATCH', path: '/v1/webhooks/endpoints/{id}', params: { id: endpoint.id }, body: { description: null } });
    await expect(404, { method: 'PATCH', path: '/v1/webhooks/endpoints/{id}', params: { id: 'we_nope' }, body: { enabled: true } });

    const sent = await expect(202, { method: 'POST', path: '/v1/messages', body: { from: 'Switchboard', to: '+447700900000', text: 'Tracked' } });
    const messageId = sent.messages[0].id as string;
    const delivery = await eventually(async () => {
      const res = await call({ method: 'GET', path: '/v1/webhooks/deliveries', query: `message_id=${messageId}` });
      return (res.json.deliveries as Json[] | undefined)?.find((d) => d.status === 'delivered');
    });
    await expect(200, { method: 'GET', path: '/v1/webhooks/deliveries/{id}', params: { id: delivery.id } });
    await expect(404, { method: 'GET', path: '/v1/webhooks/deliveries/{id}', params: { id: 'wd_nope' } });
    await expect(202, { method: 'POST', path: '/v1/webhooks/deliveries/{id}/resend', params: { id: delivery.id } });
    await expect(404, { method: 'POST', path: '/v1/webhooks/deliveries/{id}/resend', params: { id: 'wd_nope' } });
    await expect(400, { method: 'GET', path: '/v1/webhooks/deliveries', query: 'limit=1000' });
    await expect(200, { method: 'GET', path: '/v1/webhooks/callback-secret' });
    await expect(200, { method: 'GET', path: '/v1/notices', query: 'limit=5' });
    await expect(400, { method: 'GET', path: '/v1/notices', query: 'limit=five' });
    await expect(204, { method: 'DELETE', path: '/v1/webhooks/endpoints/{id}', params: { id: endpoint.id } });
    await expect(404, { method: 'DELETE', path: '/v1/webhooks/endpoints/{id}', params: { id: endpoint.id } });
    await expect(409, { method: 'POST', path: '/v1/webhooks/deliveries/{id}/resend', params: { id: delivery.id } });
  });

  test('opt-outs', async () => {
    await expect(201, { method: 'POST', path: '/v1/opt-outs', body: { sender: 'Shop', number: '+447700900099' } });
    const refused = await expect(403, { method: 'POST', path: '/v1/messages', body: { from: 'Shop', to: '+447700900099', text: 'Hi' } });
    assert.equal(refused.error.code, 'destination_opted_out');
    await expect(400, { method: 'POST', path: '/v1/opt-outs', body: { sender: 'Shop', number: '07700900099' } });
    await expect(200, { method: 'GET', path: '/v1/opt-outs', query: 'sender=Shop' });
    await expect(200, { method: 'GET', path: '/v1/opt-outs', query: 'format=csv&limit=100000' });
    await expect(200, { method: 'POST', path: '/v1/opt-outs/import', headers: { 'content-type': 'text/csv' }, body: 'number,sender\n+447700900098,*\n' });
    await expect(400, { method: 'POST', path: '/v1/opt-outs/import', headers: { 'content-type': 'text/csv' }, body: '07700900098' });
    await expect(400, { method: 'GET', path: '/v1/opt-outs', query: 'limit=1001' });
    await expect(204, { method: 'DELETE', path: '/v1/opt-outs', query: 'sender=Shop&number=%2B447700900099' });
    await expect(404, { method: 'DELETE', path: '/v1/opt-outs', query: 'sender=Shop&number=%2B447700900099' });
    await expect(400, { method: 'DELETE', path: '/v1/opt-outs', query: 'sender=Shop' });
  });

  test('keys', async () => {
    const made = await expect(201, { method: 'POST', path: '/v1/keys', body: { name: 'conformance', scopes: ['read'] } });
    await expect(400, { method: 'POST', path: '/v1/keys', body: { scopes: ['root'] } });
    await expect(200, { method: 'GET', path: '/v1/keys' });
    await expect(204, { method: 'DELETE', path: '/v1/keys/{id}', params: { id: made.id } });
    await expect(404, { method: 'DELETE', path: '/v1/keys/{id}', params: { id: made.id } });
  });

  test('accounts, balance and ledger', async () => {
    const child = await expect(201, { method: 'POST', path: '/v1/accounts', body: { name: 'Team', prices: { default: '0.05', entries: [{ country: 'GB', price: '0.04' }] } } });
    await expect(400, { method: 'POST', path: '/v1/accounts', body: { name: '' } });
    await expect(404, { method: 'POST', path: '/v1/accounts', body: { name: 'Orphan', parent: 'acct_nobody' } });
    await expect(200, { method: 'GET', path: '/v1/accounts' });
    await expect(200, { method: 'GET', path: '/v1/accounts/{id}', params: { id: child.id } });
    await expect(404, { method: 'GET', path: '/v1/accounts/{id}', params: { id: 'acct_nobody' } });
    await expect(200, { method: 'PATCH', path: '/v1/accounts/{id}', params: { id: child.id }, body: { name: 'Team A' } });
    await expect(200, { method: 'PATCH', path: '/v1/accounts/{id}', params: { id: child.id }, body: { compliance: { marketing: { windows: { mon: '08:00-22:00' }, holidays: true, caps: { day: 3 } } } } });
    await expect(201, { method: 'POST', path: '/v1/accounts/{id}/keys', params: { id: child.id }, body: { name: 'team' } });
    await expect(200, { method: 'GET', path: '/v1/accounts/{id}/keys', params: { id: child.id } });
    await expect(201, { method: 'POST', path: '/v1/accounts/{id}/top-ups', params: { id: child.id }, body: { amount: '10.00' } });
    await expect(400, { method: 'POST', path: '/v1/accounts/{id}/top-ups', params: { id: child.id }, body: { amount: '-1' } });
    await expect(402, { method: 'POST', path: '/v1/accounts/{id}/transfers', params: { id: child.id }, body: { amount: '1000000' } });
    await expect(201, { method: 'POST', path: '/v1/accounts/{id}/top-ups', params: { id: 'acct_default' }, body: { amount: '5' } });
    await expect(201, { method: 'POST', path: '/v1/accounts/{id}/transfers', params: { id: child.id }, body: { amount: '1.5' } });
    await expect(200, { method: 'GET', path: '/v1/balance', query: `account=${child.id}` });
    await expect(404, { method: 'GET', path: '/v1/balance', query: 'account=acct_nobody' });
    await expect(200, { method: 'GET', path: '/v1/ledger', query: `account=${child.id}` });
    await expect(400, { method: 'GET', path: '/v1/ledger', query: 'limit=0' });
  });

  test('lookups', async () => {
    await expect(200, { method: 'POST', path: '/v1/lookups', body: { numbers: ['+33612345678', '+447700900001'] } });
    const live = await expect(200, { method: 'POST', path: '/v1/lookups', body: { numbers: '+447700900001', live: true } });
    await expect(400, { method: 'POST', path: '/v1/lookups', body: { numbers: ['+33612345678', 'nope'] } });
    await expect(200, { method: 'GET', path: '/v1/lookups/{id}', params: { id: live.lookups[0].live.id } });
    await expect(404, { method: 'GET', path: '/v1/lookups/{id}', params: { id: 'lkp_nope' } });
  });

  test('numbers and usage', async () => {
    const child = await expect(201, { method: 'POST', path: '/v1/accounts', body: { name: 'Numbers' } });
    await expect(201, { method: 'POST', path: '/v1/numbers', body: { number: '+447700900777', account: child.id } });
    await expect(400, { method: 'POST', path: '/v1/numbers', body: { number: 'Shop' } });
    await expect(404, { method: 'POST', path: '/v1/numbers', body: { number: '+447700900777', account: 'acct_nobody' } });
    await expect(200, { method: 'GET', path: '/v1/numbers', query: `account=${child.id}` });
    await expect(400, { method: 'GET', path: '/v1/numbers', query: 'limit=0' });
    await expect(204, { method: 'DELETE', path: '/v1/numbers/{number}', params: { number: '+447700900777' } });
    await expect(404, { method: 'DELETE', path: '/v1/numbers/{number}', params: { number: '+447700900777' } });
    await expect(200, { method: 'GET', path: '/v1/usage', query: 'group=country' });
    await expect(200, { method: 'GET', path: '/v1/usage', query: `account=${child.id}&from=2026-01-01&to=2026-01-31` });
    await expect(400, { method: 'GET', path: '/v1/usage', query: 'from=2026-13-01' });
    await expect(404, { method: 'GET', path: '/v1/usage', query: 'account=acct_nobody' });
  });

  test('account limits and verified numbers', async () => {
    const trial = await expect(201, { method: 'POST', path: '/v1/accounts', body: { name: 'Trial', trial: true, ip_allowlist: ['127.0.0.1', '::1'], api_rate: 100 } });
    await expect(400, { method: 'POST', path: '/v1/accounts', body: { name: 'Trial', ip_allowlist: ['localhost'] } });
    await expect(200, { method: 'PATCH', path: '/v1/accounts/{id}', params: { id: trial.id }, body: { ip_allowlist: null, api_rate: null } });
    await expect(201, { method: 'POST', path: '/v1/verified-numbers', body: { number: '+447700900300', account: trial.id } });
    await expect(404, { method: 'POST', path: '/v1/verified-numbers', body: { number: '+447700900300', account: 'acct_nobody' } });
    await expect(400, { method: 'POST', path: '/v1/verified-numbers', body: { number: '+1555' } });
    const number = '+447700900301';
    await expect(201, { method: 'POST', path: '/v1/verified-numbers', body: { number } });
    const code = /\d{6}/.exec((await expect(200, { method: 'GET', path: '/v1/messages', query: `to=${encodeURIComponent(number)}` })).messages[0].text)![0];
    await expect(400, { method: 'POST', path: '/v1/verified-numbers/{number}/confirm', params: { number }, body: { code: 'nope' } });
    await expect(200, { method: 'POST', path: '/v1/verified-numbers/{number}/confirm', params: { number }, body: { code } });
    await expect(404, { method: 'POST', path: '/v1/verified-numbers/{number}/confirm', params: { number: '+447700900399' }, body: { code } });
    await expect(200, { method: 'GET', path: '/v1/verified-numbers', query: `account=${trial.id}` });
    await expect(404, { method: 'GET', path: '/v1/verified-numbers', query: 'account=acct_nobody' });
    await expect(204, { method: 'DELETE', path: '/v1/verified-numbers/{number}', params: { number } });
    await expect(404, { method: 'DELETE', path: '/v1/verified-numbers/{number}', params: { number } });
  });

  test('credentials for the compatible APIs', async () => {
    const child = await expect(201, { method: 'POST', path: '/v1/accounts', body: { name: 'Vonage app', protocols: ['api', 'vonage'] } });
    const made = await expect(201, { method: 'POST', path: '/v1/accounts/{id}/credentials', params: { id: child.id }, body: { protocol: 'vonage', signature_method: 'sha256' } });
    assert.equal(typeof made.secret, 'string');
    await expect(400, { method: 'POST', path: '/v1/accounts/{id}/credentials', params: { id: child.id }, body: { protocol: 'vonage', receipt_method: 'PUT' } });
    await expect(404, { method: 'POST', path: '/v1/accounts/{id}/credentials', params: { id: 'acct_nobody' }, body: { protocol: 'vonage' } });
    await expect(200, { method: 'GET', path: '/v1/accounts/{id}/credentials', params: { id: child.id } });
    await expect(404, { method: 'GET', path: '/v1/accounts/{id}/credentials', params: { id: 'acct_nobody' } });
    await expect(204, { method: 'DELETE', path: '/v1/accounts/{id}/credentials/{credential}', params: { id: child.id, credential: made.id } });
    await expect(404, { method: 'DELETE', path: '/v1/accounts/{id}/credentials/{credential}', params: { id: child.id, credential: made.id } });
  });

  test('every route refuses what any route may be sent wrong, as documented', async () => {
    const junk = { id: 'x', code: 'x', provider: 'x', connection: 'x', name: 'x', number: 'x', credential: 'x' };
    for (const op of doc.operations) {
      const params = Object.fromEntries(Object.keys(junk).map((k) => [k, junk[k as keyof typeof junk]]));
      if (op.secured) {
        assert.equal((await call({ method: op.method, path: op.path, params, key: false })).status, 401, op.key);
        const bad = await call({ method: op.method, path: op.path, params, headers: { authorization: 'Bearer sb_wrong' }, key: false });
        assert.equal(bad.status, 401, op.key);
        assert.equal(bad.json.error.code, 'invalid_api_key');
      }
      if (op.path.includes('{')) {
        const long = Object.fromEntries(Object.keys(junk).map((k) => [k, 'x'.repeat(101)]));
        assert.equal((await call({ method: op.method, path: op.path, params: long })).status, 400, `${op.key}: an overlong path parameter`);
      }
      if (op.body) {
        const plain = await call({ method: op.method, path: op.path, params, body: 'hello', headers: { 'content-type': 'text/plain' } });
        assert.equal(plain.status, 415, op.key);
        const huge = await call({ method: op.method, path: op.path, params, body: { text: 'x'.repeat(1024 * 1024) } });
        assert.equal(huge.status, 413, op.key);
      }
    }
  });

  test('an account over its rate limit gets the documented 429', async () => {
    limited = await testNode({ env: { SWITCHBOARD_RATE_LIMIT: '1', SWITCHBOARD_RATE_LIMIT_BURST: '1' } });
    const limitedBase = await limited.api.listen({ port: 0, host: '127.0.0.1' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${limitedBase}/v1/errors`, { headers: bearer(limited.key) });
      const text = await res.text();
      doc.check(doc.operation('GET', '/v1/errors'), res.status, res.headers.get('content-type') ?? undefined, text, 'rate limited');
      statuses.push(res.status);
    }
    assert.ok(statuses.includes(429), statuses.join(', '));
  });

  test('a request arriving while the node closes gets the documented 503', async () => {
    const closing = await testNode();
    const address = await closing.api.listen({ port: 0, host: '127.0.0.1' });
    const socket = connect(Number(new URL(address).port), '127.0.0.1');
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString()));
    const until = (text: string) => eventually(async () => (received.includes(text) ? true : undefined));
    // The first request is in the node (its 100 Continue says so) when closing starts; the second comes after.
    socket.write(`POST /v1/opt-outs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${closing.key}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n`);
    await until('100 Continue');
    const stopped = closing.close();
    await new Promise((resolve) => setImmediate(resolve));
    socket.write('{}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => socket.on('close', resolve));
    await stopped;
    const last = received.slice(received.lastIndexOf('HTTP/1.1 '));
    const [head, body] = last.split('\r\n\r\n') as [string, string];
    assert.match(head, /^HTTP\/1\.1 503 /);
    doc.check(doc.operation('GET', '/healthz'), 503, /content-type: ([^\r]+)/i.exec(head)?.[1], body, 'while closing');
    assert.equal(JSON.parse(body).error.code, 'service_unavailable');
  });

  test('every operation of the document was driven to a success and, where it documents a client error, a failure', () => {
    for (const op of doc.operations) {
      const statuses = [...(seen.get(op.key) ?? [])];
      assert.ok(statuses.some((s) => s < 300), `${op.key} never succeeded: add a call for it (${statuses.join(', ')})`);
      const clientErrors = Object.keys(op.responses).some((s) => s.startsWith('4'));
      assert.ok(!clientErrors || statuses.some((s) => s >= 400 && s < 500), `${op.key} never failed: add a call for it`);
    }
  });
});
