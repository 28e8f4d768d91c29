import { parseArgs } from 'node:util';
import { Accounts, type Actor } from '../app/accounts.js';
import { systemClock } from '../app/clock.js';
import { ApiKeys, DEFAULT_ACCOUNT } from '../app/keys.js';
import type { Account } from '../app/store.js';
import { ADMIN_SCOPES } from '../core/access/scopes.js';
import { formatAmount, parseAmount } from '../core/accounts/money.js';
import { loadConfig } from '../config/env.js';
import { openStore } from '../node.js';

const USAGE = `Usage:
  switchboard accounts create --name NAME [--parent ID] [--currency EUR] [--json]
  switchboard accounts list [--parent ID] [--json]
  switchboard accounts show <id> [--json]
  switchboard accounts disable|block|enable <id>
  switchboard accounts top-up <id> <amount> [--description TEXT]
`;

/** The operator: the root account, with every scope. */
export const OPERATOR: Actor = { accountId: DEFAULT_ACCOUNT, path: DEFAULT_ACCOUNT, scopes: ADMIN_SCOPES };

function row(a: Account): string {
  return [a.id, a.parentId ?? '-', a.status, `${formatAmount(a.balance)} ${a.currency}`, a.prices ? 'priced' : 'not charged', a.name].join('  ');
}

/** `accounts ...`: the operator's view of the accounts, straight on the store (the server need not run). */
export async function accountsCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, name: { type: 'string' }, parent: { type: 'string' }, currency: { type: 'string' }, description: { type: 'string' } },
  });
  const [action, id, amount] = positionals;
  const needsId = ['show', 'disable', 'block', 'enable', 'top-up'].includes(action ?? '');
  if (!['create', 'list', 'show', 'disable', 'block', 'enable', 'top-up'].includes(action ?? '') || (needsId && !id) || (action === 'create' && !values.name) || (action === 'top-up' && !amount)) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (values.currency !== undefined && !/^[A-Z]{3}$/.test(values.currency)) {
    process.stderr.write('--currency must be an ISO 4217 code, e.g. EUR.\n');
    return 2;
  }
  const store = openStore(loadConfig());
  try {
    await store.migrate();
    await store.ensureAccount(DEFAULT_ACCOUNT, 'Default account', systemClock.now());
    const accounts = new Accounts(store, new ApiKeys(store, systemClock), systemClock);
    const print = (a: Account) => process.stdout.write(values.json ? `${JSON.stringify(a)}\n` : `${row(a)}\n`);
    if (action === 'create') {
      print(await accounts.create(OPERATOR, { name: values.name!, ...(values.currency && { currency: values.currency }), ...(values.parent && { parent: values.parent }) }));
    } else if (action === 'list') {
      const all = await accounts.list(OPERATOR, values.parent);
      process.stdout.write(values.json ? `${JSON.stringify({ accounts: all })}\n` : all.map((a) => `${row(a)}\n`).join(''));
    } else if (action === 'show') {
      print(await accounts.get(OPERATOR, id!));
    } else if (action === 'top-up') {
      const entry = await accounts.topUp(OPERATOR, id!, parseAmount(amount!, 'amount'), values.description ?? null);
      process.stdout.write(`Credited ${formatAmount(entry.amount)} to ${id}: balance ${formatAmount(entry.balanceAfter)}.\n`);
    } else {
      const status = action === 'disable' ? 'disabled' : action === 'block' ? 'blocked' : 'active';
      const a = await accounts.update(OPERATOR, id!, { status });
      process.stdout.write(`${a.id} is ${a.status}${status === 'active' ? '' : ': every node refuses its keys from their next request'}.\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
