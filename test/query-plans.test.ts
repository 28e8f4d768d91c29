import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PostgresStore } from '../src/storage/postgres/store.js';
import { DISPATCH_SQL as PG_DISPATCH_SQL } from '../src/storage/postgres/dispatch-sql.js';
import { RECEIPT_SQL as PG_RECEIPT_SQL } from '../src/storage/postgres/receipt-sql.js';
import { WEBHOOK_SQL as PG_WEBHOOK_SQL } from '../src/storage/postgres/webhook-sql.js';
import { NUMBERS_SQL as PG_NUMBERS_SQL } from '../src/storage/postgres/numbers-sql.js';
import { SLICE_SQL } from '../src/storage/postgres/slices.js';
import { SMPP_SQL as PG_SMPP_SQL } from '../src/storage/postgres/smpp-sql.js';
import { SqliteStore } from '../src/storage/sqlite/store.js';
import { ACCOUNT_SQL as SQLITE_ACCOUNT_SQL } from '../src/storage/sqlite/account-sql.js';
import { ACCOUNT_SQL as PG_ACCOUNT_SQL } from '../src/storage/postgres/account-sql.js';
import type { MessageFilter } from '../src/app/store.js';
import { messageLogSql, type LogDialect } from '../src/storage/rows.js';
import { LOG_DIALECT as SQLITE_LOG } from '../src/storage/sqlite/log-sql.js';
import { LOG_DIALECT as PG_LOG } from '../src/storage/postgres/log-sql.js';
import { DISPATCH_SQL as SQLITE_DISPATCH_SQL } from '../src/storage/sqlite/dispatch-sql.js';
import { RECEIPT_SQL as SQLITE_RECEIPT_SQL } from '../src/storage/sqlite/receipt-sql.js';
import { WEBHOOK_SQL as SQLITE_WEBHOOK_SQL } from '../src/storage/sqlite/webhook-sql.js';
import { CREDENTIAL_SQL as SQLITE_CREDENTIAL_SQL } from '../src/storage/sqlite/credential-sql.js';
import { CREDENTIAL_SQL as PG_CREDENTIAL_SQL } from '../src/storage/postgres/credential-sql.js';
import { NUMBERS_SQL as SQLITE_NUMBERS_SQL } from '../src/storage/sqlite/numbers-sql.js';
import { SMPP_SQL as SQLITE_SMPP_SQL } from '../src/storage/sqlite/smpp-sql.js';
import { LOOKUP_SQL as SQLITE_LOOKUP_SQL } from '../src/storage/sqlite/lookup-sql.js';
import { LOOKUP_SQL as PG_LOOKUP_SQL } from '../src/storage/postgres/lookup-sql.js';
import { COMPLIANCE_SQL as SQLITE_COMPLIANCE_SQL } from '../src/storage/sqlite/compliance-sql.js';
import { COMPLIANCE_SQL as PG_COMPLIANCE_SQL } from '../src/storage/postgres/compliance-sql.js';
import { USER_SQL } from '../src/storage/user-rows.js';
import { QUALITY_SQL as SQLITE_QUALITY_SQL } from '../src/storage/sqlite/quality-sql.js';
import { QUALITY_COUNTS, QUALITY_SQL as PG_QUALITY_SQL } from '../src/storage/postgres/quality-sql.js';
import { IDEMPOTENCY_SQL } from '../src/storage/idempotency-sql.js';
import { HOURLY_READ } from '../src/storage/hourly.js';
import { QUALITY_PRUNE_SQL } from '../src/storage/quality.js';
import { RETENTION_SQL as SQLITE_RETENTION_SQL } from '../src/storage/sqlite/retention-sql.js';
import { RETENTION_SQL as PG_RETENTION_SQL } from '../src/storage/postgres/retention-sql.js';
import { eventually, TEST_DATABASE_URL, tempDir } from './helpers.js';

// Every statement webhook delivery runs per event, dispatch's claims (expiry included), receipt
// matching, the sweep of parked receipts, the message log, what an account's requests read of its
// branch, verified numbers and credentials, the owner look-up of every inbound message, the usage
// counters, the logs' retention, the statements that charge accepts from nodes' slices of accounts' balances
// (PostgreSQL), the SMPP outbox's, the compliance counters', the quality counters' and failed sign-ins' must reach their rows through an index: with a backlog
// waiting (or many accounts), a scan would make each cost as much as the backlog.

const prefixed = (prefix: string, sql: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(sql).map(([name, text]) => [`${prefix}_${name}`, text]));
const smpp = (sql: Readonly<Record<string, string>>) => prefixed('smpp', sql);
/** What every failed sign-in runs (both stores; SQLite reads `$n` as `@pn`, as its store does). */
const SIGN_IN_SQL = { failures: USER_SQL.failures, countFailure: USER_SQL.countFailure, pruneFailures: USER_SQL.pruneFailures, clearFailures: USER_SQL.clearFailures };
/** Shared statements of both stores: Idempotency-Keys, and the hourly counters the overview and failures read. */
const SHARED_SQL = { ...prefixed('idempotency', IDEMPOTENCY_SQL), ...prefixed('qualityPrune', QUALITY_PRUNE_SQL), hourlyRead: HOURLY_READ };
const sqliteNumbered = (sql: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(sql).map(([name, text]) => [name, text.replace(/\$(\d+)/g, '@p$1')]));
const SQLITE_SQL = { ...sqliteNumbered(SHARED_SQL), ...prefixed('signIn', sqliteNumbered(SIGN_IN_SQL)), ...prefixed('lookups', SQLITE_LOOKUP_SQL), ...SQLITE_WEBHOOK_SQL, ...SQLITE_RECEIPT_SQL, ...SQLITE_DISPATCH_SQL, ...SQLITE_ACCOUNT_SQL, ...SQLITE_CREDENTIAL_SQL, ...SQLITE_NUMBERS_SQL, ...smpp(SQLITE_SMPP_SQL), ...prefixed('compliance', SQLITE_COMPLIANCE_SQL), ...prefixed('quality', SQLITE_QUALITY_SQL), ...prefixed('retention', SQLITE_RETENTION_SQL) };
const PG_SQL = { ...SHARED_SQL, ...prefixed('signIn', SIGN_IN_SQL), ...prefixed('lookups', PG_LOOKUP_SQL), ...PG_WEBHOOK_SQL, ...PG_RECEIPT_SQL, ...PG_DISPATCH_SQL, ...PG_ACCOUNT_SQL, ...PG_CREDENTIAL_SQL, ...PG_NUMBERS_SQL, ...SLICE_SQL, ...smpp(PG_SMPP_SQL), ...prefixed('compliance', PG_COMPLIANCE_SQL), ...prefixed('quality', PG_QUALITY_SQL), ...prefixed('retention', PG_RETENTION_SQL) };

/** The message log as users page it: the first page, the next, and each filter (with a cursor where it pages). */
const LOGS: Record<string, MessageFilter> = {
  first: {},
  next: { before: 'msg_500' },
  recipient: { to: '+447700900001', before: 'msg_500' },
  since: { since: 19_000 },
  status: { status: 'delivered', before: 'msg_500' },
  error: { errorCode: 'unknown_subscriber' },
  sender: { from: 'Shop' },
  connection: { connection: 'c', before: 'msg_500' },
  route: { route: 'r3', before: 'msg_500' },
  type: { type: 'otp' },
  country: { country: 'FR' },
  'search by id': { search: 'msg_42' },
  'search by client_ref': { search: 'ref-42' },
  'search by number prefix': { search: '+4477009001' },
};
/** A number prefix reads the range of the numbers it matches, sorted by id: what it matches, not the account's whole log. */
const SORTS_WHAT_IT_MATCHES = new Set(['search by number prefix']);
/** The index each filter reads (on SQLite: PostgreSQL chooses by its statistics, among indexes all the same). */
const LOG_INDEXES: Record<string, string> = {
  status: 'messages_account_status',
  error: 'messages_account_error',
  sender: 'messages_account_from',
  connection: 'messages_account_connection',
  route: 'messages_account_route',
  type: 'messages_account_type',
  country: 'messages_account_country',
  'search by client_ref': 'messages_account_ref',
  'search by number prefix': 'messages_account_to',
};
const log = (filter: MessageFilter, dialect: LogDialect) => messageLogSql('acc', filter, 50, dialect);

const BACKLOG = 20_000;
/** Tables that grow with traffic: never read whole by a hot statement. */
const BACKLOG_TABLES = [
  'webhook_deliveries', 'webhook_events', 'webhook_attempts', 'webhook_endpoints', 'messages', 'provider_ids', 'parked_receipts', 'accounts', 'verified_numbers', 'face_credentials', 'numbers',
  'usage_counts', 'ledger_entries', 'pending_charges', 'balance_slices', 'smpp_outbox', 'inbound_messages', 'lookups', 'compliance_marks',
  'quality_counts', 'quality_errors', 'sign_in_failures', 'idempotency_keys', 'hourly_counts', 'opt_outs',
];
/** Idempotency keys of many accounts over time, and the hourly counters of 100 accounts over 200 hours. */
const IDEMPOTENCY = `INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response, created_at) SELECT 'acc_' || (i % 100), 'k' || i, 'h', 202, '{}', i`;
const HOURLY = `INSERT INTO hourly_counts (account_id, hour, connection, country, error_code, provider_code, slot, messages) SELECT 'acc_' || (i % 100), i / 100, 'c', 'GB', '', '', 0, 1`;
/** Quality counters over many hours, connections and slots (the window read is a range of hours). */
/** Endpoints of many accounts, a few each: an event reads only its own accounts'. */
const ENDPOINTS = `INSERT INTO webhook_endpoints (id, account_id, url, events, secret, created_at) SELECT 'wep_' || i, 'hooks_' || (i % 5000), 'https://example.com/h', 'message.delivered', 's', 0`;
const QUALITY = `INSERT INTO quality_counts (hour, connection, country, network, slot, submits) SELECT i / 100, 'c' || (i % 10), 'GB', '', (i / 10) % 10, 1`;
const QUALITY_ERRORS = `INSERT INTO quality_errors (hour, connection, country, network, code, slot, count) SELECT i / 100, 'c' || (i % 10), 'GB', '', 'x', (i / 10) % 10, 1`;
/** Live lookups of many numbers, a few of each (the cache, routing and accept read them by number). */
const LOOKUPS = `INSERT INTO lookups (id, account_id, number, at, connection, provider, reachability, raw)
  SELECT 'lkp_' || i, 'acc', '+3361' || (i % 5000), i, 'c', 'infobip', 'reachable', '{}'`;
/**
 * Statements that sort only what they hand out (the rows claimed, the events of one batch, the
 * counter rows of one account's days or hours, or of the quality window's hours, one node's slices).
 */
const SORTS_WHAT_IT_HANDS_OUT = new Set(['hourlyRead', 'claimed', 'emit', 'lease', 'drop', 'leaseClaimed', 'usage', 'usageUnder', 'own', 'settle', 'due', 'quality_totals', 'quality_errors']);
/**
 * A backlog of messages queued for one connection (its carrier down), a few past their validity,
 * with receipts' provider ids, for the claims and the message log.
 */
const MESSAGES = `INSERT INTO messages (id, account_id, "to", "from", text, encoding, segments, status, expires_at, created_at, updated_at, connection, due_at, route, client_ref)
  SELECT 'msg_' || i, 'acc', '+4477009' || (i % 1000), 'Shop', 'Hi', 'gsm7', 1, 'queued', CASE WHEN i % 1000 = 0 THEN 5 ELSE 1000000 END, i, i, 'c', i,
    '{"name":"r' || (i % 10) || '","chain":["c"],"resendUnknown":false,"country":"GB"' || CASE WHEN i % 2 = 0 THEN ',"type":"otp"' ELSE '' END || '}', CASE WHEN i % 3 = 0 THEN 'ref-' || i END`;

/** A step of a PostgreSQL plan (EXPLAIN's JSON), and the steps under it. */
type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe('hot webhook, receipt and account statements on SQLite use indexes, whatever the backlog', () => {
  let dir: string;
  let db: BetterSqlite3.Database;
  before(async () => {
    dir = tempDir();
    const store = new SqliteStore({ file: join(dir, 'switchboard.db'), synchronous: 'normal' });
    await store.migrate();
    await store.close();
    db = new BetterSqlite3(join(dir, 'switchboard.db'));
    // A backlog over ten targets, and many targets with nothing due: three events of each message, the first of each chain due.
    db.exec(`
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO webhook_deliveries (id, event_id, account_id, message_id, endpoint_id, target, url, status, due_at, created_at)
        SELECT 'whd_' || i, 'evt_' || i, 'acc', 'msg_' || (i / 3), 'we_big', CASE WHEN i % 10 = 0 THEN 'we_big' ELSE 'we_' || (i % 10) END, 'https://example.com/h', CASE WHEN i % 5 = 0 THEN 'delivered' ELSE 'pending' END,
               CASE WHEN i % 3 = 0 THEN i END, i FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO webhook_events (id, account_id, message_id, type, created_at, data) SELECT 'evt_' || i, 'acc', 'msg_' || (i / 3), 'message.sent', i, '{}' FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO webhook_attempts (delivery_id, at, status_code, latency_ms) SELECT 'whd_' || i, i, 204, 1 FROM n;
      INSERT INTO webhook_endpoints (id, account_id, url, events, secret, created_at) VALUES ('we_big', 'acc', 'https://example.com/h', '*', 's', 0);
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      ${ENDPOINTS} FROM n;
      INSERT INTO webhook_targets (target, endpoint_id, pending, active_at) VALUES ('we_big', 'we_big', ${BACKLOG}, 0);
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
      INSERT INTO webhook_targets (target, pending) SELECT 'callback:https://example.com/' || i, 0 FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO parked_receipts (connection, provider_message_id, received_at, receipt) SELECT 'c', 'p' || i, i, '{}' FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO provider_ids (connection, provider_message_id, message_id, part, parts) SELECT 'c', 'q' || i, 'msg_' || i, 1, 1 FROM n;
      INSERT INTO accounts (id, name, created_at, path) VALUES ('acc', 'Root', 0, 'acc');
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO accounts (id, parent_id, path, name, created_at, trial, ip_allowlist) SELECT 'acc_' || i, 'acc', 'acc/acc_' || i, 'A', i, i % 2, CASE WHEN i % 3 = 0 THEN '["10.0.0.0/8"]' END FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO verified_numbers (account_id, number, created_at, verified_at) SELECT 'acc_' || (i % 100), '+4477009' || (10000 + i), i, i FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO face_credentials (id, account_id, protocol, key, secret, settings, created_at) SELECT 'cred_' || i, 'acc_' || (i % 100), 'vonage', 'k' || i, 's', '{}', i FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO numbers (number, account_id, assigned_at) SELECT '+4477009' || (10000 + i), 'acc_' || (i % 1000), i FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO usage_counts (account_id, day, country, connection, slot, messages) SELECT 'acc_' || (i % 100), i / 100, 'GB', 'c', 0, 1 FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      ${MESSAGES} FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO smpp_outbox (account_id, kind, ref, expires_at, lease_until) SELECT 'acc' || (i % 10), 'receipt', 'msg_' || i, i, CASE WHEN i % 4 = 0 THEN i END FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      ${LOOKUPS} FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO compliance_marks (account_id, key, window_end, count) SELECT 'acc_' || (i % 10), 'cap:marketing:day:+4477009' || i, i, 1 FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO sign_in_failures (key, failures, window_end) SELECT 'address:10.0.' || i, 1, i FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      ${QUALITY} FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      ${IDEMPOTENCY} FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      ${HOURLY} FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      ${QUALITY_ERRORS} FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO opt_outs (account_id, sender, number, created_at, source) SELECT 'acc_' || (i % 100), CASE WHEN i % 2 = 0 THEN '*' ELSE 'Shop' END, '+4477009' || i, i, 'api' FROM n;
    `);
    // No ANALYZE: a node's file never has statistics, and these are the plans it runs with.
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Parameters a statement is read with where 1 for each would not be what it is run with. */
  const window = { since: 176, until: null, connection: null }; // the last day of the hours stored
  const given: Record<string, object> = { quality_totals: window, quality_errors: window };
  for (const [name, sql] of Object.entries(SQLITE_SQL)) {
    test(name, () => {
      const names = new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!));
      const params = given[name] ?? Object.fromEntries([...names].map((n) => [n, n === 'seqs' ? '[1,2,3]' : n === 'numbers' ? '["+33611","+33612"]' : n === 'ids' ? '["msg_1"]' : n === 'keys' ? '["k42","k43"]' : 1]));
      checkSqlite(name, sql, params);
    });
  }
  for (const [name, filter] of Object.entries(LOGS)) {
    test(`message log: ${name}`, () => {
      const { sql, values } = log(filter, SQLITE_LOG);
      checkSqlite(name, sql, values);
      if (LOG_INDEXES[name]) assert.match(sqlitePlan(sql, values).join(' | '), new RegExp(`USING (COVERING )?INDEX ${LOG_INDEXES[name]} `));
    });
  }

  test('expiring a backlog goes by validity, not through every due message', () => {
    assert.match(sqlitePlan(SQLITE_DISPATCH_SQL.claimExpired, { connection: 'c', now: 50_000, limit: 500 }).join(' | '), /messages_expiring \(connection=\? AND expires_at<\?\)/);
  });

  test("a target's next due time is read from its due deliveries' index, not from every delivery waiting for it", () => {
    assert.match(sqlitePlan(SQLITE_WEBHOOK_SQL.parkTarget, { target: 'we_big', version: 0 }).join(' | '), /USING (COVERING )?INDEX webhook_deliveries_ready \(target=\? AND due_at>\?\)/);
  });

  function sqlitePlan(sql: string, params: object): string[] {
    const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
    return ((Array.isArray(params) ? statement.all(...params) : statement.all(params)) as { detail: string }[]).map((r) => r.detail);
  }

  function checkSqlite(name: string, sql: string, params: object): void {
    const plan = sqlitePlan(sql, params);
    for (const step of plan) {
      for (const table of BACKLOG_TABLES) assert.doesNotMatch(step, new RegExp(`^SCAN ${table}\\b(?! USING (COVERING )?INDEX)`), `${name}: ${plan.join(' | ')}`);
      if (!SORTS_WHAT_IT_HANDS_OUT.has(name) && !SORTS_WHAT_IT_MATCHES.has(name)) assert.doesNotMatch(step, /TEMP B-TREE/, `${name}: ${plan.join(' | ')}`);
    }
  }
});

describe('hot webhook, receipt and account statements on PostgreSQL use indexes, whatever the backlog', () => {
  const schema = `plans_${process.pid}_${Date.now()}`;
  let store: PostgresStore;
  let client: pg.Client;
  before(async () => {
    store = new PostgresStore({ url: TEST_DATABASE_URL, schema });
    await store.migrate();
    client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    await client.connect();
    await client.query(`
      INSERT INTO webhook_deliveries (id, event_id, account_id, message_id, endpoint_id, target, url, status, due_at, created_at)
        SELECT 'whd_' || i, 'evt_' || i, 'acc', 'msg_' || (i / 3), 'we_big', CASE WHEN i % 10 = 0 THEN 'we_big' ELSE 'we_' || (i % 10) END, 'https://example.com/h', CASE WHEN i % 5 = 0 THEN 'delivered' ELSE 'pending' END,
               CASE WHEN i % 3 = 0 THEN i END, i FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO webhook_events (id, account_id, message_id, type, created_at, data) SELECT 'evt_' || i, 'acc', 'msg_' || (i / 3), 'message.sent', i, '{}' FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO webhook_attempts (delivery_id, at, status_code, latency_ms) SELECT 'whd_' || i, i, 204, 1 FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO webhook_endpoints (id, account_id, url, events, secret, created_at) VALUES ('we_big', 'acc', 'https://example.com/h', '*', 's', 0);
      ${ENDPOINTS} FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO webhook_targets (target, endpoint_id, pending, active_at) VALUES ('we_big', 'we_big', ${BACKLOG}, 0);
      INSERT INTO webhook_targets (target, pending) SELECT 'callback:https://example.com/' || i, 0 FROM generate_series(0, 4999) AS i;
      INSERT INTO parked_receipts (connection, provider_message_id, received_at, receipt) SELECT 'c', 'p' || i, i, '{}' FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO provider_ids (connection, provider_message_id, message_id, part, parts) SELECT 'c', 'q' || i, 'msg_' || i, 1, 1 FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO accounts (id, name, created_at, path) VALUES ('acc', 'Root', 0, 'acc');
      INSERT INTO accounts (id, parent_id, path, name, created_at, trial, ip_allowlist)
        SELECT 'acc_' || i, 'acc', 'acc/acc_' || i, 'A', i, i % 2 = 0, CASE WHEN i % 3 = 0 THEN '["10.0.0.0/8"]' END FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO verified_numbers (account_id, number, created_at, verified_at) SELECT 'acc_' || (i % 100), '+4477009' || (10000 + i), i, i FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO face_credentials (id, account_id, protocol, key, secret, settings, created_at) SELECT 'cred_' || i, 'acc_' || (i % 100), 'vonage', 'k' || i, 's', '{}', i FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO numbers (number, account_id, assigned_at) SELECT '+4477009' || (10000 + i), 'acc_' || (i % 1000), i FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO usage_counts (account_id, day, country, connection, slot, messages) SELECT 'acc_' || (i % 100), i / 100, 'GB', 'c', i % 16, 1 FROM generate_series(0, ${BACKLOG - 1}) AS i;
      -- Many accounts, each with slices on three nodes (one in five holding anything), a ledger and charges waiting.
      INSERT INTO accounts (id, name, created_at, path) SELECT 'acct_' || i, 'A', 0, 'acct_' || i FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO balance_slices (account_id, node_id, granted, spent, granted_at, used_at, lease_until)
        SELECT 'acct_' || (i / 3), 'n' || (i % 3), CASE WHEN i % 5 = 0 THEN 100 ELSE 0 END, 0, i, i, i FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO ledger_entries (id, account_id, at, type, amount, balance_after) SELECT 'led_' || i, 'acct_' || (i % 1000), i, 'top_up', 1, 1 FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO pending_charges (account_id, node_id, id, at, amount, messages) SELECT 'acct_' || (i % 1000), 'n' || (i % 3), 'led_p' || i, i, 1, 1 FROM generate_series(0, ${BACKLOG - 1}) AS i;
      ${MESSAGES} FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO smpp_outbox (account_id, kind, ref, expires_at, lease_until) SELECT 'acc' || (i % 10), 'receipt', 'msg_' || i, i, CASE WHEN i % 4 = 0 THEN i END FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO inbound_messages (id, account_id, connection, "from", "to", text, received_at) SELECT 'in_' || i, 'acc', 'c', '+447700900000', '+447700900001', 'Hi', i FROM generate_series(0, ${BACKLOG - 1}) AS i;
      ${LOOKUPS} FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO compliance_marks (account_id, key, window_end, count) SELECT 'acc_' || (i % 10), 'cap:marketing:day:+4477009' || i, i, 1 FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO sign_in_failures (key, failures, window_end) SELECT 'address:10.0.' || i, 1, i FROM generate_series(0, ${BACKLOG - 1}) AS i;
      ${QUALITY} FROM generate_series(0, ${BACKLOG - 1}) AS i;
      ${IDEMPOTENCY} FROM generate_series(0, ${BACKLOG - 1}) AS i;
      ${HOURLY} FROM generate_series(0, ${BACKLOG - 1}) AS i;
      ${QUALITY_ERRORS} FROM generate_series(0, ${BACKLOG - 1}) AS i;
    `);
    // This schema's tables only: a bare ANALYZE would lock every test's tables in the database.
    const tables = (await client.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema])).rows.map((r) => `"${r.tablename}"`);
    await client.query(`ANALYZE ${tables.join(', ')}`);
  });
  after(async () => {
    await client.end();
    await store.dropSchema();
    await store.close();
  });

  const sample: Record<string, unknown[]> = {
    emit: [['evt_x'], ['acc'], ['msg_1'], ['message.sent'], [1], [null], 'n1', 2, 64, 10],
    touchTargets: [['we_big'], ['we_big'], [1], [1], [1], [0]],
    lapsed: [1, 10, 2, 'n1'],
    activeTargets: [1, 4, 10],
    leaseReady: ['we_big', 1, 10, 2, 'n1'],
    dropWaiting: ['we_big', 10, 'gone'],
    wake: ['we_big', 1],
    dropped: ['we_big', 1],
    parkTarget: ['we_big', 0],
    addInFlight: ['we_big', 1],
    claimed: [[1, 2, 3]],
    record: [['whd_1', 'whd_2'], ['n1', 'n1'], [1, 1], [204, 503], [null, null], ['delivered', 'pending'], [null, 5]],
    attempts: [['whd_1'], [1], [204], [null], [3], ['']],
    promote: [[1, 1], ['msg_1', 'msg_2'], ['we_big', 'we_big']],
    answered: ['we_big', 2, 1, 1, false, 1, 5, 1, 0, 5],
    failing: ['we_big', false, 1],
    targets: [['we_big']],
    logAfter: [100, 500],
    prune: [[1, 2], ['whd_1', 'whd_2'], ['evt_1', 'evt_2']],
    dropTarget: ['we_big'],
    resendOf: ['acc', 'whd_1'],
    resend: ['whd_new', 'evt_1', 'acc', 'msg_1', 'we_big', 'we_big', 'https://example.com/h', 1, 'whd_1'],
    signIn_failures: ['address:10.0.7', 5],
    idempotency_find: ['acc_7', 'k7', 0],
    idempotency_save: ['acc_7', 'k7', 'h', 202, '{}', 1],
    idempotency_prune: [50, 100],
    // Pruned each minute: only the hour that just left the window is older than the cutoff.
    subscriptions: [['hooks_7', 'hooks_8']],
    qualityPrune_counts: [2, 1000],
    qualityPrune_errors: [2, 1000],
    // An account's last day.
    hourlyRead: ['acc_7', 176, 199],
    signIn_countFailure: ['address:10.0.7', 20, 5, 10],
    signIn_pruneFailures: [5],
    signIn_clearFailures: ['address:10.0.7'],
    stranded: [100, 500],
    branch: ['acc_7'],
    verified: ['acc_7', ['+447700910007', '+447700900000']],
    inactive: [['acc_7', 'acc_8']],
    findCredential: ['vonage', ['k42', 'k43']],
    owner: ['+447700910000'],
    addUsage: [['acc_1'], [3], ['GB'], ['c'], [1], [1], [0], [0], [0], [0]],
    addHourly: [['acc_1'], [3], ['c'], ['GB'], [''], [''], [1], [0], [0], [0], [0]],
    usage: ['acc_1', 10, 40],
    usageUnder: ['acc/acc_7', 10, 40],
    own: ['n1', ['acct_1', 'acct_2']],
    take: ['n1', ['acct_1'], 1, 2, [10], [1]],
    pending: ['n1', ['acct_1'], ['led_x'], [1], [10], ['msg_1'], [1]],
    settle: ['acct_1', 'n1', 100],
    idle: ['acct_1', 'n1'],
    due: ['n1', 5, 5],
    dueOf: ['n1', 5, 5, 'acct_1'],
    // A lane claims half its window (50 for a window of 100).
    claimDue: ['c', 50_000, 50, 'n1', 80_000, true],
    claimExpired: ['c', 50_000, 500, 'n1', 80_000, false],
    findProviderIds: ['c', ['q1', 'q2']],
    mark: [['msg_1', 'msg_2'], ['n1', 'n1'], [1, 1], [5, 5]],
    smpp_owe: [['acc1'], ['receipt'], ['msg_1'], [1]],
    smpp_oweInbound: ['acc1', 'in_1', 1],
    smpp_claim: ['acc1', 1, 2, 100],
    smpp_finish: [[1, 2]],
    smpp_retry: [[1, 2], 5],
    smpp_messages: [['msg_1', 'msg_2']],
    smpp_inbound: [['in_1']],
    lookups_latest: [['+33611', '+33612'], 100, null],
    lookups_get: ['lkp_1', 'acc'],
    lookups_complete: ['c', '+33611', 'reachable', '20815', true, false, null, '{}'],
    compliance_takeMarks: ['acc_1', ['cap:marketing:day:+447700910', 'dup:+447700910:x'], [100, 100], [1, 1], 50],
    compliance_giveBack: ['acc_1', ['cap:marketing:day:+447700910'], [1]],
    compliance_prune: [50, 100],
    compliance_peekMark: ['acc_1', 'cap:marketing:day:+447700910', 50],
    // The last day of a window of hours, every connection, then one connection's.
    quality_add: [[150], ['c1'], ['GB'], [''], ...QUALITY_COUNTS.map(() => [1])],
    quality_addErrors: [[150], ['c1'], ['GB'], [''], ['x'], [1]],
    quality_totals: [176, null, null],
    quality_errors: [176, 'c1', null],
    quality_degradations: [],
    quality_degrade: ['c1', 'GB', 'delivery_rate_drop', '{}', 1],
    quality_recover: ['c1', 'GB'],
    retention_messagesAfter: ['msg_500', 500],
    retention_pruneMessages: [['msg_1', 'msg_2']],
    retention_inboundAfter: ['in_500', 500],
    retention_pruneInbound: [['in_1', 'in_2']],
  };

  for (const [name, sql] of Object.entries(PG_SQL)) {
    test(name, async () => {
      assert.ok(sample[name], `parameters for ${name}`);
      await checkPostgres(name, sql, sample[name]!);
    });
  }
  for (const [name, filter] of Object.entries(LOGS)) {
    test(`message log: ${name}`, async () => {
      const { sql, values } = log(filter, PG_LOG);
      await checkPostgres(name, sql, values);
    });
  }

  test("a target's next due time is read from its due deliveries' index, not from every delivery waiting for it", async () => {
    const used = (await pgPlan(PG_WEBHOOK_SQL.parkTarget, sample.parkTarget!)).map((n) => n['Index Name']);
    assert.ok(used.includes('webhook_deliveries_ready'), used.join(', '));
    assert.ok(!used.includes('webhook_deliveries_target'), used.join(', '));
  });

  test('expiring a backlog goes by validity, not through every due message', async () => {
    const used = (await pgPlan(PG_DISPATCH_SQL.claimExpired, sample.claimExpired!)).map((n) => n['Index Name']);
    assert.ok(used.includes('messages_expiring'), JSON.stringify(used));
  });

  async function pgPlan(sql: string, params: unknown[]): Promise<PlanNode[]> {
    const [row] = (await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params)).rows;
    return nodes(row!['QUERY PLAN'][0].Plan);
  }

  async function checkPostgres(name: string, sql: string, params: unknown[]): Promise<void> {
    const all = await pgPlan(sql, params);
    const shown = JSON.stringify(all.map((n) => [n['Node Type'], n['Relation Name']]));
    for (const n of all) {
      assert.ok(!(n['Node Type'] === 'Seq Scan' && BACKLOG_TABLES.includes(n['Relation Name'] ?? '')), `${name}: ${shown}`);
      if (!SORTS_WHAT_IT_HANDS_OUT.has(name) && !SORTS_WHAT_IT_MATCHES.has(name)) assert.notEqual(n['Node Type'], 'Sort', `${name}: ${shown}`);
    }
  }
});

describe("a message's chain to a target is read from the chain's index, even before the tables have statistics", () => {
  // One endpoint with a backlog of deliveries, one message each: read through the target's index, a
  // chain would cost the whole backlog. No ANALYZE: a new database under load has no statistics yet
  // (and a server without autovacuum never gets them).
  const FILL = `SELECT 'whd_' || i, 'evt_' || i, 'acc', 'msg_' || i, 'we_1', 'we_1', 'https://example.com/h', CASE WHEN i % 3 = 0 THEN 'pending' ELSE 'delivered' END,
      CASE WHEN i % 3 = 0 THEN i END, i`;
  const COLUMNS = 'webhook_deliveries (id, event_id, account_id, message_id, endpoint_id, target, url, status, due_at, created_at)';

  test('on SQLite', async () => {
    const dir = tempDir();
    const store = new SqliteStore({ file: join(dir, 'switchboard.db'), synchronous: 'normal' });
    await store.migrate();
    await store.close();
    const db = new BetterSqlite3(join(dir, 'switchboard.db'));
    try {
      db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1}) INSERT INTO ${COLUMNS} ${FILL} FROM n`);
      for (const name of ['chained', 'promote', 'resend'] as const) {
        const sql = SQLITE_WEBHOOK_SQL[name];
        const params = Object.fromEntries([...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!))].map((n) => [n, n === 'target' ? 'we_1' : n === 'messageId' ? 'msg_30' : 1]));
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join(' | ');
        assert.match(plan, /webhook_deliveries_order \(message_id=\? AND target=\?/, `${name}: ${plan}`);
        assert.doesNotMatch(plan, /webhook_deliveries_target/, `${name}: ${plan}`);
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('on PostgreSQL', async () => {
    const { client, close } = await freshSchema('chains');
    try {
      await client.query(`INSERT INTO ${COLUMNS} ${FILL} FROM generate_series(0, ${BACKLOG - 1}) AS i`);
      const statements: [string, string, unknown[]][] = [
        ['emit', PG_WEBHOOK_SQL.emit, [['evt_x'], ['acc'], ['msg_30'], ['message.sent'], [1], ['https://example.com/c'], 'n1', 2, 64, 10]],
        ['promote', PG_WEBHOOK_SQL.promote, [[1], ['msg_30'], ['we_1']]],
        ['resend', PG_WEBHOOK_SQL.resend, ['whd_x', 'evt_30', 'acc', 'msg_30', 'we_1', 'we_1', 'https://example.com/h', 1, 'whd_30']],
      ];
      for (const [name, sql, params] of statements) {
        const [row] = (await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params)).rows;
        const used = nodes(row!['QUERY PLAN'][0].Plan).map((n) => n['Index Name']);
        assert.ok(used.includes('webhook_deliveries_order'), `${name}: ${used.join(', ')}`);
        assert.ok(!used.includes('webhook_deliveries_target'), `${name}: ${used.join(', ')}`);
      }
    } finally {
      await close();
    }
  });
});

/** A store migrated into a schema of its own, and a client of that schema; `close` drops it. */
async function freshSchema(prefix: string) {
  const schema = `${prefix}_${process.pid}_${Date.now()}`;
  const store = new PostgresStore({ url: TEST_DATABASE_URL, schema });
  await store.migrate();
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
  await client.connect();
  const close = async () => {
    await client.end();
    await store.dropSchema();
    await store.close();
  };
  return { schema, store, client, close };
}

test('a node analyzes the PostgreSQL tables that changed when the server does not, and then a backlog is claimed without reading all of it', async () => {
  const { schema, store, client, close } = await freshSchema('stats');
  const analyzed = async (table: string) =>
    (await client.query('SELECT 1 FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = $2 AND COALESCE(last_analyze, last_autoanalyze) IS NOT NULL', [schema, table])).rowCount === 1;
  try {
    // A connection's backlog, never analyzed (a new database, or a server without autovacuum).
    await client.query(`${MESSAGES} FROM generate_series(0, ${BACKLOG - 1}) AS i`);
    // Counts reach the statistics views when a session goes idle, at most once a second unless asked.
    await client.query('SELECT pg_stat_force_next_flush()');
    await eventually(async () => ((await store.refreshStatistics(), await analyzed('messages')) ? true : undefined));
    assert.deepEqual(await store.refreshStatistics(), [], 'nothing changed since');

    await client.query('BEGIN');
    try {
      const [row] = (await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode & Record<string, number> }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${PG_DISPATCH_SQL.claimDue}`, ['c', 50_000, 50, 'n1', 80_000, true])).rows;
      const steps = nodes(row!['QUERY PLAN'][0].Plan) as (PlanNode & Record<string, number>)[];
      const examined = steps.reduce((sum, n) => sum + (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1) + (n['Rows Removed by Filter'] ?? 0), 0);
      assert.ok(examined < 500, `50 claimed of ${BACKLOG}: ${examined} rows examined`);
    } finally {
      await client.query('ROLLBACK');
    }
  } finally {
    await close();
  }
});
