import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { systemClock } from '../app/clock.js';
import { ApiKeys, DEFAULT_ACCOUNT } from '../app/keys.js';
import type { ApiKeyRecord } from '../app/store.js';
import { isScope, SCOPES, type Scope } from '../core/access/scopes.js';
import { loadConfig, type Config } from '../config/env.js';
import { databaseFile, openStore } from '../node.js';

const USAGE = `Usage:
  switchboard keys create [--admin | --scopes send,read,...] [--name NAME] [--json]
  switchboard keys list [--json]
  switchboard keys revoke <id>
`;

/** Where the store is, said plainly: a key written to another store than the server's is no use. */
function storeLabel(config: Config): string {
  return config.databaseUrl ? `the PostgreSQL database of SWITCHBOARD_DATABASE_URL` : databaseFile(config);
}

function row(k: ApiKeyRecord): string {
  const when = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));
  return [k.id, k.prefix + '...', k.name ?? '-', k.scopes.join(','), when(k.createdAt), when(k.lastUsedAt), k.revokedAt === null ? 'active' : `revoked ${when(k.revokedAt)}`].join('  ');
}

/** `keys create|list|revoke`: works whether the server runs or not (the database allows both). */
export async function keysCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, admin: { type: 'boolean' }, scopes: { type: 'string' }, name: { type: 'string' } },
  });
  const [action, id] = positionals;
  if (!['create', 'list', 'revoke'].includes(action ?? '') || (action === 'revoke' && !id)) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (values.admin && values.scopes) {
    process.stderr.write('Choose --admin (every scope) or --scopes, not both.\n');
    return 2;
  }
  const scopes = values.scopes?.split(',').map((s) => s.trim());
  const unknown = scopes?.filter((s) => !isScope(s));
  if (unknown?.length) {
    process.stderr.write(`Unknown scope ${unknown.join(', ')}: the scopes are ${SCOPES.join(', ')}.\n`);
    return 2;
  }
  const config = loadConfig();
  const fresh = !config.databaseUrl && !existsSync(databaseFile(config));
  const store = openStore(config);
  try {
    await store.migrate();
    await store.ensureAccount(DEFAULT_ACCOUNT, 'Default account', systemClock.now());
    const keys = new ApiKeys(store, systemClock);
    if (action === 'list') {
      const all = await keys.list(DEFAULT_ACCOUNT);
      process.stdout.write(values.json ? `${JSON.stringify({ keys: all })}\n` : `${all.map(row).join('\n')}\n`);
      return 0;
    }
    if (action === 'revoke') {
      await keys.revoke(DEFAULT_ACCOUNT, id!);
      process.stdout.write(`Revoked ${id}: every node refuses it from its next request.\n`);
      return 0;
    }
    const created = await keys.create(DEFAULT_ACCOUNT, { name: values.name ?? null, admin: values.admin ?? false, ...(scopes && { scopes: scopes as Scope[] }) });
    if (values.json) process.stdout.write(`${JSON.stringify({ key: created.key, id: created.id, scopes: created.scopes })}\n`);
    else {
      process.stdout.write(
        `Created ${created.id} (${created.scopes.join(', ')}) on the default account, stored in ${storeLabel(config)}.\n` +
          `The key, shown this once:\n\n  ${created.key}\n`,
      );
    }
    if (fresh) {
      process.stderr.write(
        `\nWarning: there was no store at ${databaseFile(config)}: a new, empty one was made for this key. A server started ` +
          `from another folder does not read it: run this command where the server runs, or set SWITCHBOARD_DATA_DIR ` +
          `(or SWITCHBOARD_DATABASE_URL) as the server has it.\n`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}
