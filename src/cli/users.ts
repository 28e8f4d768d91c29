import { parseArgs } from 'node:util';
import { systemClock } from '../app/clock.js';
import { DEFAULT_ACCOUNT } from '../app/keys.js';
import { Users } from '../app/users.js';
import { isRole, ROLES, type Role } from '../core/access/roles.js';
import { loadConfig } from '../config/env.js';
import { openStore } from '../node.js';

const USAGE = `Usage:
  switchboard users create --email E --role admin|developer|viewer [--account ID] [--name N]   (the password is read from stdin)
  switchboard users list [--account ID] [--json]
`;

async function readPassword(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

/** `users create|list`: dashboard users; the password comes on stdin, never in the command line (where `ps` and shell history show it). */
export async function usersCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { email: { type: 'string' }, role: { type: 'string' }, account: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
  });
  const [action] = positionals;
  if (!['create', 'list'].includes(action ?? '') || (action === 'create' && (!values.email || !values.role))) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (values.role !== undefined && !isRole(values.role)) {
    process.stderr.write(`Unknown role ${values.role}: the roles are ${ROLES.join(', ')}.\n`);
    return 2;
  }
  const account = values.account ?? DEFAULT_ACCOUNT;
  const store = openStore(loadConfig());
  try {
    await store.migrate();
    await store.ensureAccount(DEFAULT_ACCOUNT, 'Default account', systemClock.now());
    if (!(await store.getAccount(account))) {
      process.stderr.write(`No account ${account}.\n`);
      return 1;
    }
    const users = new Users(store, systemClock, DEFAULT_ACCOUNT);
    if (action === 'list') {
      const all = await users.list(account);
      process.stdout.write(values.json ? `${JSON.stringify({ users: all })}\n` : `${all.map((u) => [u.id, u.email, u.role, u.name ?? '-'].join('  ')).join('\n')}\n`);
      return 0;
    }
    const user = await users.create(account, { email: values.email!, password: await readPassword(), role: values.role as Role, name: values.name ?? null });
    process.stdout.write(values.json ? `${JSON.stringify(user)}\n` : `Created ${user.id} (${user.email}, ${user.role}) on ${account}: sign in at /dashboard.\n`);
    return 0;
  } finally {
    await store.close();
  }
}
