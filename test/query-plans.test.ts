import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PostgresStore } from '../src/storage/postgres/store.js';
import { RECEIPT_SQL as PG_RECEIPT_SQL } from '../src/storage/postgres/receipt-sql.js';
import { WEBHOOK_SQL as PG_WEBHOOK_SQL } from '../src/storage/postgres/webhook-sql.js';
import { SMPP_SQL as PG_SMPP_SQL } from '../src/storage/postgres/smpp-sql.js';
import { SqliteStore } from '../src/storage/sqlite/store.js';
import { RECEIPT_SQL as SQLITE_RECEIPT_SQL } from '../src/storage/sqlite/receipt-sql.js';
import { WEBHOOK_SQL as SQLITE_WEBHOOK_SQL } from '../src/storage/sqlite/webhook-sql.js';
import { SMPP_SQL as SQLITE_SMPP_SQL } from '../src/storage/sqlite/smpp-sql.js';
import { TEST_DATABASE_URL, tempDir } from './helpers.js';

// Every statement webhook delivery runs per event, the sweep of parked receipts, and the SMPP
// outbox's, must reach its rows through an index: with a backlog waiting, a scan would make each
// cost as much as the backlog.

const smpp = (sql: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(sql).map(([name, text]) => [`smpp_${name}`, text]));
const SQLITE_SQL = { ...SQLITE_WEBHOOK_SQL, ...SQLITE_RECEIPT_SQL, ...smpp(SQLITE_SMPP_SQL) };
const PG_SQL = { ...PG_WEBHOOK_SQL, ...PG_RECEIPT_SQL, ...smpp(PG_SMPP_SQL) };

const BACKLOG = 20_000;
/** Tables that grow with traffic: never read whole by a hot statement. */
const BACKLOG_TABLES = ['webhook_deliveries', 'webhook_events', 'webhook_attempts', 'messages', 'provider_ids', 'parked_receipts', 'smpp_outbox', 'inbound_messages'];
/** Statements that sort only what they hand out (the rows claimed, the events of one batch). */
const SORTS_WHAT_IT_HANDS_OUT = new Set(['claimed', 'emit', 'lease', 'drop']);

describe('hot webhook and receipt statements on SQLite use indexes, whatever the backlog', () => {
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
      INSERT INTO webhook_endpoints (id, account_id, url, events, secret, created_at) VALUES ('we_big', 'acc', 'https://example.com/h', '*', 's', 0);
      INSERT INTO webhook_targets (target, endpoint_id, pending, active_at) VALUES ('we_big', 'we_big', ${BACKLOG}, 0);
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
      INSERT INTO webhook_targets (target, pending) SELECT 'callback:https://example.com/' || i, 0 FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO parked_receipts (connection, provider_message_id, received_at, receipt) SELECT 'c', 'p' || i, i, '{}' FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO provider_ids (connection, provider_message_id, message_id, part, parts) SELECT 'c', 'q' || i, 'msg_' || i, 1, 1 FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG - 1})
      INSERT INTO smpp_outbox (account_id, kind, ref, expires_at, lease_until) SELECT 'acc' || (i % 10), 'receipt', 'msg_' || i, i, CASE WHEN i % 4 = 0 THEN i END FROM n;
      ANALYZE;
    `);
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, sql] of Object.entries(SQLITE_SQL)) {
    test(name, () => {
      const names = new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!));
      const params = Object.fromEntries([...names].map((n) => [n, n === 'seqs' ? '[1,2,3]' : n === 'ids' ? '["msg_1"]' : 1]));
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);
      for (const step of plan) {
        for (const table of BACKLOG_TABLES) assert.doesNotMatch(step, new RegExp(`^SCAN ${table}\\b(?! USING (COVERING )?INDEX)`), `${name}: ${plan.join(' | ')}`);
        if (!SORTS_WHAT_IT_HANDS_OUT.has(name)) assert.doesNotMatch(step, /TEMP B-TREE/, `${name}: ${plan.join(' | ')}`);
      }
    });
  }
});

describe('hot webhook and receipt statements on PostgreSQL use indexes, whatever the backlog', () => {
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
      INSERT INTO webhook_endpoints (id, account_id, url, events, secret, created_at) VALUES ('we_big', 'acc', 'https://example.com/h', '*', 's', 0);
      INSERT INTO webhook_targets (target, endpoint_id, pending, active_at) VALUES ('we_big', 'we_big', ${BACKLOG}, 0);
      INSERT INTO webhook_targets (target, pending) SELECT 'callback:https://example.com/' || i, 0 FROM generate_series(0, 4999) AS i;
      INSERT INTO parked_receipts (connection, provider_message_id, received_at, receipt) SELECT 'c', 'p' || i, i, '{}' FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO provider_ids (connection, provider_message_id, message_id, part, parts) SELECT 'c', 'q' || i, 'msg_' || i, 1, 1 FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO smpp_outbox (account_id, kind, ref, expires_at, lease_until) SELECT 'acc' || (i % 10), 'receipt', 'msg_' || i, i, CASE WHEN i % 4 = 0 THEN i END FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO messages (id, account_id, "to", "from", text, encoding, segments, status, expires_at, created_at, updated_at, connection)
        SELECT 'msg_' || i, 'acc', '+447700900000', 'Shop', 'Hello', 'GSM-7', 1, 'delivered', i, i, i, 'sandbox' FROM generate_series(0, ${BACKLOG - 1}) AS i;
      INSERT INTO inbound_messages (id, account_id, connection, "from", "to", text, received_at) SELECT 'in_' || i, 'acc', 'c', '+447700900000', '+447700900001', 'Hi', i FROM generate_series(0, ${BACKLOG - 1}) AS i;
      ANALYZE;
    `);
  });
  after(async () => {
    await client.end();
    await store.dropSchema();
    await store.close();
  });

  type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] };
  const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];
  const sample: Record<string, unknown[]> = {
    emit: [['evt_x'], ['acc'], ['msg_1'], ['message.sent'], [1], [null]],
    touchTargets: [['we_big'], ['we_big'], [1], [1], [1]],
    lapsed: [1, 10, 2, 'n1'],
    activeTargets: [1, 4, 10],
    leaseReady: ['we_big', 1, 10, 2, 'n1'],
    dropWaiting: ['we_big', 10, 'gone'],
    wake: ['we_big', 1],
    dropped: ['we_big', 1],
    parkTarget: ['we_big', 1, 0],
    addInFlight: ['we_big', 1],
    claimed: [[1, 2, 3]],
    record: [1, 204, null, 'delivered', null, 'whd_1', 'n1'],
    promote: [1, 'msg_1', 'we_big'],
    answered: ['we_big', 1, 1, null, 1],
    targets: [['we_big']],
    dropTarget: ['we_big'],
    stranded: [100, 500],
    smpp_owe: [['acc1'], ['receipt'], ['msg_1'], [1]],
    smpp_oweInbound: ['acc1', 'in_1', 1],
    smpp_claim: ['acc1', 1, 2, 100],
    smpp_finish: [[1, 2]],
    smpp_retry: [[1, 2], 5],
    smpp_messages: [['msg_1', 'msg_2']],
    smpp_inbound: [['in_1']],
  };

  for (const [name, sql] of Object.entries(PG_SQL)) {
    test(name, async () => {
      assert.ok(sample[name], `parameters for ${name}`);
      const [row] = (await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, sample[name])).rows;
      const all = nodes(row!['QUERY PLAN'][0].Plan);
      const shown = JSON.stringify(all.map((n) => [n['Node Type'], n['Relation Name']]));
      for (const n of all) {
        assert.ok(!(n['Node Type'] === 'Seq Scan' && BACKLOG_TABLES.includes(n['Relation Name'] ?? '')), `${name}: ${shown}`);
        if (!SORTS_WHAT_IT_HANDS_OUT.has(name)) assert.notEqual(n['Node Type'], 'Sort', `${name}: ${shown}`);
      }
    });
  }
});
