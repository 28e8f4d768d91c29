import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { after, before, describe, test } from 'node:test';
import { newId, newMessageId } from '../src/app/ids.js';
import type { ClaimedDelivery, Mark, NewMessage, Store } from '../src/app/store.js';
import type { MessageEvent } from '../src/core/message.js';
import { PostgresStore } from '../src/storage/postgres/store.js';
import { SqliteStore } from '../src/storage/sqlite/store.js';
import { TEST_DATABASE_URL, tempDir } from './helpers.js';

// One storage contract, two implementations: every test here runs on SQLite and on PostgreSQL.

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);

const event = (at: number, type: string, status: NewMessage['status'] | null = null): MessageEvent => ({ at, type, status, error: null, detail: { n: 1 }, payload: { raw: type } });

let seq = 0;
function message(overrides: Partial<NewMessage> = {}): NewMessage {
  const now = T0 + seq++;
  return {
    id: newMessageId(now),
    accountId: 'acc',
    to: '+447700900000',
    from: 'Shop',
    text: 'Hi',
    encoding: 'GSM-7',
    segments: 1,
    status: 'queued',
    error: null,
    clientRef: null,
    callbackUrl: null,
    callbackEvents: null,
    sendAt: null,
    expiresAt: T0 + 3_600_000,
    createdAt: now,
    updatedAt: now,
    connection: 'c1',
    route: { name: 'main', chain: ['c1', 'c2'], resendUnknown: false, reason: 'every destination', accepted: 'c1' },
    attempts: 0,
    nextAttemptAt: null,
    providerMessageId: null,
    dueAt: T0,
    ...overrides,
  };
}

/** Stores messages as one accepted request, not charged. */
const insert = (store: Store, messages: readonly NewMessage[]) => store.insertMessages([{ messages, respond: () => '' }]);

const claim = (store: Store, over: Partial<Parameters<Store['claimDue']>[0]> = {}) =>
  store.claimDue({ connection: 'c1', now: T0, limit: 100, owner: 'n1', leaseUntil: T0 + 30_000, ...over });

/** A store, what drops it, and a read of its tables as they are (for what the contract keeps out of sight). */
interface Opened {
  readonly store: Store;
  readonly drop: () => Promise<void>;
  readonly rows: (sql: string) => Promise<unknown[]>;
}

const implementations: [string, () => Promise<Opened>][] = [
  [
    'SQLite',
    async () => {
      const dir = tempDir();
      const file = join(dir, 'switchboard.db');
      const rows = async (sql: string) => {
        const db = new BetterSqlite3(file, { readonly: true });
        try {
          return db.prepare(sql).all();
        } finally {
          db.close();
        }
      };
      return { store: new SqliteStore({ file, synchronous: 'normal' }), drop: async () => rmSync(dir, { recursive: true, force: true }), rows };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const schema = `test_${process.pid}_${Date.now()}`;
      const store = new PostgresStore({ url: TEST_DATABASE_URL, schema });
      const rows = async (sql: string) => {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
        await client.connect();
        try {
          return (await client.query(sql)).rows;
        } finally {
          await client.end();
        }
      };
      return { store, drop: () => store.dropSchema(), rows };
    },
  ],
];

for (const [name, open] of implementations) {
  describe(`the store contract on ${name}`, () => {
    let store: Store;
    let drop: () => Promise<void>;
    let rows: Opened['rows'];
    before(async () => {
      ({ store, drop, rows } = await open());
      await store.migrate();
      await store.migrate(); // a second run finds nothing to do
    });
    after(async () => {
      await drop();
      await store.close();
    });

    test("warns of the database server's settings that slow the gateway down as its tables grow", async () => {
      const warnings = await store.serverWarnings();
      if (name === 'SQLite') return assert.deepEqual(warnings, []);
      // Whatever this server's setting: the warning is there exactly when autovacuum is off.
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      const { rows } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
      await client.end();
      assert.deepEqual(warnings.map((w) => /autovacuum is off/.test(w)), rows[0]!.autovacuum === 'on' ? [] : [true]);
    });

    test('accounts and hashed API keys', async () => {
      assert.equal(await store.ensureAccount('acc', 'Account', T0), true);
      assert.equal(await store.ensureAccount('acc', 'Account', T0), false);
      await store.insertApiKey({ id: 'key1', accountId: 'acc', hash: 'h1', prefix: 'sk_abcd', name: 'ci', scopes: ['send', 'read'], createdAt: T0 });
      await store.insertApiKey({ id: 'key2', accountId: 'acc', hash: 'h2', prefix: 'sk_efgh', name: null, scopes: ['admin'], createdAt: T0 + 1 });
      const key1 = { id: 'key1', accountId: 'acc', name: 'ci', prefix: 'sk_abcd', scopes: ['send', 'read'], createdAt: T0, lastUsedAt: null, revokedAt: null };
      assert.deepEqual(await store.findApiKeys(['h1', 'nope']), [{ ...key1, hash: 'h1', account: { status: 'active', path: 'acc', currency: 'EUR', prices: null, allowedSenders: null, trial: false, ipAllowlists: [], apiRate: null, protocols: null, dailyQuota: null, refuseDeadNumbers: false, compliance: null } }]);
      await store.touchApiKeys(['key1'], T0 + 60_000);
      await store.touchApiKeys(['key1'], T0 + 30_000); // a late write never moves the time back
      assert.equal(await store.revokeApiKey('other', 'key2', T0 + 2), false, "another account's key");
      assert.equal(await store.revokeApiKey('acc', 'key2', T0 + 2), true);
      assert.equal(await store.revokeApiKey('acc', 'key2', T0 + 3), false, 'already revoked');
      assert.deepEqual(await store.findApiKeys(['h2']), []);
      assert.deepEqual(
        (await store.listApiKeys('acc')).map((k) => [k.id, k.lastUsedAt, k.revokedAt]),
        [['key1', T0 + 60_000, null], ['key2', null, T0 + 2]],
      );
    });

    test("accounts' credentials for the compatible APIs: found by protocol and key with their account, revocable, and messages keep theirs", async () => {
      await store.ensureAccount('acc', 'Account', T0);
      await store.updateAccount('acc', { protocols: ['api', 'vonage'] });
      const credential = { id: 'cred1', accountId: 'acc', protocol: 'vonage' as const, name: 'app', key: 'abcd1234', secret: 's3cret', settings: { signature_secret: 'sig', receipt_url: null }, createdAt: T0, revokedAt: null };
      await store.insertFaceCredential(credential);
      assert.deepEqual(await store.findFaceCredentials('vonage', ['abcd1234', 'nope']), [{ ...credential, account: { status: 'active', path: 'acc', currency: 'EUR', prices: null, allowedSenders: null, trial: false, ipAllowlists: [], apiRate: null, protocols: ['api', 'vonage'], dailyQuota: null, refuseDeadNumbers: false, compliance: null } }]);
      assert.deepEqual(await store.findFaceCredentials('twilio', ['abcd1234']), [], 'another protocol');
      assert.equal(await store.revokeFaceCredential('other', 'cred1', T0 + 1), false, "another account's credential");
      assert.equal(await store.revokeFaceCredential('acc', 'cred1', T0 + 1), true);
      assert.deepEqual(await store.findFaceCredentials('vonage', ['abcd1234']), [], 'revoked');
      assert.deepEqual(await store.getFaceCredential('cred1'), { ...credential, revokedAt: T0 + 1 }, 'still signs the receipts of what it sent');
      assert.deepEqual((await store.listFaceCredentials('acc')).map((c) => c.id), ['cred1']);
      const m = message({ id: 'msg_face', face: 'vonage:cred1' });
      await store.insertMessages([{ messages: [m], respond: () => '' }]);
      assert.equal((await store.getMessage('acc', 'msg_face'))?.face, 'vonage:cred1');
      await store.updateAccount('acc', { protocols: null });
    });

    test('messages are stored with their route and idempotency answer, in one go', async () => {
      const m = message({ sendAt: T0 + 5000, status: 'scheduled', clientRef: 'ref-1' });
      await store.insertMessages([{ messages: [m], idempotency: { accountId: 'acc', key: 'k1', requestHash: 'abc', statusCode: 202, createdAt: T0 }, respond: () => '{"ok":1}' }]);
      const { dueAt: _due, ...stored } = m;
      assert.deepEqual(await store.getMessage(m.accountId, m.id), stored);
      assert.deepEqual(await store.listEvents(m.accountId, m.id), [], 'the first event is read from the message');
      assert.deepEqual(await store.getIdempotency('acc', 'k1', T0), { requestHash: 'abc', statusCode: 202, response: '{"ok":1}' });
      // A batch that fails stores nothing of itself.
      const again = message();
      await assert.rejects(store.insertMessages([{ messages: [again, m], idempotency: { accountId: 'acc', key: 'k2', requestHash: 'x', statusCode: 202, createdAt: T0 }, respond: () => '' }]));
      assert.equal(await store.getMessage(again.accountId, again.id), undefined);
      assert.equal(await store.getIdempotency('acc', 'k2', T0), undefined);
    });

    test('an idempotency key older than its time is a new key: its first answer is replaced, and old keys are deleted', async () => {
      const write = (key: string, hash: string, at: number) =>
        store.insertMessages([{ messages: [message()], idempotency: { accountId: 'acc', key, requestHash: hash, statusCode: 202, createdAt: at }, respond: () => hash }]);
      await write('old', 'first', T0 - 10_000);
      assert.equal(await store.getIdempotency('acc', 'old', T0), undefined, 'expired');
      await write('old', 'second', T0);
      assert.equal((await store.getIdempotency('acc', 'old', T0))?.response, 'second');
      await write('stale', 'x', T0 - 20_000);
      assert.equal(await store.pruneIdempotency(T0 - 5_000, 100), 1);
      assert.equal(await store.getIdempotency('acc', 'stale', 0), undefined);
      assert.equal((await store.getIdempotency('acc', 'old', 0))?.response, 'second');
    });

    test('accounts form a tree: each knows its path from the root; a key is read with its account', async () => {
      await store.ensureAccount('root', 'Root', T0);
      await store.createAccount({ id: 'a', parentId: 'root', name: 'A', currency: 'EUR', prices: null, createdAt: T0 });
      await store.createAccount({ id: 'a1', parentId: 'a', name: 'A1', currency: 'EUR', prices: { entries: [{ country: 'GB', price: 35_000 }] }, createdAt: T0 + 1 });
      await assert.rejects(store.createAccount({ id: 'x', parentId: 'nobody', name: 'X', currency: 'EUR', prices: null, createdAt: T0 }));
      const a1 = await store.getAccount('a1');
      assert.deepEqual(a1, { id: 'a1', parentId: 'a', path: 'root/a/a1', name: 'A1', status: 'active', currency: 'EUR', balance: 0, creditLimit: 0, prices: { entries: [{ country: 'GB', price: 35_000 }] }, allowedSenders: null, trial: false, ipAllowlist: null, apiRate: null, protocols: null,
        dailyQuota: null, quotaUsed: 0, quotaDay: 0, lowBalanceThreshold: null, refuseDeadNumbers: false, compliance: null, reserved: 0, pending: 0, createdAt: T0 + 1,
      });
      assert.deepEqual((await store.listAccounts('root')).map((a) => a.id), ['a']);
      assert.equal(await store.updateAccount('a1', { status: 'disabled', creditLimit: 5_000_000, prices: null }), true);
      await store.updateAccount('a', { allowedSenders: ['Shop'] });
      assert.deepEqual((await store.getAccount('a'))?.allowedSenders, ['Shop']);
      assert.equal(await store.updateAccount('nobody', { status: 'disabled' }), false);
      await store.insertApiKey({ id: 'ka1', accountId: 'a1', hash: 'ha1', prefix: 'sk_a1', name: null, scopes: ['send'], createdAt: T0 });
      assert.deepEqual((await store.findApiKeys(['ha1']))[0]?.account, { status: 'disabled', path: 'root/a/a1', currency: 'EUR', prices: null, allowedSenders: null, trial: false, ipAllowlists: [], apiRate: null, protocols: null, dailyQuota: null, refuseDeadNumbers: false, compliance: null });
      await store.updateAccount('a1', { dailyQuota: 500, lowBalanceThreshold: 2_000_000, compliance: { marketing: { caps: { day: 1 } } } });
      const changed = (await store.getAccount('a1'))!;
      assert.deepEqual([changed.dailyQuota, changed.lowBalanceThreshold], [500, 2_000_000]);
      await store.updateAccount('a1', { refuseDeadNumbers: true });
      assert.equal((await store.findApiKeys(['ha1']))[0]?.account.refuseDeadNumbers, true, 'read with the key, for accept');
      // The highest account above that is not active speaks for the whole branch under it.
      await store.updateAccount('a1', { status: 'active' });
      await store.updateAccount('a', { status: 'blocked' });
      assert.equal((await store.findApiKeys(['ha1']))[0]?.account.status, 'blocked');
      await store.updateAccount('a', { status: 'active' });
      assert.equal((await store.findApiKeys(['ha1']))[0]?.account.status, 'active');
      // Trial and address lists hold for the branch under an account: the key reads them all, its own first or not.
      await store.updateAccount('a', { trial: true, ipAllowlist: ['10.0.0.0/8'] });
      await store.updateAccount('a1', { ipAllowlist: ['10.1.0.0/16', '2001:db8::/32'], apiRate: 2.5 });
      const branch = (await store.findApiKeys(['ha1']))[0]?.account;
      assert.deepEqual([branch?.trial, [...(branch?.ipAllowlists ?? [])].sort(), branch?.apiRate], [true, [['10.0.0.0/8'], ['10.1.0.0/16', '2001:db8::/32']], 2.5]);
      assert.deepEqual(await store.getAccount('a'), { ...(await store.getAccount('a'))!, trial: true, ipAllowlist: ['10.0.0.0/8'], apiRate: null });
      await store.updateAccount('a', { trial: false, ipAllowlist: null });
      await store.updateAccount('a1', { apiRate: null });
      assert.deepEqual((await store.findApiKeys(['ha1']))[0]?.account, { status: 'active', path: 'root/a/a1', currency: 'EUR', prices: null, allowedSenders: null, trial: false, ipAllowlists: [['10.1.0.0/16', '2001:db8::/32']], apiRate: null, protocols: null, dailyQuota: 500, refuseDeadNumbers: true, compliance: { marketing: { caps: { day: 1 } } } });
    });

    test('verified numbers: a code waits, each try counts up to the limit, and only verified numbers are found', async () => {
      const pending = { accountId: 'v', number: '+447700900001', createdAt: T0, verifiedAt: null, code: { hash: 'h', sentAt: T0, expiresAt: T0 + 600_000, attempts: 0 } };
      await store.putVerifiedNumber(pending);
      await store.putVerifiedNumber({ accountId: 'v', number: '+447700900002', createdAt: T0 + 1, verifiedAt: T0 + 1, code: null });
      await store.putVerifiedNumber({ accountId: 'w', number: '+447700900001', createdAt: T0, verifiedAt: T0, code: null });
      assert.deepEqual(await store.verifiedAmong('v', ['+447700900001', '+447700900002', '+447700900003']), new Set(['+447700900002']));
      assert.deepEqual((await store.takeCodeAttempt('v', '+447700900001', 2))?.code?.attempts, 1);
      assert.deepEqual((await store.takeCodeAttempt('v', '+447700900001', 2))?.code?.attempts, 2);
      assert.equal(await store.takeCodeAttempt('v', '+447700900001', 2), undefined, 'locked');
      assert.equal(await store.takeCodeAttempt('v', '+447700900002', 2), undefined, 'no code waits');
      assert.equal(await store.markVerified('v', '+447700900001', 'other', T0 + 5), false);
      assert.equal(await store.markVerified('v', '+447700900001', 'h', T0 + 5), true);
      assert.deepEqual(await store.getVerifiedNumber('v', '+447700900001'), { ...pending, verifiedAt: T0 + 5, code: null });
      // A new code for the number keeps when it was first added.
      await store.putVerifiedNumber({ ...pending, createdAt: T0 + 9, code: { ...pending.code, sentAt: T0 + 9 } });
      assert.deepEqual((await store.listVerifiedNumbers('v')).map((n) => [n.number, n.createdAt, n.verifiedAt]), [['+447700900001', T0, null], ['+447700900002', T0 + 1, T0 + 1]]);
      assert.equal(await store.deleteVerifiedNumber('w', '+447700900002'), false);
      assert.equal(await store.deleteVerifiedNumber('v', '+447700900002'), true);
      assert.deepEqual((await store.listVerifiedNumbers('w')).map((n) => n.number), ['+447700900001']);
    });

    test('money: a request is charged only if the balance (and credit limit) covers it, alone in its batch; the ledger sums to the balance', async () => {
      await store.ensureAccount('root', 'Root', T0);
      await store.createAccount({ id: 'payer', parentId: 'root', name: 'P', currency: 'EUR', prices: null, createdAt: T0 });
      await store.createAccount({ id: 'kid', parentId: 'payer', name: 'K', currency: 'EUR', prices: null, createdAt: T0 });
      const top = await store.topUp({ id: 'led_t', accountId: 'payer', amount: 1_000_000, at: T0, description: 'first' });
      assert.equal(top.balanceAfter, 1_000_000);
      assert.equal(await store.transfer({ from: 'payer', to: 'kid', amount: 2_000_000, at: T0, ids: ['led_x1', 'led_x2'], description: null }), undefined, 'not covered: nothing moves');
      assert.equal((await store.transfer({ from: 'payer', to: 'kid', amount: 400_000, at: T0, ids: ['led_o', 'led_i'], description: null }))?.balanceAfter, 600_000);
      const priced = (price: number) => message({ accountId: 'payer', price });
      const charge = (n: number, amount: number) => ({ accountId: 'payer', amount, messages: 1, entryId: `led_c${n}`, at: T0 + n });
      const [m1, m2, m3] = [priced(250_000), priced(500_000), priced(300_000)];
      const answers = await store.insertMessages([
        { messages: [m1], charge: charge(1, 250_000), respond: (b) => `left ${b}` },
        { messages: [m2], charge: charge(2, 500_000), respond: (b) => `left ${b}` },
        { messages: [m3], charge: charge(3, 300_000), respond: (b) => `left ${b}` },
        { messages: [message({ accountId: 'payer' })], respond: (b) => `free ${b}` },
      ]);
      assert.deepEqual(answers, ['left 350000', { refused: 'insufficient_credit' }, 'left 50000', 'free null']);
      assert.equal(await store.getMessage('payer', m2.id), undefined, 'the request short of credit stored nothing');
      assert.equal((await store.getMessage('payer', m1.id))?.price, 250_000);
      assert.equal(await store.getMessage('kid', m1.id), undefined, "another account's message is not found");
      // Never handed to a provider: refunded once, in the transaction of its final change.
      const cancel = { messageId: m1.id, from: ['queued' as const], to: 'canceled' as const, event: event(T0 + 9, 'canceled', 'canceled'), dueAt: null };
      assert.deepEqual(await store.applyWrites([{ transition: cancel }, { transition: cancel }]), [true, false]);
      // Handed to a provider: it stays charged whatever comes after.
      await store.applyWrites([{ transition: { messageId: m3.id, from: ['queued'], to: 'sent', event: event(T0 + 9, 'sent', 'sent'), dueAt: null, providerMessageId: 'p-1' } }]);
      await store.applyWrites([{ transition: { messageId: m3.id, from: ['sent'], to: 'failed', event: event(T0 + 10, 'failed', 'failed'), dueAt: null } }]);
      const account = (await store.getAccount('payer'))!;
      assert.equal(account.balance, 300_000);
      const ledger = await store.listLedger('payer', {}, 100);
      assert.deepEqual(ledger.map((e) => [e.type, e.amount, e.balanceAfter]), [
        ['refund', 250_000, 300_000],
        ['charge', -300_000, 50_000],
        ['charge', -250_000, 350_000],
        ['transfer_out', -400_000, 600_000],
        ['top_up', 1_000_000, 1_000_000],
      ]);
      assert.equal(ledger.reduce((sum, e) => sum + e.amount, 0), account.balance);
      assert.deepEqual((await store.listLedger('payer', { type: 'charge' }, 1)).map((e) => e.messages), [1]);
      assert.deepEqual((await store.listLedger('payer', { before: ledger[3]!.seq }, 10)).map((e) => e.type), ['top_up']);
      assert.deepEqual((await store.listLedger('kid', {}, 10)).map((e) => [e.type, e.amount, e.counterparty]), [['transfer_in', 400_000, 'payer']]);
      // Postpaid: a credit limit lets the balance go below zero, down to it and no further.
      await store.updateAccount('payer', { creditLimit: 100_000 });
      const [ok, short] = await store.insertMessages([
        { messages: [priced(400_000)], charge: charge(4, 400_000), respond: (b) => String(b) },
        { messages: [priced(1)], charge: charge(5, 1), respond: (b) => String(b) },
      ]);
      assert.deepEqual([ok, short], ['-100000', { refused: 'insufficient_credit' }]);
    });

    test('a daily quota holds whole requests, per UTC day, priced or not', async () => {
      await store.ensureAccount('root', 'Root', T0);
      await store.createAccount({ id: 'quota', parentId: 'root', name: 'Q', currency: 'EUR', prices: null, createdAt: T0 });
      await store.updateAccount('quota', { dailyQuota: 3 });
      const send = (n: number, count: number, at: number) => ({
        messages: Array.from({ length: count }, () => message({ accountId: 'quota' })),
        charge: { accountId: 'quota', amount: 0, messages: count, entryId: `led_q${n}`, at },
        respond: () => 'ok',
      });
      const day = 86_400_000;
      const start = Math.floor(T0 / day) * day;
      assert.deepEqual(await store.insertMessages([send(1, 2, start + 10), send(2, 2, start + 11), send(3, 1, start + 12)]), ['ok', { refused: 'quota_exceeded', limit: 3 }, 'ok']);
      assert.deepEqual(await store.insertMessages([send(4, 1, start + 13)]), [{ refused: 'quota_exceeded', limit: 3 }], 'the quota is spent for the day');
      assert.deepEqual(await store.insertMessages([send(5, 3, start + day)]), ['ok'], 'a new UTC day counts from zero');
      assert.equal((await store.listMessages('quota', {}, 100)).length, 6);
      assert.deepEqual(await store.listLedger('quota', {}, 10), [], 'an unpriced account is counted, not charged');
    });

    test('the message log filters and pages newest first', async () => {
      const batch = Array.from({ length: 5 }, (_, i) => message({ accountId: 'log', to: i % 2 ? '+447700900001' : '+447700900002', status: i === 4 ? 'delivered' : 'queued' }));
      await insert(store, batch);
      const page1 = await store.listMessages('log', {}, 3);
      assert.deepEqual(page1.map((m) => m.id), batch.slice(2).reverse().map((m) => m.id));
      const page2 = await store.listMessages('log', { before: page1.at(-1)!.id }, 3);
      assert.deepEqual(page2.map((m) => m.id), [batch[1]!.id, batch[0]!.id]);
      assert.equal((await store.listMessages('log', { to: '+447700900001' }, 10)).length, 2);
      assert.equal((await store.listMessages('log', { status: 'delivered' }, 10)).length, 1);
      assert.equal((await store.listMessages('log', { since: batch[3]!.createdAt }, 10)).length, 2);
    });

    test('a transition applies only from the statuses it names; notes always do, in order', async () => {
      const m = message();
      await insert(store, [m]);
      const applied = await store.applyWrites([
        { transition: { messageId: m.id, from: ['sending'], to: 'sent', event: event(T0 + 1, 'sent', 'sent'), dueAt: null } },
        { note: { messageId: m.id, event: event(T0 + 2, 'note') } },
        {
          transition: {
            messageId: m.id,
            from: ['queued'],
            to: 'rejected',
            event: event(T0 + 3, 'submit_failed', 'rejected'),
            error: { type: 'invalid_request_error', code: 'invalid_phone_number', message: 'no', doc_url: 'x', permanent: true, retry: 'never' },
            dueAt: null,
            connection: 'c2',
            providerIds: [{ connection: 'c2', providerMessageId: 'p1', messageId: m.id, part: 1, parts: 1 }],
          },
        },
      ]);
      assert.deepEqual(applied, [false, true, true]);
      const after = await store.getMessage(m.accountId, m.id);
      assert.equal(after?.status, 'rejected');
      assert.equal(after?.connection, 'c2');
      assert.equal(after?.error?.code, 'invalid_phone_number');
      assert.deepEqual((await store.listEvents(m.accountId, m.id)).map((e) => e.type), ['note', 'submit_failed']);
      assert.equal((await store.listMessages('acc', { errorCode: 'invalid_phone_number' }, 10)).length, 1);
      assert.deepEqual(await store.findProviderIds('c2', ['p1', 'p-unknown']), [{ connection: 'c2', providerMessageId: 'p1', messageId: m.id, part: 1, parts: 1 }]);
    });

    test('claims: due messages only, leased, started with their events; hold and expired modes', async () => {
      const due = message({ connection: 'claims' });
      const later = message({ connection: 'claims', dueAt: T0 + 60_000 });
      const expired = message({ connection: 'claims', expiresAt: T0 - 1 });
      await insert(store, [due, later, expired]);
      const c = (over: Partial<Parameters<Store['claimDue']>[0]>) => claim(store, { connection: 'claims', ...over });

      const held = await c({ mode: 'hold', leaseUntil: T0 + 1000 });
      assert.deepEqual(held.map((m) => [m.id, m.status, m.claimedFrom]).sort(), [[due.id, 'queued', 'queued'], [expired.id, 'queued', 'queued']].sort());
      assert.deepEqual(await c({ now: T0 + 999 }), [], 'leased until the hold ends');

      const expiredOnly = await c({ now: T0 + 1000, mode: 'expired', leaseUntil: T0 + 2000 });
      assert.deepEqual(expiredOnly.map((m) => m.id), [expired.id]);

      const sent = await c({ now: T0 + 1000, leaseUntil: T0 + 31_000 });
      assert.deepEqual(sent.map((m) => [m.id, m.status, m.claimedFrom, m.attempts]), [[due.id, 'sending', 'queued', 1]]);
      assert.deepEqual((await store.listEvents(due.accountId, due.id)).map((e) => e.type), ['sending']);
      assert.equal((await store.getMessage(due.accountId, due.id))?.status, 'sending');

      // A node that died leaves its claim: after the lease it is taken over, as it was left.
      // (The expired message, never settled here, is due again too: it is not started.)
      const takeover = await c({ now: T0 + 31_000, owner: 'n2', leaseUntil: T0 + 60_000 });
      assert.deepEqual(takeover.map((m) => [m.id, m.status, m.claimedFrom]).sort(), [[due.id, 'sending', 'sending'], [expired.id, 'queued', 'queued']].sort());
      assert.equal((await store.queueDepth()).claims, 2, 'the later one and the expired one wait');
    });

    test('a send in flight keeps its lease, and a claim taken over cannot write its outcome', async () => {
      const m = message({ connection: 'leases' });
      await insert(store, [m]);
      const c = (over: Partial<Parameters<Store['claimDue']>[0]>) => claim(store, { connection: 'leases', ...over });
      const [first] = await c({ leaseUntil: T0 + 1000 });
      assert.equal(first?.attempts, 1);
      assert.equal(await store.renewLeases('n1', [m.id], T0 + 5000), 1);
      assert.equal(await store.renewLeases('n2', [m.id], T0 + 9000), 0, 'only the owner renews');
      assert.deepEqual(await c({ now: T0 + 4999, owner: 'n2' }), [], 'renewed: not claimed again');

      // Once the lease runs out another node takes it over and starts it again.
      const [taken] = await c({ now: T0 + 5000, owner: 'n2', leaseUntil: T0 + 6000 });
      assert.equal(taken?.claimedFrom, 'sending');
      const requeue = { messageId: m.id, from: ['sending'] as const, to: 'queued' as const, dueAt: T0 + 5000, event: event(T0 + 5000, 'recovered', 'queued') };
      assert.deepEqual(await store.applyWrites([{ transition: { ...requeue, claim: { owner: 'n2', attempt: 1 } } }]), [true]);
      const [again] = await c({ now: T0 + 5000, owner: 'n2', leaseUntil: T0 + 6000 });
      assert.equal(again?.attempts, 2);
      assert.equal(await store.renewLeases('n1', [m.id], T0 + 9000), 0, 'the first node lost it');

      const sent = (owner: string, attempt: number) => ({ transition: { messageId: m.id, from: ['sending'] as const, to: 'sent' as const, dueAt: null, event: event(T0 + 5500, 'sent', 'sent'), claim: { owner, attempt } } });
      assert.deepEqual(await store.applyWrites([sent('n1', 1), sent('n2', 1), sent('n2', 2)]), [false, false, true], 'only the claim that holds writes');
      assert.deepEqual((await store.listEvents(m.accountId, m.id)).map((e) => e.type), ['sending', 'recovered', 'sending', 'sent']);
    });

    test('a submit mark holds only under its claim, and tells a claim taken over whether the submit may have left', async () => {
      const [marked, unmarked] = [message({ connection: 'marks' }), message({ connection: 'marks' })];
      await insert(store, [marked, unmarked]);
      const c = (over: Partial<Parameters<Store['claimDue']>[0]>) => claim(store, { connection: 'marks', ...over });
      const first = await c({ leaseUntil: T0 + 1000 });
      assert.deepEqual(first.map((m) => m.submitMarked), [false, false]);
      const mark = (owner: string, attempt: number) => ({ submitting: { messageId: marked.id, owner, attempt, heldUntil: T0 + 10 } });
      assert.deepEqual(await store.applyWrites([mark('n2', 1), mark('n1', 2), mark('n1', 1)]), [false, false, true], 'only the claim that holds marks');
      assert.deepEqual((await store.listEvents(marked.accountId, marked.id)).map((e) => e.type), ['sending'], 'a mark is no event');

      // A node that died: the claim taken over says which attempt may have left.
      const taken = await c({ now: T0 + 1000, owner: 'n2', leaseUntil: T0 + 2000 });
      assert.deepEqual(taken.map((m) => [m.id, m.claimedFrom, m.attempts, m.submitMarked]).sort(), [[marked.id, 'sending', 1, true], [unmarked.id, 'sending', 1, false]].sort());

      // The unmarked one goes again with its attempt given back: its next claim is attempt 1 again, unmarked.
      const requeue = { messageId: unmarked.id, from: ['sending'] as const, to: 'queued' as const, dueAt: T0 + 1000, attemptsDelta: -1, event: event(T0 + 1000, 'recovered', 'queued') };
      assert.deepEqual(await store.applyWrites([{ transition: requeue }]), [true]);
      const [again] = await c({ now: T0 + 1000, owner: 'n2', leaseUntil: T0 + 2000 });
      assert.deepEqual([again?.id, again?.attempts, again?.submitMarked], [unmarked.id, 1, false]);
    });

    test('a submit mark is refused when its lease does not run past the time it must hold, before any node took the message over', async () => {
      const [late, held] = [message({ connection: 'lapses' }), message({ connection: 'lapses' })];
      await insert(store, [late, held]);
      await claim(store, { connection: 'lapses', leaseUntil: T0 + 1000 });
      const mark = (m: NewMessage, heldUntil: number) => ({ submitting: { messageId: m.id, owner: 'n1', attempt: 1, heldUntil } });
      // Its renewals failed (the store out of reach, the loop held) until the lease ends before the next one: its submit must not leave.
      assert.deepEqual(await store.applyWrites([mark(late, T0 + 1000), mark(held, T0 + 999)]), [false, true]);
      const taken = await claim(store, { connection: 'lapses', now: T0 + 1000, owner: 'n2', leaseUntil: T0 + 2000 });
      assert.deepEqual(taken.map((m) => [m.id, m.submitMarked]).sort(), [[late.id, false], [held.id, true]].sort(), 'the one refused is taken over as never sent');
    });

    test('a message waiting for a retry shows when it goes again', async () => {
      const m = message({ connection: 'retries' });
      await insert(store, [m]);
      assert.equal((await store.getMessage(m.accountId, m.id))?.nextAttemptAt, null, 'a first attempt is no retry');
      await claim(store, { connection: 'retries' });
      const retry = { messageId: m.id, from: ['sending'] as const, to: 'queued' as const, dueAt: T0 + 4000, event: event(T0, 'retry_scheduled', 'queued') };
      assert.deepEqual(await store.applyWrites([{ transition: retry }]), [true]);
      const waiting = await store.getMessage(m.accountId, m.id);
      assert.deepEqual([waiting?.status, waiting?.attempts, waiting?.nextAttemptAt], ['queued', 1, T0 + 4000]);
    });

    test('two claims at once never take the same message', async () => {
      const batch = Array.from({ length: 60 }, () => message({ connection: 'race' }));
      await insert(store, batch);
      const [a, b] = await Promise.all([claim(store, { connection: 'race', limit: 40, owner: 'a' }), claim(store, { connection: 'race', limit: 40, owner: 'b' })]);
      const ids = [...a, ...b].map((m) => m.id);
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(ids.length, 60);
    });

    test('receipts parked before their provider id are read in arrival order and unparked once applied; parts keep their state', async () => {
      await store.parkReceipt({ connection: 'c1', providerMessageId: 'x1', receivedAt: T0, receipt: { n: 1 } });
      await store.parkReceipt({ connection: 'c1', providerMessageId: 'x1', receivedAt: T0 + 1, receipt: { n: 2 } });
      await store.parkReceipt({ connection: 'c1', providerMessageId: 'y1', receivedAt: T0 + 1, receipt: { n: 2 } });
      assert.equal(await store.countParkedReceipts(), 3);
      const parked = await store.parkedReceipts('c1', ['x1', 'x2']);
      assert.deepEqual(parked.map((r) => r.receipt), [{ n: 1 }, { n: 2 }], 'in arrival order, and still parked');
      assert.equal(await store.dropParkedReceipt('c1', ['x1', 'y1'], { n: 2 }), 2, 'one receipt, under every key it was parked under');
      assert.deepEqual((await store.parkedReceipts('c1', ['x1', 'y1'])).map((r) => r.receipt), [{ n: 1 }]);
      assert.equal(await store.dropParkedReceipt('c1', ['x1'], { n: 1 }), 1);
      assert.deepEqual(await store.parkedReceipts('c1', ['x1']), []);

      // A receipt parked by a node that died before applying it is found once its id is recorded.
      await store.parkReceipt({ connection: 'c1', providerMessageId: 'part2', receivedAt: T0, receipt: { n: 3 } });
      assert.deepEqual(await store.strandedReceipts(0, 10), { stranded: [], next: 0 }, 'its id is not recorded yet');
      const m = message();
      await insert(store, [m]);
      await store.applyWrites([
        {
          transition: {
            messageId: m.id,
            from: ['queued'],
            to: 'sent',
            event: event(T0, 'sent', 'sent'),
            dueAt: m.expiresAt,
            providerIds: [1, 2].map((part) => ({ connection: 'c1', providerMessageId: `part${part}`, messageId: m.id, part, parts: 2 })),
          },
        },
      ]);
      assert.deepEqual((await store.strandedReceipts(0, 10)).stranded, [{ connection: 'c1', providerMessageId: 'part2' }]);
      // A look at a page of parked receipts goes on from where the last one stopped.
      await store.parkReceipt({ connection: 'c1', providerMessageId: 'unknown', receivedAt: T0, receipt: { n: 4 } });
      const first = await store.strandedReceipts(0, 1);
      assert.deepEqual(first.stranded, [{ connection: 'c1', providerMessageId: 'part2' }]);
      assert.ok(first.next > 0, 'a full page: the next look starts after it');
      assert.deepEqual((await store.strandedReceipts(first.next, 1)).stranded, [], 'the unknown one stays parked');
      assert.equal((await store.strandedReceipts(first.next, 2)).next, 0, 'past the last: back to the first');
      assert.equal(await store.dropParkedReceipt('c1', ['unknown'], { n: 4 }), 1);
      assert.equal(await store.dropParkedReceipt('c1', ['part2'], { n: 3 }), 1);
      await store.setPartState('c1', 'part2', 'delivered');
      assert.deepEqual(await store.partStates(m.id), [
        { part: 1, parts: 2, state: null },
        { part: 2, parts: 2, state: 'delivered' },
      ]);
      const awaiting = (await store.awaitingReceipts('c1')).filter((r) => r.providerMessageId.startsWith('part'));
      assert.deepEqual(awaiting, [{ providerMessageId: 'part1', to: m.to }], 'the part still waiting for its receipt');
    });

    test('webhook events are queued with the changes they tell, fanned out, and delivered in order per message and target', async () => {
      const endpoint = { accountId: 'hooks', url: 'https://example.com/a', description: null, secret: 'whsec_a', createdAt: T0, failingSince: null, disabledAt: null, disabledReason: null, batch: null };
      await store.insertEndpoint({ ...endpoint, id: 'we_all', events: ['*'] });
      await store.insertEndpoint({ ...endpoint, id: 'we_fail', events: ['message.failed'] });
      const m = message({ accountId: 'hooks', callbackUrl: 'https://example.com/cb' });
      const quiet = message({ accountId: 'nobody' });
      await insert(store, [m, quiet]);
      await store.applyWrites([
        { transition: { messageId: m.id, from: ['queued'], to: 'sending', event: event(T0 + 1, 'sending', 'sending'), dueAt: null } },
        { transition: { messageId: m.id, from: ['sending'], to: 'sent', event: event(T0 + 2, 'sent', 'sent'), dueAt: null } },
        { transition: { messageId: quiet.id, from: ['queued'], to: 'sent', event: event(T0 + 2, 'sent', 'sent'), dueAt: null } },
      ]);
      assert.equal(await store.callbackSecret('hooks', () => 'whsec_cb'), 'whsec_cb');
      assert.equal(await store.callbackSecret('hooks', () => 'whsec_other'), 'whsec_cb');

      const L = T0 + 1_000_000; // past every event made so far
      const lease = { now: L + 10, limit: 10, perTarget: 4, owner: 'n1', leaseUntil: L + 1000 };
      const first = await store.claimDeliveries(lease);
      // message.queued to both targets; message.sent waits behind it; the quiet account made nothing.
      assert.deepEqual(first.map((d) => [d.url, d.event.type]).sort(), [['https://example.com/a', 'message.queued'], ['https://example.com/cb', 'message.queued']]);
      assert.deepEqual(first.map((d) => d.secret).sort(), ['whsec_a', 'whsec_cb']);
      assert.equal((first[0]!.event.data as { id: string }).id, m.id);
      assert.deepEqual(await store.claimDeliveries(lease), [], 'leased, and the later ones wait');

      const toEndpoint = first.find((d) => d.endpointId === 'we_all')!;
      await store.recordAttempt({ deliveryId: toEndpoint.id, owner: 'n1', endpointId: 'we_all', attempt: { at: L + 20, statusCode: 500, error: null, latencyMs: 3, responseExcerpt: 'no' }, result: 'retry', retryAt: L + 50, failuresInARow: 1 });
      assert.equal((await store.getEndpoint('hooks', 'we_all'))?.failingSince, L + 20);
      const again = await store.claimDeliveries({ ...lease, now: L + 50, leaseUntil: L + 2000 });
      assert.deepEqual(again.map((d) => [d.id, d.attempts]), [[toEndpoint.id, 1]]);
      await store.recordAttempt({ deliveryId: toEndpoint.id, owner: 'n1', endpointId: 'we_all', attempt: { at: L + 60, statusCode: 204, error: null, latencyMs: 2, responseExcerpt: '' }, result: 'delivered', retryAt: null, failuresInARow: 0 });
      assert.equal((await store.getEndpoint('hooks', 'we_all'))?.failingSince, null);
      const next = await store.claimDeliveries({ ...lease, now: L + 60, leaseUntil: L + 3000 });
      assert.deepEqual(next.map((d) => d.event.type), ['message.sent']);

      const detail = await store.getDelivery('hooks', toEndpoint.id);
      assert.deepEqual(detail?.attempts.map((a) => a.statusCode), [500, 204]);
      assert.equal(detail?.delivery.status, 'delivered');
      assert.equal((await store.listDeliveries('hooks', { endpointId: 'we_all' }, 10)).length, 2);
      assert.equal(await store.updateEndpoint('hooks', 'we_all', { disabledAt: T0, disabledReason: 'test', events: ['message.sent'] }), true);
      assert.deepEqual((await store.listEndpoints('hooks')).map((e) => [e.id, e.disabledAt, e.events]), [['we_all', T0, ['message.sent']], ['we_fail', null, ['message.failed']]]);
      assert.equal(await store.deleteEndpoint('hooks', 'we_fail'), true);
    });

    test('an event no enabled endpoint takes is not queued; once an endpoint takes its type, the next one is; once one is deleted, the next is not', async () => {
      await store.insertEndpoint({ id: 'we_picky', accountId: 'picky', url: 'https://example.com/p', description: null, events: ['message.failed'], secret: 'whsec_p', createdAt: T0, failingSince: null, disabledAt: null, disabledReason: null, batch: null });
      const m = message({ accountId: 'picky' });
      await insert(store, [m]);
      await store.applyWrites([{ transition: { messageId: m.id, from: ['queued'], to: 'sending', event: event(T0 + 1, 'sending', 'sending'), dueAt: null } }]);
      const lease = { now: T0 + 2_000_000, limit: 10, perTarget: 4, owner: 'n1', leaseUntil: T0 + 2_001_000 };
      const picky = async () => (await store.claimDeliveries(lease)).filter((d) => d.accountId === 'picky');
      assert.deepEqual(await picky(), [], 'message.queued: not taken, not queued');
      assert.equal(await store.updateEndpoint('picky', 'we_picky', { events: ['message.sent'] }), true);
      await store.applyWrites([{ transition: { messageId: m.id, from: ['sending'], to: 'sent', event: event(T0 + 2, 'sent', 'sent'), dueAt: null } }]);
      assert.deepEqual((await picky()).map((d) => [d.endpointId, d.event.type]), [['we_picky', 'message.sent']]);

      // Another endpoint of the account, which takes every type, stays: once the account has had an
      // event since, an event made after a delete goes to it alone.
      await store.insertEndpoint({ id: 'we_stays', accountId: 'picky', url: 'https://example.com/s', description: null, events: ['*'], secret: 'whsec_s', createdAt: T0, failingSince: null, disabledAt: null, disabledReason: null, batch: null });
      const later = message({ accountId: 'picky' });
      await insert(store, [later]);
      const [queued] = await picky();
      assert.deepEqual([queued?.endpointId, queued?.event.type], ['we_stays', 'message.queued']);
      await store.recordAttempt({ deliveryId: queued!.id, owner: 'n1', endpointId: 'we_stays', attempt: { at: T0 + 4, statusCode: 204, error: null, latencyMs: 1, responseExcerpt: '' }, result: 'delivered', retryAt: null, failuresInARow: 0 });
      assert.equal(await store.deleteEndpoint('picky', 'we_picky'), true);
      await store.applyWrites([{ transition: { messageId: later.id, from: ['queued'], to: 'sent', event: event(T0 + 5, 'sent', 'sent'), dueAt: null } }]);
      assert.deepEqual((await picky()).map((d) => [d.endpointId, d.event.type]), [['we_stays', 'message.sent']]);
    });

    test("a callback of final receipts gets a read in place of a delivered, and nothing for a read after one", async () => {
      const receipts = ['message.delivered', 'message.undelivered', 'message.failed'];
      const [first, second] = [0, 1].map(() => message({ accountId: 'dlr', callbackUrl: 'https://example.com/dlr', callbackEvents: receipts }));
      await insert(store, [first!, second!]);
      await store.applyWrites([
        { transition: { messageId: first!.id, from: ['queued'], to: 'sent', event: event(T0 + 1, 'sent', 'sent'), dueAt: null } },
        { transition: { messageId: first!.id, from: ['sent'], to: 'delivered', event: event(T0 + 2, 'delivered', 'delivered'), dueAt: null } },
        { transition: { messageId: first!.id, from: ['delivered'], to: 'read', event: event(T0 + 3, 'read', 'read'), dueAt: null } },
        { transition: { messageId: second!.id, from: ['queued'], to: 'sent', event: event(T0 + 1, 'sent', 'sent'), dueAt: null } },
        { transition: { messageId: second!.id, from: ['sent', 'delivered'], to: 'read', event: event(T0 + 3, 'read', 'read'), dueAt: null } },
      ]);
      const lease = { now: T0 + 3_000_000, limit: 10, perTarget: 4, owner: 'n1', leaseUntil: T0 + 3_001_000 };
      const claimed = (await store.claimDeliveries(lease)).filter((d) => d.accountId === 'dlr');
      assert.deepEqual(claimed.map((d) => [d.messageId, d.event.type]).sort(), [[first!.id, 'message.delivered'], [second!.id, 'message.read']].sort());
      const answer = { at: lease.now + 1, statusCode: 204, error: null, latencyMs: 1, responseExcerpt: '' };
      await store.recordAttempts(claimed.map((d) => ({ deliveryId: d.id, owner: 'n1', endpointId: null, attempt: answer, result: 'delivered' as const, retryAt: null, failuresInARow: 0 })));
      const later = (await store.claimDeliveries({ ...lease, now: lease.now + 2 })).filter((d) => d.accountId === 'dlr');
      assert.deepEqual(later, [], 'no read was queued behind the delivered');
    });

    test('an endpoint disabled for failing tells the account: a notice, and endpoint.disabled to its other endpoints that take it', async () => {
      const endpoint = { accountId: 'told', url: 'https://example.com/t', description: null, secret: 'whsec_t', createdAt: T0, failingSince: T0, disabledAt: null, disabledReason: null, batch: null };
      await store.insertEndpoint({ ...endpoint, id: 'we_dead', events: ['*'] });
      await store.insertEndpoint({ ...endpoint, id: 'we_ops', events: ['endpoint.disabled'] });
      await store.insertEndpoint({ ...endpoint, id: 'we_msgs', events: ['message.queued'] });
      await store.insertEndpoint({ ...endpoint, id: 'we_off', events: ['*'], disabledAt: T0, disabledReason: 'off' });
      const T2 = T0 + 200_000; // before the deliveries of the tests above come due
      // The account's endpoints were read for an event before one is disabled.
      await insert(store, [message({ accountId: 'told', createdAt: T2 })]);
      const notice = { at: T2, type: 'webhook_endpoint_disabled', message: 'm', detail: { a: 1 } };
      const disabled = { at: T2, reason: 'every delivery failed', notice, event: { endpoint: { id: 'we_dead' } } };
      assert.equal(await store.disableEndpoint('told', 'we_dead', disabled), true);
      assert.equal(await store.disableEndpoint('told', 'we_dead', disabled), false, 'already disabled: nothing more');
      assert.equal(await store.disableEndpoint('told', 'we_gone', disabled), false);
      const dead = await store.getEndpoint('told', 'we_dead');
      assert.deepEqual([dead?.disabledAt, dead?.disabledReason], [T2, 'every delivery failed']);
      assert.deepEqual(await store.listNotices('told', 5), [notice]);
      const told = await store.claimDeliveries({ now: T2 + 10, limit: 10, perTarget: 4, owner: 'n1', leaseUntil: T2 + 1000 });
      assert.deepEqual(
        told.map((d) => [d.endpointId, d.event.type]).sort(),
        [['we_msgs', 'message.queued'], ['we_ops', 'endpoint.disabled']],
      );
      const disabledEvent = told.find((d) => d.event.type === 'endpoint.disabled')!;
      assert.deepEqual([disabledEvent.messageId, disabledEvent.event.data, disabledEvent.secret], ['we_dead', { endpoint: { id: 'we_dead' } }, 'whsec_t']);
      // The disabled endpoint's message.queued was dropped when it came due; endpoint.disabled was never made for it.
      assert.deepEqual((await store.listDeliveries('told', { endpointId: 'we_dead' }, 10)).map((d) => [d.status, d.lastError]), [['failed', 'endpoint disabled: every delivery failed']]);
      const answer = { at: T2 + 20, statusCode: 204, error: null, latencyMs: 1, responseExcerpt: '' };
      await store.recordAttempts(told.map((d) => ({ deliveryId: d.id, owner: 'n1', endpointId: d.endpointId, attempt: answer, result: 'delivered' as const, retryAt: null, failuresInARow: 0 })));
    });

    test("the webhook log's retention deletes finished deliveries made before it, with their attempts, and an event once none of its deliveries is left", async () => {
      const DAY = 86_400_000;
      await store.insertEndpoint({ id: 'we_log', accountId: 'logged', url: 'https://example.com/log', description: null, events: ['message.queued'], secret: 'whsec_l', createdAt: T0, failingSince: null, disabledAt: null, disabledReason: null, batch: null });
      const old = [1, 2, 3, 4].map(() => message({ accountId: 'logged' }));
      const now = T0 + 10 * DAY;
      const recent = message({ accountId: 'logged', id: newMessageId(now), createdAt: now, updatedAt: now });
      await insert(store, [...old, recent]);
      const claimed = (await store.claimDeliveries({ now: now + 1, limit: 100, perTarget: 100, owner: 'n1', leaseUntil: now + 60_000 })).filter((d) => d.accountId === 'logged');
      const of = (m: NewMessage) => claimed.find((d) => (d.event.data as { id: string }).id === m.id)!;
      const answer = (m: NewMessage, result: 'delivered' | 'failed' | 'retry', statusCode: number) =>
        store.recordAttempt({ deliveryId: of(m).id, owner: 'n1', endpointId: 'we_log', attempt: { at: now + 2, statusCode, error: null, latencyMs: 1, responseExcerpt: '' }, result, retryAt: result === 'retry' ? now + DAY : null, failuresInARow: 0 });
      // Made ten days ago: delivered; given up; still to be tried again; delivered, and resent today. Made today: delivered.
      await answer(old[0]!, 'delivered', 204);
      await answer(old[1]!, 'failed', 410);
      await answer(old[2]!, 'retry', 503);
      await answer(old[3]!, 'delivered', 204);
      await answer(recent, 'delivered', 204);
      const resent = await store.resendDelivery('logged', of(old[3]!).id, newId('whd', now + 3), now + 3);
      assert.ok(resent && typeof resent === 'object');

      // Kept five days: two deliveries a look, so that looks go on from where the last one ended.
      const looks: { deleted: number; next: number | null }[] = [];
      for (let after: number | null = 0; after !== null; ) {
        const look = await store.pruneWebhookLog(now - 5 * DAY, after, 2);
        looks.push(look);
        after = look.next;
      }
      assert.ok(looks.length > 1, 'more than one look');
      const kept = [of(old[2]!).id, resent.id, of(recent).id].sort();
      assert.deepEqual((await store.listDeliveries('logged', {}, 100)).map((d) => d.id).sort(), kept);
      assert.equal(await store.getDelivery('logged', of(old[0]!).id), undefined);
      const events = (await rows("SELECT id FROM webhook_events WHERE account_id = 'logged' ORDER BY id")) as { id: string }[];
      assert.deepEqual(events.map((e) => e.id), [of(old[2]!), of(old[3]!), of(recent)].map((d) => d.event.id).sort(), "the resent event stays with its resend; the others' go with their deliveries");
      const attempts = (await rows('SELECT delivery_id FROM webhook_attempts ORDER BY delivery_id')) as { delivery_id: string }[];
      assert.deepEqual(attempts.map((a) => a.delivery_id).filter((id) => claimed.some((d) => d.id === id)), [of(old[2]!).id, of(recent).id].sort(), 'attempts go with their deliveries');
      assert.deepEqual((await store.getDelivery('logged', resent.id))?.delivery.eventId, of(old[3]!).event.id);
      assert.deepEqual(await store.pruneWebhookLog(now - 5 * DAY, 0, 100), { deleted: 0, next: null }, 'nothing more to delete');
    });

    test('a target takes at most perTarget deliveries in flight; leases in flight renew; only the holder records an attempt', async () => {
      const endpoint = { url: 'https://example.com/a', description: null, secret: 'whsec_a', events: ['message.queued'], createdAt: T0, failingSince: null, disabledAt: null, disabledReason: null, batch: null };
      await store.insertEndpoint({ ...endpoint, id: 'we_cap', accountId: 'cap' });
      await store.insertEndpoint({ ...endpoint, id: 'we_lease', accountId: 'lease' });
      // Before the deliveries of the test above come due: only these are claimed here.
      const T1 = T0 + 100_000;
      await insert(store, [0, 1, 2].map((i) => message({ accountId: 'cap', createdAt: T1 + i })));
      await insert(store, [3, 4].map((i) => message({ accountId: 'lease', createdAt: T1 + i })));
      const M = T1 + 1000;
      const lease = { now: M, limit: 10, perTarget: 2, owner: 'n1', leaseUntil: M + 100 };
      const to = <D extends { endpointId: string | null }>(ds: readonly D[], id: string) => ds.filter((d) => d.endpointId === id);

      const first = await store.claimDeliveries(lease);
      assert.equal(to(first, 'we_cap').length, 2, 'the third waits for a slot of its target');
      assert.equal(to(first, 'we_lease').length, 2);
      assert.deepEqual(await store.claimDeliveries(lease), []);
      const attempt = (at: number, statusCode: number) => ({ at, statusCode, error: null, latencyMs: 1, responseExcerpt: '' });
      const [c1, c2] = to(first, 'we_cap');
      assert.equal(await store.recordAttempt({ deliveryId: c1!.id, owner: 'n1', endpointId: 'we_cap', attempt: attempt(M + 1, 204), result: 'delivered', retryAt: null, failuresInARow: 0 }), true);
      const [c3] = await store.claimDeliveries(lease);
      assert.equal(c3?.endpointId, 'we_cap', 'a slot freed');

      // n1 keeps all but l5 in flight; n2 owns none of them.
      const [l4, l5] = to(first, 'we_lease') as [ClaimedDelivery, ClaimedDelivery];
      const kept = [c2!.id, c3.id, l4.id];
      assert.equal(await store.renewDeliveryLeases('n1', kept, M + 10_000), 3);
      assert.equal(await store.renewDeliveryLeases('n2', [...kept, l5.id], M + 10_000), 0);
      const taken = await store.claimDeliveries({ ...lease, now: M + 200, owner: 'n2', leaseUntil: M + 1000 });
      assert.deepEqual(taken.map((d) => d.id), [l5.id], 'only the lease that lapsed is taken over');

      // n1's late answer for l5 is not recorded over n2's claim; n2's is.
      assert.equal(await store.recordAttempt({ deliveryId: l5.id, owner: 'n1', endpointId: 'we_lease', attempt: attempt(M + 300, 500), result: 'retry', retryAt: M + 400, failuresInARow: 1 }), false);
      const untouched = await store.getDelivery('lease', l5.id);
      assert.deepEqual([untouched?.delivery.status, untouched?.delivery.attempts, untouched?.attempts], ['pending', 0, []]);
      assert.equal((await store.getEndpoint('lease', 'we_lease'))?.failingSince, null);
      assert.deepEqual(await store.claimDeliveries({ ...lease, now: M + 500, owner: 'n3' }), [], "still n2's");
      assert.equal(await store.recordAttempt({ deliveryId: l5.id, owner: 'n2', endpointId: 'we_lease', attempt: attempt(M + 600, 204), result: 'delivered', retryAt: null, failuresInARow: 0 }), true);
      assert.deepEqual((await store.getDelivery('lease', l5.id))?.attempts.map((a) => a.statusCode), [204]);
    });

    test('only the head of a chain is due; a failing target gets one probe after its backoff, and drains at full pace once it answers', async () => {
      const endpoint = { url: 'https://example.com/p', description: null, secret: 'whsec_p', events: ['*'], createdAt: T0, failingSince: null, disabledAt: null, disabledReason: null, batch: null };
      await store.insertEndpoint({ ...endpoint, id: 'we_probe', accountId: 'probe' });
      const T3 = T0 + 300_000;
      const ms = [0, 1, 2, 3].map((i) => message({ accountId: 'probe', createdAt: T3 + i }));
      await insert(store, ms);
      // A second event of the first message waits behind its first, whatever the slots.
      await store.applyWrites([{ transition: { messageId: ms[0]!.id, from: ['queued'], to: 'sent', event: event(T3 + 5, 'sent', 'sent'), dueAt: null } }]);
      const N = T3 + 10;
      const lease = { now: N, limit: 10, perTarget: 10, owner: 'n1', leaseUntil: N + 100 };
      const first = (await store.claimDeliveries(lease)).filter((d) => d.endpointId === 'we_probe');
      assert.deepEqual(first.map((d) => d.event.type), ['message.queued', 'message.queued', 'message.queued', 'message.queued'], 'the heads only');
      const attempt = (at: number, statusCode: number) => ({ at, statusCode, error: null, latencyMs: 1, responseExcerpt: '' });
      const [a, ...rest] = first as [ClaimedDelivery, ...ClaimedDelivery[]];
      // One failure holds the whole target until its retry time; the others' answers do not wake it.
      await store.recordAttempt({ deliveryId: a.id, owner: 'n1', endpointId: 'we_probe', attempt: attempt(N + 1, 503), result: 'retry', retryAt: N + 50, failuresInARow: 1 });
      for (const d of rest) await store.recordAttempt({ deliveryId: d.id, owner: 'n1', endpointId: 'we_probe', attempt: attempt(N + 2, 503), result: 'retry', retryAt: N + 50, failuresInARow: 1 });
      assert.deepEqual(await store.claimDeliveries({ ...lease, now: N + 20 }), [], 'backing off');
      const probe = await store.claimDeliveries({ ...lease, now: N + 50 });
      assert.equal(probe.length, 1, 'one probe');
      assert.equal(probe[0]!.targetFailures, 1, 'posts that failed together are one failure in a row');
      assert.deepEqual(await store.claimDeliveries({ ...lease, now: N + 51 }), [], 'nothing more while the probe is out');
      await store.recordAttempt({ deliveryId: probe[0]!.id, owner: 'n1', endpointId: 'we_probe', attempt: attempt(N + 52, 204), result: 'delivered', retryAt: null, failuresInARow: 0 });
      const drained = await store.claimDeliveries({ ...lease, now: N + 53 });
      assert.equal(drained.length, probe[0]!.messageId === ms[0]!.id ? 4 : 3, 'the rest at once, and the next of the probed chain');
      assert.ok(drained.every((d) => d.targetFailures === 0));
    });

    test('a failure answered with a later success of the same target is still tried again at its time', async () => {
      await store.insertEndpoint({ id: 'we_mixed', accountId: 'mixed', url: 'https://example.com/m', description: null, secret: 'whsec_m', events: ['message.queued'], createdAt: T0, failingSince: null, disabledAt: null, disabledReason: null, batch: null });
      const T4 = T0 + 350_000;
      await insert(store, [0, 1].map((i) => message({ accountId: 'mixed', createdAt: T4 + i })));
      const N = T4 + 10;
      const lease = { now: N, limit: 10, perTarget: 10, owner: 'n1', leaseUntil: N + 100 };
      const [failed, ok] = (await store.claimDeliveries(lease)).filter((d) => d.endpointId === 'we_mixed') as [ClaimedDelivery, ClaimedDelivery];
      const attempt = (at: number, statusCode: number) => ({ at, statusCode, error: null, latencyMs: 1, responseExcerpt: '' });
      // Both answers in one recording: the success resets the target, and nothing else would wake it.
      assert.deepEqual(
        await store.recordAttempts([
          { deliveryId: failed.id, owner: 'n1', endpointId: 'we_mixed', attempt: attempt(N + 1, 503), result: 'retry', retryAt: N + 50, failuresInARow: 1 },
          { deliveryId: ok.id, owner: 'n1', endpointId: 'we_mixed', attempt: attempt(N + 2, 204), result: 'delivered', retryAt: null, failuresInARow: 0 },
        ]),
        [true, true],
      );
      assert.deepEqual((await store.claimDeliveries({ ...lease, now: N + 20 })).filter((d) => d.endpointId === 'we_mixed'), [], 'not before its time');
      const again = (await store.claimDeliveries({ ...lease, now: N + 50 })).filter((d) => d.endpointId === 'we_mixed');
      assert.deepEqual(again.map((d) => [d.id, d.attempts, d.targetFailures]), [[failed.id, 1, 0]]);
    });

    test('a status change leases its events to the node that made it, where the target has room; the rest are claimed; a dead node\'s are taken over', async () => {
      await store.insertEndpoint({ id: 'we_live', accountId: 'live', url: 'https://example.com/live', description: null, secret: 'whsec_live', events: ['message.sent', 'message.delivered'], createdAt: T0, failingSince: null, disabledAt: null, disabledReason: null, batch: null });
      const T4 = T0 + 400_000;
      const ms = [0, 1, 2, 3].map((i) => message({ accountId: 'live', createdAt: T4 + i }));
      await insert(store, ms);
      const taken: ClaimedDelivery[] = [];
      let open = true;
      // Room for 3 posts to a target; the node itself has room for 10.
      store.leaseAsMade({ owner: 'n1', room: () => ({ count: open ? 10 : 0, leaseUntil: T4 + 1000, perTarget: 3 }), take: (ds) => taken.push(...ds) });
      const sent = (m: NewMessage, at: number) => ({ transition: { messageId: m.id, from: ['queued' as const], to: 'sent' as const, event: event(at, 'sent', 'sent'), dueAt: null } });
      try {
        await store.applyWrites(ms.map((m, i) => sent(m, T4 + 10 + i)));
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(taken.map((d) => [d.messageId, d.event.type, d.secret, d.targetFailures, d.url]), ms.slice(0, 3).map((m) => [m.id, 'message.sent', 'whsec_live', 0, 'https://example.com/live']), 'three leased as made: the target is full');
        assert.equal((taken[0]!.event.data as { id: string; status: string }).status, 'sent');
        assert.equal((await store.getDelivery('live', taken[0]!.id))?.delivery.status, 'pending');
        const lease = { now: T4 + 20, limit: 10, perTarget: 3, owner: 'n1', leaseUntil: T4 + 1000 };
        const live = async (claim: typeof lease) => (await store.claimDeliveries(claim)).filter((d) => d.accountId === 'live');
        assert.deepEqual(await live(lease), [], 'the fourth waits for room');

        const answer = (d: ClaimedDelivery, at: number) =>
          store.recordAttempt({ deliveryId: d.id, owner: 'n1', endpointId: 'we_live', attempt: { at, statusCode: 204, error: null, latencyMs: 1, responseExcerpt: '' }, result: 'delivered', retryAt: null, failuresInARow: 0 });
        await answer(taken[0]!, T4 + 30);
        const claimed = await live({ ...lease, now: T4 + 31 });
        assert.deepEqual(claimed.map((d) => d.messageId), [ms[3]!.id], 'the one that waited is claimed');
        await answer(taken[1]!, T4 + 32);
        // The next event of a message whose first is still out waits behind it, in order.
        const delivered = (m: NewMessage, at: number) => ({ transition: { messageId: m.id, from: ['sent' as const], to: 'delivered' as const, event: event(at, 'delivered', 'delivered'), dueAt: null } });
        await store.applyWrites([delivered(ms[2]!, T4 + 40), delivered(ms[0]!, T4 + 41)]);
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(taken.slice(3).map((d) => [d.messageId, d.event.type]), [[ms[0]!.id, 'message.delivered']], "the first message's; the third's waits behind its message.sent");

        // n1 dies: what it leased is taken over once the lease ends, as a claim's would be.
        const over = await live({ ...lease, limit: 100, now: T4 + 1001, owner: 'n2', leaseUntil: T4 + 2000 });
        assert.deepEqual(over.map((d) => d.id).sort(), [taken[2]!.id, taken[3]!.id, claimed[0]!.id].sort());
      } finally {
        open = false;
      }
    });

    test('opt-outs per sender, and for every sender', async () => {
      await store.setOptOut('acc', { sender: 'Shop', number: '+447700900001', createdAt: T0, source: 'keyword' }, true);
      await store.setOptOut('acc', { sender: '*', number: '+447700900002', createdAt: T0, source: 'api' }, true);
      assert.deepEqual([...(await store.optedOut('acc', 'Shop', ['+447700900001', '+447700900002', '+447700900003']))].sort(), ['+447700900001', '+447700900002']);
      assert.deepEqual([...(await store.optedOut('acc', 'Other', ['+447700900001', '+447700900002']))], ['+447700900002']);
      assert.equal(await store.setOptOut('acc', { sender: 'Shop', number: '+447700900001', createdAt: T0, source: 'keyword' }, false), true);
      assert.equal(await store.setOptOut('acc', { sender: 'Shop', number: '+447700900001', createdAt: T0, source: 'keyword' }, false), false);
      assert.deepEqual((await store.listOptOuts('acc', {}, 10)).map((o) => o.number), ['+447700900002']);
    });

    test('compliance counters: a request is stored only if each holds one more, all or none, in its batch; a charge refused gives them back', async () => {
      await store.ensureAccount('acc', 'A', T0);
      const cap = { key: 'cap:marketing:hour:+447700900001', limit: 2, windowMs: 3_600_000 };
      const dup = { key: 'dup:+447700900001:abc', limit: 1, windowMs: 600_000 };
      const w = (marks: Mark[], now = T0) => ({ messages: [message()], marks: { accountId: 'acc', marks, now }, respond: () => 'ok' });
      assert.deepEqual(await store.insertMessages([w([cap, dup]), w([cap, dup]), w([cap])]), ['ok', { refused: 'compliance', mark: 1 }, 'ok'], 'the second is a duplicate; its cap count was not kept');
      assert.deepEqual(await store.insertMessages([w([cap])]), [{ refused: 'compliance', mark: 0 }], 'the cap is full');
      assert.equal(await store.peekMarks('acc', [dup], T0), 0);
      assert.equal(await store.peekMarks('acc', [dup], T0 + 600_000), -1, 'its window has passed');
      assert.deepEqual(await store.insertMessages([w([cap], T0 + 3_600_000)]), ['ok'], 'a new window');
      assert.deepEqual(await store.insertMessages([w([cap, cap], T0 + 3_600_000)]), [{ refused: 'compliance', mark: 1 }], 'one number twice in a request counts twice');
      assert.deepEqual(await store.insertMessages([w([cap], T0 + 3_600_000)]), ['ok'], 'and nothing of it was kept');
      assert.equal(await store.pruneMarks(T0 + 600_000, 100), 1, 'the duplicate guard\'s ended window is deleted, the cap\'s new one kept');
      assert.equal(await store.peekMarks('acc', [cap], T0 + 3_600_000), 0);
      // Short of credit: nothing stored, nothing counted.
      await store.createAccount({ id: 'poor', parentId: 'acc', name: 'P', currency: 'EUR', prices: null, createdAt: T0 });
      const once = { key: 'cap:marketing:day:+447700900002', limit: 1, windowMs: 86_400_000 };
      const poor = (amount: number) => ({
        messages: [message({ accountId: 'poor', price: amount })],
        charge: { accountId: 'poor', amount, messages: 1, entryId: `led_p${amount}`, at: T0 },
        marks: { accountId: 'poor', marks: [once], now: T0 },
        respond: () => 'ok',
      });
      assert.deepEqual(await store.insertMessages([poor(5)]), [{ refused: 'insufficient_credit' }]);
      assert.equal(await store.peekMarks('poor', [once], T0), -1);
      assert.deepEqual(await store.insertMessages([poor(0)]), ['ok']);
      assert.equal(await store.peekMarks('poor', [once], T0), 0);
    });

    test('a do-not-contact import adds many entries at once, keeping those already listed', async () => {
      const entry = (n: number, sender = '*') => ({ sender, number: `+4477008${String(n).padStart(5, '0')}`, createdAt: T0, source: 'import' });
      await store.setOptOut('acc', entry(1, 'Shop'), true);
      assert.equal(await store.importOptOuts('acc', Array.from({ length: 2000 }, (_, i) => entry(i))), 2000);
      assert.equal(await store.importOptOuts('acc', [entry(1), entry(5000)]), 1);
      assert.deepEqual([...(await store.optedOut('acc', 'Other', [entry(1999).number, entry(5001).number]))], [entry(1999).number]);
    });

    test('numbers: one owner each, found by the number; an account held to allowed senders may send from its own', async () => {
      await store.ensureAccount('root', 'Root', T0);
      await store.createAccount({ id: 'owner', parentId: 'root', name: 'O', currency: 'EUR', prices: null, createdAt: T0 });
      await store.createAccount({ id: 'other', parentId: 'root', name: 'X', currency: 'EUR', prices: null, createdAt: T0 });
      await store.assignNumber({ number: '+447700900500', accountId: 'owner', assignedAt: T0 });
      await store.assignNumber({ number: '60500', accountId: 'other', assignedAt: T0 });
      await store.assignNumber({ number: '60500', accountId: 'owner', assignedAt: T0 + 1 });
      assert.equal(await store.numberOwner('60500'), 'owner', 'assigning again moves it');
      assert.equal(await store.numberOwner('+447700900599'), undefined);
      assert.deepEqual(await store.getNumber('60500'), { number: '60500', accountId: 'owner', assignedAt: T0 + 1 });
      assert.deepEqual((await store.listNumbers('owner', undefined, 10)).map((n) => n.number), ['+447700900500', '60500']);
      assert.deepEqual((await store.listNumbers('owner', '+447700900500', 10)).map((n) => n.number), ['60500']);
      assert.deepEqual(await store.listNumbers('other', undefined, 10), []);

      await store.insertApiKey({ id: 'kown', accountId: 'owner', hash: 'hown', prefix: 'sk_own', name: null, scopes: ['send'], createdAt: T0 });
      assert.equal((await store.findApiKeys(['hown']))[0]?.account.allowedSenders, null, 'any sender: nothing more to read');
      await store.updateAccount('owner', { allowedSenders: ['Shop'] });
      assert.deepEqual([...(await store.findApiKeys(['hown']))[0]!.account.allowedSenders!].sort(), ['+447700900500', '60500', 'Shop']);
      assert.equal(await store.releaseNumber('60500'), true);
      assert.equal(await store.releaseNumber('60500'), false);
      assert.deepEqual((await store.findApiKeys(['hown']))[0]?.account.allowedSenders, ['Shop', '+447700900500']);
    });

    test('usage: counted at accept and at the final status, on the day accepted, refunds and connection costs included', async () => {
      const day = Math.floor(T0 / 86_400_000);
      await store.ensureAccount('root', 'Root', T0);
      await store.createAccount({ id: 'user', parentId: 'root', name: 'U', currency: 'EUR', prices: null, createdAt: T0 });
      await store.createAccount({ id: 'user-kid', parentId: 'user', name: 'K', currency: 'EUR', prices: null, createdAt: T0 });
      const route = { name: 'r', chain: ['c1', 'c2'], resendUnknown: false, reason: 'x', accepted: 'c1', country: 'GB', costs: { c1: 4_000, c2: 6_000 } };
      const [sent, refused, failedOver] = [0, 1, 2].map(() => message({ accountId: 'user', segments: 2, price: 100_000, route }));
      await insert(store, [sent!, refused!, failedOver!]);
      await insert(store, [message({ accountId: 'user', route: { ...route, country: 'FR' } })]);
      const final = (m: NewMessage, to: NewMessage['status'], extra: object = {}) =>
        store.applyWrites([{ transition: { messageId: m.id, from: ['queued', 'sent'], to, event: event(T0 + 5, to, to), dueAt: null, ...extra } }]);
      await final(sent!, 'delivered', { providerMessageId: 'u-1' });
      await final(refused!, 'rejected');
      await final(failedOver!, 'undelivered', { providerMessageId: 'u-2', connection: 'c2' });
      await final(sent!, 'failed'); // a final status never changes: not counted again
      const rows = await store.usage('user', day, day);
      // What reached a provider cost its connection's price; the refused one was refunded.
      assert.deepEqual(rows, [
        { accountId: 'user', day, country: 'FR', connection: 'c1', messages: 1, segments: 1, delivered: 0, failed: 0, charged: 0, cost: 0 },
        { accountId: 'user', day, country: 'GB', connection: 'c1', messages: 3, segments: 6, delivered: 1, failed: 1, charged: 200_000, cost: 8_000 },
        { accountId: 'user', day, country: 'GB', connection: 'c2', messages: 0, segments: 0, delivered: 0, failed: 1, charged: 0, cost: 12_000 },
      ]);
      assert.deepEqual(await store.usage('user', day + 1, day + 3), []);
      assert.deepEqual(await store.usage('no-such-account', day, day), []);
      // An account and those under it, each apart.
      await insert(store, [message({ accountId: 'user-kid', route })]);
      const sorted = (rs: readonly { accountId: string; country: string | null; connection: string }[]) => rs.map((r) => `${r.accountId} ${r.country} ${r.connection}`).sort();
      assert.deepEqual(sorted(await store.usageUnder('root/user', day, day)), ['user FR c1', 'user GB c1', 'user GB c2', 'user-kid GB c1']);
      assert.deepEqual(sorted(await store.usageUnder('root/user/user-kid', day, day)), ['user-kid GB c1']);
    });

    test('lookups: charged outside any send only when covered, stored with their answer, the newest fresh one read per number', async () => {
      await store.ensureAccount('root', 'Root', T0);
      await store.createAccount({ id: 'looker', parentId: 'root', name: 'L', currency: 'EUR', prices: null, createdAt: T0 });
      await store.createAccount({ id: 'looker2', parentId: 'root', name: 'O', currency: 'EUR', prices: null, createdAt: T0 });
      await store.topUp({ id: 'led_lt', accountId: 'looker', amount: 20_000, at: T0, description: null });
      const post = (id: string, type: 'charge' | 'refund', amount: number) => store.postEntry({ id, accountId: 'looker', type, amount, at: T0, description: `${id} lookups` });
      assert.equal(await post('led_l1', 'charge', -30_000), undefined, 'not covered: nothing charged');
      assert.equal((await post('led_l2', 'charge', -15_000))?.balanceAfter, 5_000);
      assert.equal((await post('led_l3', 'refund', 5_000))?.balanceAfter, 10_000);
      assert.deepEqual((await store.listLedger('looker', {}, 10)).map((e) => [e.type, e.amount, e.description]), [
        ['refund', 5_000, 'led_l3 lookups'],
        ['charge', -15_000, 'led_l2 lookups'],
        ['top_up', 20_000, null],
      ]);
      const error = { type: 'delivery_error' as const, code: 'unknown_subscriber', message: 'Unknown subscriber', doc_url: 'x', permanent: true, retry: 'never' as const, provider: { source: 'infobip', code: '1' } };
      const lookup = (id: string, accountId: string, number: string, at: number) => ({
        id, accountId, number, at, connection: 'ib', provider: 'infobip', reachability: 'unreachable' as const, network: '22801', ported: false, roaming: null, error, raw: { to: number.slice(1), imsi: '2280' }, price: 5_000,
      });
      await store.insertLookups([lookup('lkp_1', 'looker', '+41793026727', T0), lookup('lkp_2', 'looker', '+41793026727', T0 + 5), lookup('lkp_3', 'looker2', '+41793026834', T0 + 9)]);
      assert.deepEqual(await store.getLookup('looker', 'lkp_2'), lookup('lkp_2', 'looker', '+41793026727', T0 + 5));
      assert.equal(await store.getLookup('looker2', 'lkp_2'), undefined, "another account's lookup is not found");
      const any = await store.latestLookups(['+41793026727', '+41793026834', '+33612345678'], T0 + 1);
      assert.deepEqual([...any].map(([n, l]) => [n, l.id]).sort(), [['+41793026727', 'lkp_2'], ['+41793026834', 'lkp_3']]);
      assert.deepEqual([...(await store.latestLookups(['+41793026727', '+41793026834'], T0, 'looker')).keys()], ['+41793026727'], "the account's own only");
      assert.equal((await store.latestLookups(['+41793026727'], T0 + 6)).size, 0, 'none fresh');
      // A provider that answers later: the pending lookup of the number through the connection takes
      // the answer, and comes back answered, with the URL it was made to notify.
      const pending = { ...lookup('lkp_4', 'looker', '+33612345678', T0 + 10), reachability: 'pending' as const, network: null, ported: null, error: null, raw: { campaign_id: 'HLR1' }, notifyUrl: 'https://app.example/hlr' };
      await store.insertLookups([pending]);
      const reading = { reachability: 'reachable' as const, network: '20815', ported: true, roaming: null, error: null };
      const answered = { ...pending, ...reading, raw: { phone: '+33612345678' } };
      assert.deepEqual(await store.completeLookups('ib', [{ number: '+33612345678', reading, raw: { phone: '+33612345678' } }]), [answered]);
      assert.deepEqual(await store.completeLookups('ib', [{ number: '+33612345678', reading, raw: {} }]), [], 'answered once');
      assert.deepEqual(await store.getLookup('looker', 'lkp_4'), answered);
    });

    test('quality: counted in the transaction of each outcome, per connection, destination and hour; a degradation is recorded once', async () => {
      const hour = Math.floor(T0 / 3_600_000);
      const route = { name: 'q', chain: ['q1'], resendUnknown: false, reason: 'x', accepted: 'q1', country: 'FR', network: '20801', costs: { q1: 30_000 } };
      const ms = [0, 1, 2, 3, 4].map(() => message({ connection: 'q1', segments: 2, route }));
      await insert(store, ms);
      const write = (m: NewMessage, from: NewMessage['status'][], to: NewMessage['status'], at: number, extra: object = {}) =>
        store.applyWrites([{ transition: { messageId: m.id, from, to, event: event(at, to, to), dueAt: null, ...extra } }]);
      for (const [i, m] of ms.slice(0, 4).entries()) await write(m, ['queued'], 'sent', T0 + 10, { providerMessageId: `q-${i}` });
      const refusal = { type: 'delivery_error', code: 'destination_barred', message: 'x', doc_url: 'x', permanent: true, retry: 'never' } as const;
      await write(ms[4]!, ['queued'], 'sending', T0 + 5);
      await write(ms[4]!, ['sending'], 'rejected', T0 + 10, { error: refusal }); // refused at submit: a submit that failed
      await write(ms[0]!, ['sent'], 'delivered', T0 + 1_510); // 1.5 s after its submit
      await write(ms[0]!, ['delivered'], 'read', T0 + 2_000); // read after delivered: nothing more
      await write(ms[1]!, ['sent'], 'undelivered', T0 + 20, { error: { ...refusal, code: 'unknown_subscriber' } });
      await write(ms[2]!, ['sent', 'queued'], 'expired', T0 + 30); // no final receipt: unknown
      await write(ms[3]!, ['queued'], 'delivered', T0 + 40); // not from its status: no change, nothing counted
      const failover = { messageId: ms[3]!.id, from: ['sent' as const], to: 'queued' as const, connection: 'q2', dueAt: T0 + 50, error: { ...refusal, code: 'absent_subscriber' } };
      await store.applyWrites([{ transition: { ...failover, event: { ...event(T0 + 50, 'failover', 'queued'), detail: { connection: 'q1', to_connection: 'q2' } } } }]);
      const [q] = await store.qualityTotals(hour, 'q1');
      assert.deepEqual({ ...q, counts: { ...q!.counts, latency: undefined } }, {
        connection: 'q1',
        country: 'FR',
        network: '20801',
        counts: { submits: 5, segments: 10, delivered: 1, undelivered: 3, unknown: 1, cost: 240_000, latency: undefined, errors: { absent_subscriber: 1, destination_barred: 1, unknown_subscriber: 1 } },
      });
      assert.equal(q!.counts.latency.reduce((s, n) => s + n, 0), 1);
      assert.equal(q!.counts.latency[4], 1, 'in the 1-2 s bucket');
      assert.deepEqual(await store.qualityTotals(hour + 1, 'q1'), [], 'hours before the one asked for are left out');
      assert.deepEqual(await store.qualityTotals(hour - 3, 'q1', hour), [], 'and hours from untilHour on');
      assert.deepEqual(await store.qualityTotals(hour, 'q2'), [], 'a failover counts on the connection the message failed on');
      assert.equal(await store.pruneQuality(hour, 10_000), 0, 'nothing before the hour');
      assert.ok((await store.pruneQuality(hour + 1, 10_000)) >= 4, 'the hour\'s counters and errors, older than the hours kept');
      assert.deepEqual(await store.qualityTotals(hour - 1), [], 'gone');

      const degradation = { connection: 'q1', country: 'FR', reason: 'delivery_rate_drop' as const, detail: { z: 4.2 }, since: T0 };
      await store.insertEndpoint({ id: 'we_quality', accountId: 'ops', url: 'https://example.com/q', description: null, secret: 'whsec_q', createdAt: T0, failingSince: null, disabledAt: null, disabledReason: null, batch: null, events: ['connection.degraded'] });
      const T3 = T0 + 300_000; // after the deliveries of the tests above, claimed or not
      const change = (degraded: boolean) => ({ degradation, degraded, at: T3, accountId: 'ops', notice: { at: T3, type: degraded ? 'connection_degraded' : 'connection_recovered', message: 'm', detail: null }, event: { connection: 'q1' } });
      assert.equal(await store.setDegraded(change(true)), true);
      assert.equal(await store.setDegraded(change(true)), false, 'another node found it first');
      assert.deepEqual(await store.degradations(), [degradation]);
      assert.equal(await store.setDegraded(change(false)), true);
      assert.equal(await store.setDegraded(change(false)), false);
      assert.deepEqual(await store.degradations(), []);
      assert.deepEqual((await store.listNotices('ops', 10)).map((n) => n.type), ['connection_recovered', 'connection_degraded']);
      // The endpoint takes connection.degraded only: one delivery, its subject the connection.
      const told = (await store.listDeliveries('ops', { endpointId: 'we_quality' }, 10)).map((d) => d.messageId);
      assert.deepEqual(told, ['q1']);
    });

    test('routing table and inbound messages', async () => {
      assert.equal(await store.loadTopology(), undefined);
      const connections = [{ name: 'c1', provider: 'sandbox', tps: 5 }];
      const routes = [{ name: 'r', match: { prefixes: ['+44'] }, strategy: 'priority' as const, resendUnknown: false, connections: [{ connection: 'c1', priority: 1, weight: 1, price: 0.04 }] }];
      await store.saveTopology({ fileHash: 'h', connections: [], routes, updatedAt: T0 });
      await store.saveTopology({ fileHash: 'h2', connections, routes, updatedAt: T0 + 1 });
      assert.deepEqual(await store.loadTopology(), { fileHash: 'h2', connections, routes, updatedAt: T0 + 1 });

      for (const i of [1, 2, 3]) {
        await store.insertInbound({ id: `in_${i}`, accountId: 'acc', connection: 'c1', from: '+447700900001', to: 'Shop', text: `m${i}`, receivedAt: T0 + i, payload: { i } });
      }
      const page = await store.listInbound('acc', undefined, 2);
      assert.deepEqual(page.map((m) => m.text), ['m3', 'm2']);
      assert.deepEqual((await store.listInbound('acc', 'in_2', 2)).map((m) => m.payload), [{ i: 1 }]);
    });
  });
}

for (const [name, open] of implementations) {
  describe(`the message log's retention on ${name}`, () => {
    let opened: Opened;
    before(async () => {
      opened = await open();
      await opened.store.migrate();
    });
    after(async () => {
      await opened.drop();
      await opened.store.close();
    });

    test('deletes final messages made before it, with their events and provider ids, look after look; one still on its way stays, whatever its age', async () => {
      const { store, rows } = opened;
      const DAY = 86_400_000;
      const at = (t: number) => ({ id: newMessageId(t), createdAt: t, updatedAt: t });
      const [delivered, failed, sent, queued, scheduled] = [1, 2, 3, 4, 5].map((i) => message({ accountId: 'kept', ...at(T0 + i) }));
      const recent = message({ accountId: 'kept', ...at(T0 + 10 * DAY) });
      await insert(store, [delivered!, failed!, sent!, queued!, { ...scheduled!, status: 'scheduled', sendAt: T0 + 30 * DAY }, recent]);
      const change = (m: NewMessage, from: NewMessage['status'], to: NewMessage['status'], providerMessageId?: string) =>
        store.applyWrites([
          {
            transition: {
              messageId: m.id, from: [from], to, event: event(T0 + 100, to, to), dueAt: null, providerMessageId,
              providerIds: providerMessageId ? [{ connection: 'c1', providerMessageId, messageId: m.id, part: 1, parts: 1 }] : undefined,
            },
          },
        ]);
      // Made ten days ago: delivered, failed, sent (its receipt awaited), queued, scheduled for later. Made today: delivered.
      await change(delivered!, 'queued', 'sent', 'p-delivered');
      await change(delivered!, 'sent', 'delivered');
      await change(failed!, 'queued', 'failed');
      await change(sent!, 'queued', 'sent', 'p-sent');
      await change(recent, 'queued', 'sent', 'p-recent');
      await change(recent, 'sent', 'delivered');
      await store.insertInbound({ id: newId('in', T0), accountId: 'kept', connection: 'c1', from: '+447700900001', to: 'Shop', text: 'old', receivedAt: T0, payload: null });
      await store.insertInbound({ id: newId('in', T0 + 10 * DAY), accountId: 'kept', connection: 'c1', from: '+447700900001', to: 'Shop', text: 'new', receivedAt: T0 + 10 * DAY, payload: null });

      // Kept five days: two messages a look, so that looks go on from where the last one ended.
      const cutoff = T0 + 5 * DAY;
      const walk = async (prune: Store['pruneMessages']) => {
        const looks: { deleted: number; next: string | null }[] = [];
        for (let after: string | null = ''; after !== null; ) {
          const look: { deleted: number; next: string | null } = await prune.call(store, cutoff, after, 2);
          looks.push(look);
          after = look.next;
        }
        return looks;
      };
      const looks = await walk(store.pruneMessages);
      assert.ok(looks.length > 1, 'more than one look');
      assert.equal(looks.reduce((n, l) => n + l.deleted, 0), 2);
      const left = [sent!, queued!, scheduled!, recent].map((m) => m.id).sort();
      assert.deepEqual((await store.listMessages('kept', {}, 100)).map((m) => m.id).sort(), left);
      assert.equal(await store.getMessage('kept', delivered!.id), undefined);
      assert.deepEqual(await store.listEvents('kept', delivered!.id), []);
      const events = (await rows('SELECT DISTINCT message_id FROM message_events ORDER BY message_id')) as { message_id: string }[];
      assert.deepEqual(events.map((e) => e.message_id), [sent!.id, recent.id].sort(), 'the events of the messages deleted go with them');
      const providerIds = (await rows('SELECT provider_message_id FROM provider_ids ORDER BY provider_message_id')) as { provider_message_id: string }[];
      assert.deepEqual(providerIds.map((p) => p.provider_message_id), ['p-recent', 'p-sent'], 'a receipt still finds the message it awaits');
      assert.deepEqual(await store.pruneMessages(cutoff, '', 100), { deleted: 0, next: null }, 'nothing more to delete');

      assert.equal((await walk(store.pruneInbound)).reduce((n, l) => n + l.deleted, 0), 1);
      assert.deepEqual((await store.listInbound('kept', undefined, 10)).map((m) => m.text), ['new']);
    });
  });
}

describe('webhook claims on PostgreSQL while an emit holds a chain', () => {
  const schema = `test_${process.pid}_${Date.now()}_held`;
  const store = new PostgresStore({ url: TEST_DATABASE_URL, schema });
  const emit = new pg.Client({ connectionString: TEST_DATABASE_URL });
  before(async () => {
    await store.migrate();
    await emit.connect();
    await emit.query(`SET search_path TO ${schema}`);
  });
  after(async () => {
    await emit.end();
    await store.dropSchema();
    await store.close();
  });

  test('a due delivery skipped because an emit holds it as the head of its chain is claimed once the emit ends', async () => {
    await store.insertEndpoint({ id: 'we_h', accountId: 'held', url: 'https://example.com/h', description: null, events: ['*'], secret: 'whsec_h', createdAt: T0, failingSince: null, disabledAt: null, disabledReason: null, batch: null });
    await insert(store, [message({ accountId: 'held' })]);
    const lease = { now: T0 + 1_000_000, limit: 10, perTarget: 4, owner: 'n1', leaseUntil: T0 + 1_001_000 };
    // What an emit for the same message and endpoint does until it commits: FOR SHARE on the pending head.
    await emit.query('BEGIN');
    await emit.query(`SELECT seq FROM webhook_deliveries WHERE target = 'we_h' AND status = 'pending' FOR SHARE`);
    assert.deepEqual(await store.claimDeliveries(lease), [], 'held: skipped, not waited for');
    await emit.query('COMMIT');
    const claimed = await store.claimDeliveries({ ...lease, now: lease.now + 10 });
    assert.deepEqual(claimed.map((d) => d.event.type), ['message.queued'], 'the target did not go to sleep with it due');
  });
});
