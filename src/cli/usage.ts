import { parseArgs } from 'node:util';
import { systemClock } from '../app/clock.js';
import { Usage, type UsageGroup, type UsageLine } from '../app/usage.js';
import { formatAmount } from '../core/accounts/money.js';
import { asOperator, OPERATOR } from './operator.js';

const USAGE = `Usage:
  switchboard usage [--account ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--group day|country|account] [--json]
`;

function row(l: UsageLine): string {
  const finished = l.delivered + l.failed;
  const rate = finished === 0 ? '-' : `${((l.delivered / finished) * 100).toFixed(1)}%`;
  return [l.key ?? '??', l.messages, l.segments, l.delivered, l.failed, rate, formatAmount(l.charged), formatAmount(l.cost), formatAmount(l.charged - l.cost)].join('  ');
}

/** `usage`: an account's usage with what its traffic cost, as the operator sees it, straight on the store. */
export async function usageCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, account: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, group: { type: 'string' } },
  });
  if (positionals.length > 0 || (values.group !== undefined && !['day', 'country', 'account'].includes(values.group))) {
    process.stderr.write(USAGE);
    return 2;
  }
  return asOperator(async ({ store, accounts }) => {
    const usage = new Usage(store, accounts, systemClock);
    const report = await usage.report(OPERATOR, {
      ...(values.account && { account: values.account }),
      ...(values.from && { from: values.from }),
      ...(values.to && { to: values.to }),
      ...(values.group && { group: values.group as UsageGroup }),
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ...report, account: report.account.id, currency: report.account.currency })}\n`);
      return 0;
    }
    process.stdout.write(`${report.account.id} (${report.account.currency}), ${report.from} to ${report.to}\n`);
    process.stdout.write(`${[report.group, 'messages', 'segments', 'delivered', 'failed', 'rate', 'charged', 'cost', 'margin'].join('  ')}\n`);
    process.stdout.write([...report.lines, { ...report.total, key: 'total' }].map((l) => `${row(l)}\n`).join(''));
    return 0;
  });
}
