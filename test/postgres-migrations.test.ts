import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { PostgresStore } from '../src/storage/postgres/store.js';
import { dropTestSchema, eventually, TEST_DATABASE_URL } from './helpers.js';

// Migration 27 indexes webhook_deliveries, the table that grows with every event: on an install
// upgrading, that build must not hold the writes of the nodes still running.

describe('PostgreSQL migrations that build an index', () => {
  const schema = `migrations_${process.pid}_${Date.now()}`;
  const store = new PostgresStore({ url: TEST_DATABASE_URL, schema });
  const clients: pg.Client[] = [];

  /** A session of its own on the store's schema. */
  async function session(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    await c.query(`SET search_path TO ${schema}`);
    clients.push(c);
    return c;
  }

  /** The install as it was before migration 27. */
  async function before27(admin: pg.Client): Promise<void> {
    await admin.query('DROP INDEX IF EXISTS webhook_deliveries_event');
    await admin.query('DELETE FROM schema_migrations WHERE id = 27');
  }

  /**
   * A node still running has a transaction open that writes to the table, and the migration
   * (started meanwhile) waits for it.
   */
  async function migrationWaitingForAWrite(admin: pg.Client) {
    const running = await session();
    const runningPid = (await running.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await running.query('BEGIN');
    await running.query('UPDATE webhook_deliveries SET attempts = attempts WHERE seq = -1');
    const migrating = store.migrate();
    await eventually(async () => ((await admin.query('SELECT 1 FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))', [runningPid])).rowCount ? true : undefined));
    return { running, migrating };
  }

  const index = async (admin: pg.Client) =>
    (
      await admin.query<{ tablename: string; indexdef: string; valid: boolean }>(
        `SELECT i.tablename, i.indexdef, x.indisvalid AS valid FROM pg_indexes i JOIN pg_index x ON x.indexrelid = format('%I.%I', i.schemaname, i.indexname)::regclass
          WHERE i.schemaname = $1 AND i.indexname = 'webhook_deliveries_event'`,
        [schema],
      )
    ).rows;

  before(() => store.migrate());
  after(async () => {
    for (const c of clients) await c.end();
    await store.close();
    await dropTestSchema(schema);
  });

  test('writes to the table go on while the index waits for a transaction that writes to it', async () => {
    const admin = await session();
    await before27(admin);
    const { running, migrating } = await migrationWaitingForAWrite(admin);
    // Another write meanwhile: an index built inside a transaction would hold it until the build ends.
    const other = await session();
    await other.query("SET lock_timeout = '2s'");
    await other.query('UPDATE webhook_deliveries SET attempts = attempts WHERE seq = -1');

    await running.query('COMMIT');
    await migrating;
    assert.deepEqual(await index(admin), [{ tablename: 'webhook_deliveries', indexdef: `CREATE INDEX webhook_deliveries_event ON ${schema}.webhook_deliveries USING btree (event_id)`, valid: true }]);
    assert.equal((await admin.query('SELECT 1 FROM schema_migrations WHERE id = 27')).rowCount, 1);
  });

  test('a running node analyzing the table while the index waits for it (a deadlock PostgreSQL breaks) does not fail the migration', async () => {
    const admin = await session();
    await before27(admin);
    const { running, migrating } = await migrationWaitingForAWrite(admin);
    // The build waits for this transaction, which now waits for the build's lock: one side fails.
    const analyzed = await running.query('ANALYZE webhook_deliveries').then(
      () => 'analyzed',
      (error: { code?: string }) => error.code,
    );
    await running.query(analyzed === 'analyzed' ? 'COMMIT' : 'ROLLBACK');
    await migrating;
    assert.deepEqual((await index(admin)).map((i) => [i.tablename, i.valid]), [['webhook_deliveries', true]]);
  });

  test('an index a failed build left invalid is built again', async () => {
    const admin = await session();
    await before27(admin);
    // A build that failed leaves its index behind, invalid: here a unique one over a duplicate.
    await admin.query('CREATE TABLE twice (v INTEGER); INSERT INTO twice VALUES (1), (1)');
    await assert.rejects(admin.query('CREATE UNIQUE INDEX CONCURRENTLY webhook_deliveries_event ON twice (v)'), { code: '23505' });
    assert.deepEqual((await index(admin)).map((i) => [i.tablename, i.valid]), [['twice', false]]);

    await store.migrate();
    assert.deepEqual((await index(admin)).map((i) => [i.tablename, i.valid]), [['webhook_deliveries', true]]);
  });

  test('nodes migrating at once all finish, each migration applied once', async () => {
    const admin = await session();
    await before27(admin);
    const stores = Array.from({ length: 3 }, () => new PostgresStore({ url: TEST_DATABASE_URL, schema }));
    try {
      await Promise.all(stores.map((s) => s.migrate()));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    assert.deepEqual((await index(admin)).map((i) => [i.tablename, i.valid]), [['webhook_deliveries', true]]);
    assert.equal((await admin.query('SELECT 1 FROM schema_migrations WHERE id = 27')).rowCount, 1);
  });
});
