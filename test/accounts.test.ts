import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { bearer, eventually, testNode, type TestNode } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

describe('accounts, sub-accounts, prices and the ledger', () => {
  let node: TestNode;
  /** Keys: the operator (admin, default account), A (under the operator) and A1 (under A). */
  let a: Json, a1: Json, keyA: string, keyA1: string;

  const call = async (key: string, method: string, url: string, payload?: object, headers: Record<string, string> = {}) => {
    const res = await node.api.inject({ method: method as 'GET', url, headers: { ...bearer(key), ...headers }, ...(payload && { payload }) });
    return { status: res.statusCode, body: res.headers['content-type']?.toString().startsWith('application/json') ? (res.json() as Json) : ({} as Json), text: res.body, headers: res.headers };
  };
  const balance = async (key: string) => (await call(key, 'GET', '/v1/balance')).body.balance as string;

  before(async () => {
    node = await testNode();
    const created = await call(node.key, 'POST', '/v1/accounts', { name: 'Reseller A', currency: 'EUR' });
    assert.equal(created.status, 201, created.text);
    a = created.body;
    keyA = (await call(node.key, 'POST', `/v1/accounts/${a.id}/keys`, { scopes: ['send', 'read', 'accounts'] })).body.key;
    const sub = await call(keyA, 'POST', '/v1/accounts', { name: 'Shop A1' });
    assert.equal(sub.status, 201, sub.text);
    a1 = sub.body;
    keyA1 = (await call(keyA, 'POST', `/v1/accounts/${a1.id}/keys`, { name: 'shop' })).body.key;
  });
  after(() => node.close());

  test('an account lives under its creator, takes its currency, and sees only what lies under it', async () => {
    assert.deepEqual({ parent: a.parent_id, status: a.status, balance: a.balance, prices: a.prices }, { parent: 'acct_default', status: 'active', balance: '0.000000', prices: null });
    assert.deepEqual({ parent: a1.parent_id, currency: a1.currency }, { parent: a.id, currency: 'EUR' });
    assert.deepEqual((await call(keyA, 'GET', '/v1/accounts')).body.accounts.map((x: Json) => x.id), [a1.id]);
    assert.deepEqual((await call(node.key, 'GET', `/v1/accounts?parent=${a.id}`)).body.accounts.map((x: Json) => x.id), [a1.id]);
    // Its parent, itself (to change), an unknown id: the same 404.
    for (const [key, url] of [[keyA, `/v1/accounts/acct_default`], [keyA, `/v1/accounts/nope`]] as const) {
      assert.deepEqual([(await call(key, 'GET', url)).status, (await call(key, 'GET', url)).body.error.code], [404, 'not_found'], url);
    }
    assert.equal((await call(keyA, 'PATCH', `/v1/accounts/${a.id}`, { status: 'active' })).status, 404, 'an account does not change itself');
    // A key without the accounts scope, or asking for admin on a sub-account: refused.
    assert.equal((await call(keyA1, 'POST', '/v1/accounts', { name: 'x' })).body.error.code, 'insufficient_scope');
    const admin = await call(keyA, 'POST', `/v1/accounts/${a1.id}/keys`, { scopes: ['admin'] });
    assert.deepEqual([admin.status, admin.body.error.param], [400, 'scopes']);
    assert.equal((await call(keyA, 'POST', `/v1/accounts/${a1.id}/top-ups`, { amount: '5' })).body.error.code, 'insufficient_scope', 'top-ups are the operator\'s');
  });

  test('top-ups and transfers move exact amounts; a transfer the parent cannot cover moves nothing', async () => {
    const top = await call(node.key, 'POST', `/v1/accounts/${a.id}/top-ups`, { amount: '1.00', description: 'invoice 7' });
    assert.deepEqual([top.status, top.body.type, top.body.amount, top.body.balance_after], [201, 'top_up', '1.000000', '1.000000']);
    const short = await call(keyA, 'POST', `/v1/accounts/${a1.id}/transfers`, { amount: '1.000001' });
    assert.deepEqual([short.status, short.body.error.code], [402, 'insufficient_credit']);
    const moved = await call(keyA, 'POST', `/v1/accounts/${a1.id}/transfers`, { amount: '0.5' });
    assert.deepEqual([moved.status, moved.body.amount, moved.body.counterparty], [201, '-0.500000', a1.id]);
    assert.equal(await balance(keyA), '0.500000');
    assert.equal(await balance(keyA1), '0.500000');
    assert.equal((await call(keyA, 'GET', `/v1/balance?account=${a1.id}`)).body.balance, '0.500000', 'a parent reads its sub-account\'s balance');
    assert.equal((await call(keyA1, 'GET', `/v1/balance?account=${a.id}`)).status, 404, 'never its parent\'s');
    assert.equal((await call(keyA, 'POST', `/v1/accounts/${a1.id}/transfers`, { amount: '0.1234567' })).status, 400, 'at most six decimals');
  });

  test('with a price list, a send is priced per recipient and segment at accept, and answers with the balance left', async () => {
    const prices = { entries: [{ country: 'GB', price: '0.10' }, { prefix: '+4477009000', price: '0.05' }, { network: '23410', ranges: ['+447700900001'], price: '0.04' }] };
    const set = await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, { prices });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.body.prices.entries.map((e: Json) => e.price), ['0.100000', '0.050000', '0.040000']);
    const sent = await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: ['+447700900001', '+447700900002', '+447400123456'], text: 'Hi' });
    assert.equal(sent.status, 202, sent.text);
    assert.deepEqual(sent.body.messages.map((m: Json) => m.price), ['0.040000', '0.050000', '0.100000'], 'network, prefix, country: the most specific wins');
    assert.equal(sent.body.remaining_balance, '0.310000');
    // Two segments cost twice.
    const long = await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900002', text: 'x'.repeat(200) });
    assert.deepEqual([long.body.messages[0].segments, long.body.messages[0].price, long.body.remaining_balance], [2, '0.100000', '0.210000']);
    assert.equal((await call(keyA1, 'GET', `/v1/messages/${long.body.messages[0].id}`)).body.price, '0.100000');
  });

  test('a recipient without a price, or a request the balance does not cover, is refused whole: nothing stored, nothing charged', async () => {
    const before = (await call(keyA1, 'GET', '/v1/messages?limit=100')).body.messages.length;
    const noPrice = await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: ['+447700900002', '+33612345678'], text: 'Hi' });
    assert.deepEqual([noPrice.status, noPrice.body.error.code, noPrice.body.error.param], [422, 'no_price', 'to[1]']);
    const short = await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: Array.from({ length: 5 }, (_, i) => `+44770090001${i}`), text: 'Hi' });
    assert.deepEqual([short.status, short.body.error.code, short.body.error.type], [402, 'insufficient_credit', 'account_error']);
    assert.equal((await call(keyA1, 'GET', '/v1/messages?limit=100')).body.messages.length, before);
    assert.equal(await balance(keyA1), '0.210000');
  });

  test('a message that never reaches a provider is refunded; the ledger sums to the balance and exports as CSV', async () => {
    const later = new Date(Date.now() + 3600_000).toISOString();
    const scheduled = await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900003', text: 'Later', send_at: later });
    assert.equal(scheduled.body.remaining_balance, '0.160000');
    const canceled = await call(keyA1, 'POST', `/v1/messages/${scheduled.body.messages[0].id}/cancel`);
    assert.equal(canceled.status, 200);
    assert.equal(await balance(keyA1), '0.210000');
    const ledger = (await call(keyA1, 'GET', '/v1/ledger')).body;
    assert.deepEqual(ledger.entries.map((e: Json) => [e.type, e.amount]), [['refund', '0.050000'], ['charge', '-0.050000'], ['charge', '-0.100000'], ['charge', '-0.190000'], ['transfer_in', '0.500000']]);
    assert.equal(ledger.entries[0].message_id, scheduled.body.messages[0].id);
    const micro = ledger.entries.reduce((sum: number, e: Json) => sum + Math.round(Number(e.amount) * 1e6), 0);
    assert.equal(micro, 210_000);
    const charges = (await call(keyA1, 'GET', '/v1/ledger?type=charge&limit=2')).body;
    assert.equal(charges.entries.length, 2);
    assert.deepEqual((await call(keyA1, 'GET', `/v1/ledger?type=charge&cursor=${charges.next_cursor}`)).body.entries.map((e: Json) => e.amount), ['-0.190000']);
    for (const [url, headers] of [['/v1/ledger?format=csv', {}], ['/v1/ledger', { accept: 'text/csv' }]] as const) {
      const csv = await call(keyA1, 'GET', url, undefined, headers);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      assert.equal(lines[0], 'id,at,type,amount,currency,balance_after,message_id,messages,counterparty,description');
      assert.equal(lines.length, 6);
      assert.match(lines[1]!, /,refund,0\.050000,EUR,0\.210000,msg_/);
    }
    assert.equal((await call(keyA, 'GET', `/v1/ledger?account=${a1.id}`)).body.entries.length, 5, 'a parent reads its sub-account\'s ledger');
  });

  test('a parent reads its sub-accounts\' messages, never the other way round', async () => {
    const own = (await call(keyA1, 'GET', '/v1/messages')).body.messages;
    const seen = (await call(keyA, 'GET', `/v1/messages?account=${a1.id}`)).body.messages;
    assert.deepEqual(seen.map((m: Json) => m.id), own.map((m: Json) => m.id));
    assert.equal((await call(keyA, 'GET', `/v1/messages/${own[0].id}?account=${a1.id}`)).status, 200);
    assert.equal((await call(keyA, 'GET', `/v1/messages/${own[0].id}`)).status, 404, 'by default a request acts on the caller\'s own account');
    assert.equal((await call(keyA1, 'GET', `/v1/messages?account=${a.id}`)).status, 404);
  });

  test('a disabled or blocked account is refused, each with its own code, on its next request; enabled again, it works', async () => {
    for (const [status, code] of [['disabled', 'account_disabled'], ['blocked', 'account_blocked']] as const) {
      assert.equal((await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, { status })).body.status, status);
      const refused = await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900002', text: 'Hi' });
      assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.type], [403, code, 'account_error']);
      assert.equal((await call(keyA1, 'GET', '/v1/balance')).body.error.code, code);
    }
    await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, { status: 'active' });
    assert.equal((await call(keyA1, 'GET', '/v1/balance')).status, 200);
    // Disabling an account disables the accounts under it.
    await call(node.key, 'PATCH', `/v1/accounts/${a.id}`, { status: 'disabled' });
    assert.equal((await call(keyA1, 'GET', '/v1/balance')).body.error.code, 'account_disabled');
    await call(node.key, 'PATCH', `/v1/accounts/${a.id}`, { status: 'active' });
    assert.equal((await call(keyA1, 'GET', '/v1/balance')).status, 200);
  });

  test('messages accepted before their account (or one above it) is disabled are not sent: each fails with its code, refunded', async () => {
    const sendAt = new Date(Date.now() + 1500).toISOString();
    const accepted = await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900002', text: 'Later', send_at: sendAt });
    assert.equal(accepted.status, 202, accepted.text);
    assert.equal(accepted.body.remaining_balance, '0.160000');
    const id = accepted.body.messages[0].id;
    await call(node.key, 'PATCH', `/v1/accounts/${a.id}`, { status: 'disabled' });
    try {
      const failed = await eventually(async () => {
        const m = (await call(node.key, 'GET', `/v1/messages/${id}?account=${a1.id}`)).body;
        return m.status === 'failed' ? m : undefined;
      }, 10_000);
      assert.equal(failed.error.code, 'account_disabled');
      const events = (await call(node.key, 'GET', `/v1/messages/${id}?account=${a1.id}`)).body.events.map((e: Json) => e.type);
      assert.ok(!events.includes('sent'), `never handed to a provider: ${events.join(', ')}`);
      assert.equal((await call(node.key, 'GET', `/v1/balance?account=${a1.id}`)).body.balance, '0.210000', 'refunded');
    } finally {
      await call(node.key, 'PATCH', `/v1/accounts/${a.id}`, { status: 'active' });
    }
  });

  test('an account with allowed senders sends from them only', async () => {
    const set = await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, { allowed_senders: ['Shop', '+447700900555'] });
    assert.deepEqual(set.body.allowed_senders, ['Shop', '+447700900555']);
    const refused = await call(keyA1, 'POST', '/v1/messages', { from: 'Other', to: '+447700900002', text: 'Hi' });
    assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.param], [400, 'sender_not_authorized', 'from']);
    assert.equal((await call(keyA1, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900002', text: 'Hi' })).status, 202);
    assert.equal((await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, { allowed_senders: null })).body.allowed_senders, null);
    assert.equal((await call(keyA1, 'POST', '/v1/messages', { from: 'Other', to: '+447700900002', text: 'Hi' })).status, 202, 'null: any sender');
  });

  test('an account without a price list is not charged: no price, no balance in the answer', async () => {
    const sent = await call(node.key, 'POST', '/v1/messages', { from: 'Ops', to: '+447700900000', text: 'Hi' });
    assert.equal(sent.status, 202);
    assert.equal(sent.body.remaining_balance, undefined);
    assert.equal(sent.body.messages[0].price, undefined);
  });

  test('bad amounts and price lists get the canonical error, never a 500', async () => {
    for (const body of [
      { prices: { entries: [{ country: 'GB', prefix: '+44', price: '1' }] } },
      { prices: { entries: [{ network: '23410', price: '1' }] } },
      { prices: { entries: [{ country: 'GB', price: 0.1 }] } },
      { credit_limit: '-1' },
    ]) {
      const res = await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.body.error.type, 'invalid_request_error');
    }
    assert.equal((await call(keyA, 'PATCH', `/v1/accounts/${a1.id}`, { credit_limit: '5' })).body.error.code, 'insufficient_scope', 'credit is the operator\'s to give');
  });

  test('the operator manages accounts from the command line, on the same store', () => {
    const env = { ...process.env, SWITCHBOARD_DATA_DIR: node.dir, LOG_LEVEL: 'silent' };
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'accounts', ...args], { env, encoding: 'utf8' });
    const created = run('create', '--name', 'Agency', '--currency', 'GBP', '--json');
    assert.equal(created.status, 0, created.stderr);
    const id = (JSON.parse(created.stdout) as Json).id as string;
    assert.match(run('list').stdout, new RegExp(`${id}  acct_default  active  0\\.000000 GBP  not charged  Agency`));
    assert.match(run('top-up', id, '12.5').stdout, /balance 12\.500000/);
    assert.equal((JSON.parse(run('show', id, '--json').stdout) as Json).balance, 12_500_000);
    assert.match(run('disable', id).stdout, /is disabled/);
    assert.equal(run('show', 'acct_nope').status, 1);
    assert.equal(run('create').status, 2);
  });
});
