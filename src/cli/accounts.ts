import { parseArgs } from 'node:util';
import type { AccountChange } from '../app/accounts.js';
import { parseAllowlist } from '../app/ip-allowlist.js';
import { VerifiedNumbers } from '../app/verified-numbers.js';
import { SwitchboardError } from '../core/errors.js';
import { systemClock } from '../app/clock.js';
import type { Account } from '../app/store.js';
import { formatAmount, parseAmount } from '../core/accounts/money.js';
import { asOperator, OPERATOR } from './operator.js';

const USAGE = `Usage:
  switchboard accounts create --name NAME [--parent ID] [--currency EUR] [--json]
  switchboard accounts list [--parent ID] [--json]
  switchboard accounts show <id> [--json]
  switchboard accounts disable|block|enable <id>
  switchboard accounts top-up <id> <amount> [--description TEXT]
  switchboard accounts limits <id> [--trial on|off] [--ip-allowlist CIDR,...|any] [--api-rate N|default] [--refuse-dead-numbers on|off]
  switchboard accounts verify-number <id> <number>
`;

/** The operator: the root account, with every scope. */
function row(a: Account): string {
  return [a.id, a.parentId ?? '-', a.status, `${formatAmount(a.balance)} ${a.currency}`, a.prices ? 'priced' : 'not charged', a.name].join('  ');
}

/** The change `accounts limits` asks for; throws invalid_parameter naming the option. */
function limitsChange(trial: string | undefined, allowlist: string | undefined, rate: string | undefined, dead: string | undefined): AccountChange {
  for (const [option, value] of [['--trial', trial], ['--refuse-dead-numbers', dead]] as const) {
    if (value !== undefined && value !== 'on' && value !== 'off') throw new SwitchboardError('invalid_parameter', `${option} is on or off.`, { param: option });
  }
  const apiRate = rate === undefined || rate === 'default' ? null : Number(rate);
  if (rate !== undefined && apiRate !== null && !(apiRate > 0)) throw new SwitchboardError('invalid_parameter', '--api-rate is a number of requests per second, or default.', { param: '--api-rate' });
  return {
    ...(trial !== undefined && { trial: trial === 'on' }),
    ...(allowlist !== undefined && { ipAllowlist: allowlist === 'any' ? null : parseAllowlist(allowlist.split(','), '--ip-allowlist') }),
    ...(rate !== undefined && { apiRate }),
    ...(dead !== undefined && { refuseDeadNumbers: dead === 'on' }),
  };
}

/** `accounts ...`: the operator's view of the accounts, straight on the store (the server need not run). */
export async function accountsCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      name: { type: 'string' },
      parent: { type: 'string' },
      currency: { type: 'string' },
      description: { type: 'string' },
      trial: { type: 'string' },
      'ip-allowlist': { type: 'string' },
      'api-rate': { type: 'string' },
      'refuse-dead-numbers': { type: 'string' },
    },
  });
  const [action, id, amount] = positionals;
  const needsId = ['show', 'disable', 'block', 'enable', 'top-up', 'limits', 'verify-number'].includes(action ?? '');
  if (
    !['create', 'list', 'show', 'disable', 'block', 'enable', 'top-up', 'limits', 'verify-number'].includes(action ?? '') ||
    (needsId && !id) ||
    (action === 'create' && !values.name) ||
    ((action === 'top-up' || action === 'verify-number') && !amount)
  ) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (values.currency !== undefined && !/^[A-Z]{3}$/.test(values.currency)) {
    process.stderr.write('--currency must be an ISO 4217 code, e.g. EUR.\n');
    return 2;
  }
  return asOperator(async ({ store, accounts }) => {
    const print = (a: Account) => process.stdout.write(values.json ? `${JSON.stringify(a)}\n` : `${row(a)}\n`);
    if (action === 'create') {
      print(await accounts.create(OPERATOR, { name: values.name!, ...(values.currency && { currency: values.currency }), ...(values.parent && { parent: values.parent }) }));
    } else if (action === 'list') {
      const all = await accounts.list(OPERATOR, values.parent);
      process.stdout.write(values.json ? `${JSON.stringify({ accounts: all })}\n` : all.map((a) => `${row(a)}\n`).join(''));
    } else if (action === 'show') {
      print(await accounts.get(OPERATOR, id!));
    } else if (action === 'limits') {
      const change = limitsChange(values.trial, values['ip-allowlist'], values['api-rate'], values['refuse-dead-numbers']);
      const a = Object.keys(change).length > 0 ? await accounts.update(OPERATOR, id!, change) : await accounts.get(OPERATOR, id!);
      process.stdout.write(`${a.id}: trial ${a.trial ? 'on' : 'off'}; IP allowlist ${a.ipAllowlist?.join(', ') ?? 'any'}; API rate ${a.apiRate ?? 'the default'}${a.apiRate === null ? '' : ' requests/s'}; numbers found dead ${a.refuseDeadNumbers ? 'refused' : 'sent to'}.\n`);
    } else if (action === 'verify-number') {
      const numbers = new VerifiedNumbers({
        store,
        accounts,
        clock: systemClock,
        text: '',
        code: () => '',
        // The operator adds numbers to accounts under it, verified at once: no code is sent from here.
        send: () => Promise.reject(new Error('the command line sends no codes')),
      });
      const added = await numbers.add(OPERATOR, amount!, id!);
      process.stdout.write(`${added.number} is verified for ${id}: it may send there in trial.\n`);
    } else if (action === 'top-up') {
      const entry = await accounts.topUp(OPERATOR, id!, parseAmount(amount!, 'amount'), values.description ?? null);
      process.stdout.write(`Credited ${formatAmount(entry.amount)} to ${id}: balance ${formatAmount(entry.balanceAfter)}.\n`);
    } else {
      const status = action === 'disable' ? 'disabled' : action === 'block' ? 'blocked' : 'active';
      const a = await accounts.update(OPERATOR, id!, { status });
      process.stdout.write(`${a.id} is ${a.status}${status === 'active' ? '' : ': every node refuses its keys from their next request'}.\n`);
    }
    return 0;
  });
}
