import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Statement } from './statement.js';

test('rows come out as objects named by their columns, as better-sqlite3 makes them', () => {
  const db = new BetterSqlite3(':memory:');
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, \"to\" TEXT, note TEXT); INSERT INTO t VALUES (1, '+447700900000', NULL), (2, '+447700900001', 'x')");
  const sql = 'SELECT id, "to", note, id * 2 AS "double id" FROM t WHERE id >= ? ORDER BY id';
  const ours = new Statement(db.prepare(sql));
  assert.deepEqual(ours.all(1), db.prepare(sql).all(1));
  assert.deepEqual(ours.get(2), db.prepare(sql).get(2));
  assert.equal(ours.get(3), undefined);
  const insert = new Statement(db.prepare('INSERT INTO t (id, "to") VALUES (@id, @to) RETURNING id'));
  assert.deepEqual(insert.get({ id: 3, to: '+447700900002' }), { id: 3 });
  assert.equal(new Statement(db.prepare('DELETE FROM t WHERE id = ?')).run(3).changes, 1);
  db.close();
});

test('a statement SQLite prepared again after a schema change reads the columns it has now', () => {
  const db = new BetterSqlite3(':memory:');
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)");
  const all = new Statement(db.prepare('SELECT * FROM t'));
  assert.deepEqual(all.all(), [{ id: 1 }]);
  db.exec("ALTER TABLE t ADD COLUMN name TEXT NOT NULL DEFAULT 'n'");
  assert.deepEqual(all.all(), [{ id: 1, name: 'n' }]);
  db.close();
});

test("no statement of the store binds its LIMIT bare (SQLite would prepare it again at every run: see Statement)", () => {
  const here = new URL('.', import.meta.url);
  for (const file of readdirSync(here).filter((f) => f.endsWith('.js') && !f.endsWith('.test.js'))) {
    assert.doesNotMatch(readFileSync(new URL(file, here), 'utf8'), /LIMIT\s+[@?$]/, file);
  }
});
