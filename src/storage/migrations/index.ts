import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial.js';

/** The numbered migrations, in order. Add a file and a line here; never edit a published one. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
