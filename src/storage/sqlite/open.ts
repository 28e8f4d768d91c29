import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Database } from '../schema.js';
import { SqlStore } from '../sql-store.js';

export interface SqliteOptions {
  /** Path of the database file; its folder is created if missing. */
  readonly file: string;
  /**
   * `full` (default) syncs the write-ahead log on every commit, so an accepted message survives
   * a power loss; `normal` survives a crash of the process only. Commits are batched either way.
   */
  readonly synchronous?: 'full' | 'normal';
}

/**
 * Kysely prepares a statement for every query; SQLite statements are reusable, so keep the
 * prepared ones per SQL text (the hot paths repeat the same few).
 */
function withStatementCache(db: BetterSqlite3.Database, size = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sqlText: string): SqliteStatement {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        stmt = db.prepare(sqlText) as unknown as SqliteStatement;
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

export function openSqliteStore(options: SqliteOptions): SqlStore {
  mkdirSync(dirname(options.file), { recursive: true });
  const raw = new BetterSqlite3(options.file);
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${options.synchronous ?? 'full'}`);
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  // SQLite allows 32,766 bound parameters; a message row binds 21.
  return new SqlStore(db, { skipLocked: false, maxInsertRows: 1000 });
}
