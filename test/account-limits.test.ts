import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CODE_TTL_MS, MAX_CODE_TRIES } from '../src/app/verified-numbers.js';
import { bearer, testNode, type TestNode } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

describe('account limits: trial mode and verified numbers, the IP allowlist, the API rate', () => {
  let node: TestNode;
  let base: string;
  /** A reseller under the operator, and its shop under it. */
  let a: Json, a1: Json, keyA: string, keyA1: string;

  /** A real HTTP request from 127.0.0.1, as a client sends it. */
  const call = async (key: string, method: string, path: string, payload?: object, headers: Record<string, string> = {}, to = base) => {
    const res = await fetch(`${to}${path}`, {
      method,
      headers: { ...bearer(key), ...(payload && { 'content-type': 'application/json' }), ...headers },
      ...(payload && { body: JSON.stringify(payload) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json, headers: res.headers };
  };
  /** The code the gateway sent to `number`, read from the operator's own message log. */
  const codeSentTo = async (number: string) => {
    const sent = (await call(node.key, 'GET', `/v1/messages?to=${encodeURIComponent(number)}&limit=1`)).body.messages[0];
    assert.equal(sent.from, 'Switchboard');
    return /\d{6}/.exec(sent.text)![0];
  };

  before(async () => {
    node = await testNode();
    base = await node.api.listen({ port: 0, host: '127.0.0.1' });
    a = (await call(node.key, 'POST', '/v1/accounts', { name: 'Reseller' })).body;
    keyA = (await call(node.key, 'POST', `/v1/accounts/${a.id}/keys`, { scopes: ['send', 'read', 'accounts'] })).body.key;
    a1 = (await call(keyA, 'POST', '/v1/accounts', { name: 'Shop', trial: true, prices: { default: '0.05', entries: [] } })).body;
    keyA1 = (await call(keyA, 'POST', `/v1/accounts/${a1.id}/keys`, { scopes: ['send', 'read', 'accounts'] })).body.key;
    await call(node.key, 'POST', `/v1/accounts/${a1.id}/top-ups`, { amount: '1' });
  });
  after(() => node.close());

  test('every limit is shown with the account, set on create and by its parent, never by itself', async () => {
    assert.deepEqual([a.trial, a.ip_allowlist, a.api_rate], [false, null, null]);
    assert.equal(a1.trial, true);
    const own = await call(keyA1, 'PATCH', `/v1/accounts/${a1.id}`, { trial: false });
    assert.deepEqual([own.status, own.body.error.code], [404, 'not_found'], 'an account never lifts its own trial');
    const bad = await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, { ip_allowlist: ['10.0.0.0/8', '10.0.0.0/33'] });
    assert.deepEqual([bad.status, bad.body.error.code, bad.body.error.param], [400, 'invalid_parameter', 'ip_allowlist[1]']);
    for (const body of [{ api_rate: 0 }, { api_rate: 'fast' }, { trial: 'yes' }, { ip_allowlist: 'any' }]) {
      assert.equal((await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, body)).status, 400, JSON.stringify(body));
    }
    const shown = (await call(keyA, 'GET', `/v1/accounts/${a1.id}`)).body;
    assert.deepEqual([shown.trial, shown.ip_allowlist, shown.api_rate], [true, null, null]);
  });

  test('in trial, a request naming a number not verified is refused whole, naming it, and nothing is charged', async () => {
    await call(keyA, 'POST', '/v1/verified-numbers', { number: '+447700900201', account: a1.id });
    const refused = await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: ['+447700900201', '+447700900202'], text: 'Hi' });
    assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.param], [403, 'destination_not_allowed', 'to[1]']);
    assert.equal((await call(keyA1, 'GET', '/v1/balance')).body.balance, '1.000000');
    const sent = await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900201', text: 'Hi' });
    assert.deepEqual([sent.status, sent.body.remaining_balance], [202, '0.950000']);
    // An account under one in trial is in trial too, with its own numbers.
    const sub = (await call(keyA1, 'POST', '/v1/accounts', { name: 'Till' })).body;
    const keySub = (await call(keyA1, 'POST', `/v1/accounts/${sub.id}/keys`, {})).body.key;
    assert.equal((await call(keySub, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900201', text: 'Hi' })).body.error.code, 'destination_not_allowed');
    // Out of trial, any number.
    await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, { trial: false });
    assert.equal((await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900202', text: 'Hi' })).status, 202);
    assert.equal((await call(keySub, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900202', text: 'Hi' })).status, 202);
    await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, { trial: true });
  });

  test('an account verifies a number with the code the gateway sends it, at the operator\'s charge', async () => {
    const number = '+447700900203';
    const added = await call(keyA1, 'POST', '/v1/verified-numbers', { number });
    assert.deepEqual([added.status, added.body.number, added.body.status, added.body.verified_at], [201, number, 'pending', null]);
    assert.ok(Date.parse(added.body.code_expires_at) > Date.now());
    assert.equal((await call(keyA1, 'GET', '/v1/balance')).body.balance, '0.900000', 'the code is not charged to the account');
    const code = await codeSentTo(number);
    const again = await call(keyA1, 'POST', '/v1/verified-numbers', { number });
    assert.deepEqual([again.status, again.body.error.code], [429, 'rate_limit_exceeded']);
    assert.ok(Number(again.headers.get('retry-after')) > 0);
    assert.equal((await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: number, text: 'Hi' })).body.error.code, 'destination_not_allowed', 'pending is not verified');
    const wrong = await call(keyA1, 'POST', `/v1/verified-numbers/${encodeURIComponent(number)}/confirm`, { code: code === '000000' ? '000001' : '000000' });
    assert.deepEqual([wrong.status, wrong.body.error.code, wrong.body.error.param], [400, 'invalid_verification_code', 'code']);
    assert.match(wrong.body.error.message, /4 tries left/);
    const confirmed = await call(keyA1, 'POST', `/v1/verified-numbers/${encodeURIComponent(number)}/confirm`, { code });
    assert.deepEqual([confirmed.status, confirmed.body.status, confirmed.body.code_expires_at], [200, 'verified', null]);
    assert.equal((await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: number, text: 'Hi' })).status, 202);
    const list = (await call(keyA1, 'GET', '/v1/verified-numbers')).body.verified_numbers.map((n: Json) => [n.number, n.status]);
    assert.deepEqual(list, [['+447700900201', 'verified'], [number, 'verified']]);
    assert.deepEqual((await call(keyA, 'GET', `/v1/verified-numbers?account=${a1.id}`)).body.verified_numbers.length, 2, 'its parent reads them');
    assert.equal((await call(keyA1, 'DELETE', `/v1/verified-numbers/${encodeURIComponent(number)}`)).status, 204);
    assert.equal((await call(keyA1, 'DELETE', `/v1/verified-numbers/${encodeURIComponent(number)}`)).status, 404);
    assert.equal((await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: number, text: 'Hi' })).body.error.code, 'destination_not_allowed');
  });

  test('wrong codes lock a number until a new code is sent; a code expires', async () => {
    const number = '+447700900204';
    await call(keyA1, 'POST', '/v1/verified-numbers', { number });
    const code = await codeSentTo(number);
    const confirm = (c: string) => call(keyA1, 'POST', `/v1/verified-numbers/${encodeURIComponent(number)}/confirm`, { code: c });
    const other = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < MAX_CODE_TRIES; i++) assert.equal((await confirm(other)).body.error.code, 'invalid_verification_code');
    const locked = await confirm(code);
    assert.deepEqual([locked.status, locked.body.error.code], [400, 'invalid_verification_code']);
    assert.match(locked.body.error.message, /Too many wrong codes/);
    // A minute on, a new code unlocks it; ten minutes on, that code has expired.
    node.clock.advance(61_000);
    assert.equal((await call(keyA1, 'POST', '/v1/verified-numbers', { number })).status, 201);
    const fresh = await codeSentTo(number);
    node.clock.advance(CODE_TTL_MS);
    assert.match((await confirm(fresh)).body.error.message, /expired/);
    assert.equal((await confirm('1')).status, 400);
    assert.equal((await call(keyA1, 'POST', '/v1/verified-numbers/%2B447700900299/confirm', { code: '123456' })).status, 404, 'a number never added');
  });

  test('a number is read as a recipient is; a sub-account\'s numbers are its parent\'s to add, with the accounts scope', async () => {
    const bad = await call(keyA1, 'POST', '/v1/verified-numbers', { number: '+1555' });
    assert.deepEqual([bad.status, bad.body.error.code, bad.body.error.param], [400, 'invalid_phone_number', 'number']);
    const notMine = await call(keyA1, 'POST', '/v1/verified-numbers', { number: '+447700900205', account: a.id });
    assert.deepEqual([notMine.status, notMine.body.error.param], [404, 'account'], 'never its parent\'s');
    const sendOnly = (await call(keyA, 'POST', `/v1/accounts/${a1.id}/keys`, { scopes: ['send'] })).body.key;
    const sub = (await call(keyA1, 'POST', '/v1/accounts', { name: 'Kiosk' })).body;
    assert.equal((await call(sendOnly, 'POST', '/v1/verified-numbers', { number: '+447700900205', account: sub.id })).body.error.code, 'insufficient_scope');
    const direct = await call(keyA1, 'POST', '/v1/verified-numbers', { number: '+447700900205', account: sub.id });
    assert.deepEqual([direct.status, direct.body.status], [201, 'verified']);
    assert.equal((await call(keyA1, 'DELETE', `/v1/verified-numbers/${encodeURIComponent('+447700900205')}?account=${sub.id}`)).status, 204);
  });

  test('a key used from outside its account\'s IP allowlist, or an ancestor\'s, is refused on the next request', async () => {
    const allow = async (key: string, id: string, list: string[] | null) => assert.equal((await call(key, 'PATCH', `/v1/accounts/${id}`, { ip_allowlist: list })).status, 200);
    await allow(keyA, a1.id, ['10.0.0.0/8', '2001:db8::1']);
    const refused = await call(keyA1, 'GET', '/v1/balance');
    assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.type], [403, 'ip_not_allowed', 'authentication_error']);
    assert.equal((await call(keyA1, 'GET', `/v1/accounts/${a1.id}`, undefined, {}, base)).body.error.code, 'ip_not_allowed', 'on every route');
    await allow(keyA, a1.id, ['127.0.0.1', '::1']);
    assert.deepEqual((await call(keyA, 'GET', `/v1/accounts/${a1.id}`)).body.ip_allowlist, ['127.0.0.1/32', '::1/128'], 'a bare address is itself alone');
    assert.equal((await call(keyA1, 'GET', '/v1/balance')).status, 200);
    // The parent's own list holds for everything under it.
    await allow(node.key, a.id, ['192.0.2.0/24']);
    assert.equal((await call(keyA1, 'GET', '/v1/balance')).body.error.code, 'ip_not_allowed');
    assert.equal((await call(keyA, 'GET', '/v1/balance')).body.error.code, 'ip_not_allowed');
    await allow(node.key, a.id, ['127.0.0.0/8']);
    assert.equal((await call(keyA1, 'GET', '/v1/balance')).status, 200);
    await allow(node.key, a.id, null);
    // X-Forwarded-For names no one unless the operator trusts the proxy.
    await allow(keyA, a1.id, ['10.0.0.0/8']);
    assert.equal((await call(keyA1, 'GET', '/v1/balance', undefined, { 'x-forwarded-for': '10.1.2.3' })).body.error.code, 'ip_not_allowed');
    const proxied = await testNode({ dir: node.dir, env: { SWITCHBOARD_TRUST_PROXY: '127.0.0.1' } });
    try {
      const behind = await proxied.api.listen({ port: 0, host: '127.0.0.1' });
      assert.equal((await call(keyA1, 'GET', '/v1/balance', undefined, { 'x-forwarded-for': '10.1.2.3' }, behind)).status, 200);
      assert.equal((await call(keyA1, 'GET', '/v1/balance', undefined, { 'x-forwarded-for': '10.1.2.3, 203.0.113.9' }, behind)).body.error.code, 'ip_not_allowed', 'the address the trusted proxy saw');
      assert.equal((await call(keyA1, 'GET', '/v1/balance', undefined, {}, behind)).body.error.code, 'ip_not_allowed');
    } finally {
      await proxied.stop();
    }
    await allow(keyA, a1.id, null);
    assert.equal((await call(keyA1, 'GET', '/v1/balance')).status, 200);
  });

  test('an account\'s own API rate holds for it alone, with Retry-After; null gives back the operator\'s default', async () => {
    const set = await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, { api_rate: 1 });
    assert.equal(set.body.api_rate, 1);
    // A burst of twice the rate, then refused: requests sent at once.
    const answers = await Promise.all(Array.from({ length: 4 }, () => call(keyA1, 'GET', '/v1/balance')));
    const limited = answers.filter((r) => r.status === 429);
    assert.ok(limited.length >= 1, answers.map((r) => r.status).join(', '));
    assert.equal(limited[0]!.body.error.code, 'rate_limit_exceeded');
    assert.ok(Number(limited[0]!.headers.get('retry-after')) >= 1);
    assert.equal((await call(keyA, 'GET', '/v1/balance')).status, 200, 'its parent is not held by it');
    await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, { api_rate: null });
    const free = await Promise.all(Array.from({ length: 4 }, () => call(keyA1, 'GET', '/v1/balance')));
    assert.deepEqual(free.map((r) => r.status), [200, 200, 200, 200], 'no limit by default');
  });

  test('the operator sets limits and verifies numbers from the command line', () => {
    const env = { ...process.env, SWITCHBOARD_DATA_DIR: node.dir, LOG_LEVEL: 'silent' };
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'accounts', ...args], { env, encoding: 'utf8' });
    const set = run('limits', a.id, '--trial', 'on', '--ip-allowlist', '127.0.0.1,10.0.0.0/8', '--api-rate', '50', '--refuse-dead-numbers', 'on');
    assert.equal(set.status, 0, set.stderr);
    assert.equal(set.stdout, `${a.id}: trial on; IP allowlist 127.0.0.1/32, 10.0.0.0/8; API rate 50 requests/s; numbers found dead refused.\n`);
    assert.match(
      run('limits', a.id, '--trial', 'off', '--ip-allowlist', 'any', '--api-rate', 'default', '--refuse-dead-numbers', 'off').stdout,
      /trial off; IP allowlist any; API rate the default; numbers found dead sent to\./,
    );
    assert.equal(run('limits', a.id, '--refuse-dead-numbers', 'yes').status, 1);
    assert.match(run('verify-number', a.id, '+447700900206').stdout, /\+447700900206 is verified/);
    assert.equal(run('limits', a.id, '--ip-allowlist', '10.0.0.300').status, 1);
    assert.equal(run('verify-number', a.id).status, 2);
  });
});
