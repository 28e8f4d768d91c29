import { parseArgs } from 'node:util';
import { systemClock } from '../app/clock.js';
import { ApiKeys, DEFAULT_ACCOUNT } from '../app/keys.js';
import { loadConfig } from '../config/env.js';
import { openStore } from '../node.js';

/** `keys create [--json]`: works whether the server runs or not (the database allows both). */
export async function keysCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals[0] !== 'create') {
    process.stderr.write('Usage: switchboard keys create [--json]\n');
    return 2;
  }
  const store = openStore(loadConfig());
  try {
    await store.migrate();
    await store.ensureAccount(DEFAULT_ACCOUNT, 'Default account', systemClock.now());
    const key = await new ApiKeys(store, systemClock).create(DEFAULT_ACCOUNT);
    process.stdout.write(values.json ? `${JSON.stringify({ key })}\n` : `Created an API key for the default account (shown once):\n\n  ${key}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
