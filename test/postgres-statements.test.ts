import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { statementPool } from '../src/storage/postgres/statement-pool.js';
import { TEST_DATABASE_URL } from './helpers.js';

test('the store parses each statement once per connection, plans it at every run, and a column added by a migration costs a named SELECT * one run', async () => {
  const schema = `named_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (id INTEGER PRIMARY KEY); INSERT INTO ${schema}.t VALUES (1)`);
  // One connection: what it has prepared is what the next statement sees.
  const pool = statementPool({ connectionString: TEST_DATABASE_URL, max: 1, searchPath: schema, timeoutMs: 0, onLost: () => undefined });
  try {
    const select = 'SELECT * FROM t WHERE id = $1';
    assert.deepEqual((await pool.query(select, [1])).rows, [{ id: 1 }]);
    assert.deepEqual((await pool.query(select, [1])).rows, [{ id: 1 }]);
    const prepared = (await pool.query('SELECT statement FROM pg_prepared_statements')).rows.map((r: { statement: string }) => r.statement);
    assert.deepEqual(prepared, [select], 'named once; a statement without parameters is not');
    assert.equal((await pool.query('SHOW plan_cache_mode')).rows[0].plan_cache_mode, 'force_custom_plan');

    // Another node migrates: the prepared SELECT * can no longer run; it fails once, then runs unnamed.
    await admin.query(`ALTER TABLE ${schema}.t ADD COLUMN note TEXT NOT NULL DEFAULT 'n'`);
    await assert.rejects(pool.query(select, [1]), { code: '0A000' });
    assert.deepEqual((await pool.query(select, [1])).rows, [{ id: 1, note: 'n' }]);
    assert.deepEqual((await pool.query(select, [1])).rows, [{ id: 1, note: 'n' }]);
  } finally {
    await pool.end();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
});
