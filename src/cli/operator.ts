import { Accounts, type Actor } from '../app/accounts.js';
import { systemClock } from '../app/clock.js';
import { ApiKeys, DEFAULT_ACCOUNT } from '../app/keys.js';
import type { Store } from '../app/store.js';
import { ADMIN_SCOPES } from '../core/access/scopes.js';
import { loadConfig } from '../config/env.js';
import { openStore } from '../node.js';

/** The CLI acts as the operator: the root account, every scope. */
export const OPERATOR: Actor = { accountId: DEFAULT_ACCOUNT, path: DEFAULT_ACCOUNT, scopes: ADMIN_SCOPES };

/**
 * Runs a command straight on the configured store (the server need not run), brought to the
 * current schema and with the operator's account, then closes it.
 */
export async function asOperator(work: (on: { readonly store: Store; readonly accounts: Accounts }) => Promise<number>): Promise<number> {
  const store = openStore(loadConfig());
  try {
    await store.migrate();
    await store.ensureAccount(DEFAULT_ACCOUNT, 'Default account', systemClock.now());
    return await work({ store, accounts: new Accounts(store, new ApiKeys(store, systemClock), systemClock) });
  } finally {
    await store.close();
  }
}
