import { loadConfig } from '../config/env.js';
import { openStore } from '../node.js';

/** `migrate`: brings the database (SQLite, or PostgreSQL with SWITCHBOARD_DATABASE_URL) to the current schema. */
export async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  const store = openStore(config);
  try {
    await store.migrate();
    process.stdout.write(`The ${config.databaseUrl ? 'PostgreSQL' : 'SQLite'} database is up to date.\n`);
    return 0;
  } finally {
    await store.close();
  }
}
