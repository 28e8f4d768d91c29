import { parseArgs } from 'node:util';
import { systemClock } from '../app/clock.js';
import { Numbers } from '../app/numbers.js';
import type { OwnedNumber } from '../app/store.js';
import { asOperator, OPERATOR } from './operator.js';

const USAGE = `Usage:
  switchboard numbers assign <number> <account>   Give a number (E.164 or short code) to an account
  switchboard numbers list [--account ID] [--json]
  switchboard numbers release <number>            Make it nobody's again (the operator's)
`;

const row = (n: OwnedNumber) => [n.number, n.accountId, new Date(n.assignedAt).toISOString()].join('  ');

/** `numbers ...`: the operator's view of who owns which number, straight on the store (the server need not run). */
export async function numbersCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, account: { type: 'string' } } });
  const [action, number, account] = positionals;
  if (!(action === 'list' || (action === 'assign' && number && account) || (action === 'release' && number))) {
    process.stderr.write(USAGE);
    return 2;
  }
  return asOperator(async ({ store, accounts }) => {
    const numbers = new Numbers(store, accounts, systemClock);
    if (action === 'assign') {
      const owned = await numbers.assign(OPERATOR, number!, account);
      process.stdout.write(values.json ? `${JSON.stringify(owned)}\n` : `${owned.number} is ${owned.accountId}'s: what subscribers send to it, and their STOP, are its own.\n`);
    } else if (action === 'release') {
      await numbers.release(OPERATOR, number!);
      process.stdout.write(`${number} is nobody's: what subscribers send to it is the operator's.\n`);
    } else {
      const all: OwnedNumber[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await numbers.list(OPERATOR, values.account, after, 1000);
        all.push(...page.numbers);
        if (page.next === null) break;
        after = page.next;
      }
      process.stdout.write(values.json ? `${JSON.stringify({ numbers: all })}\n` : all.map((n) => `${row(n)}\n`).join(''));
    }
    return 0;
  });
}
