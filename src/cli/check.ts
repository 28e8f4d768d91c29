import { parseArgs } from 'node:util';
import { CheckService, type RecipientCheck } from '../app/check.js';
import { systemClock } from '../app/clock.js';
import { ComplianceGate } from '../app/compliance.js';
import { DEFAULT_ACCOUNT } from '../app/keys.js';
import { loadConfig } from '../config/env.js';
import { readTopology } from '../config/file.js';
import { checkView } from '../api/routes/check-view.js';
import { GeoCarrierPlan } from '../numbering/geo-carrier.js';
import { DateHolidaysCalendar } from '../numbering/holidays.js';
import { PROVIDER_PLUGINS } from '../providers/registry.js';
import { asOperator } from './operator.js';

const USAGE = `Usage:
  switchboard check --from S --to N[,N...] --text T [--type marketing] [--send-at ISO] [--account ID] [--json]
`;

function human(c: RecipientCheck): string {
  const when = c.sendAt === null ? '' : ` at ${new Date(c.sendAt).toISOString()}`;
  const rules = c.rules.map((r) => `  ${r.rule}: ${r.action}${'code' in r ? ` (${r.code})` : ''}${'message' in r ? ` - ${r.message}` : ''}${'field' in r ? ` ${r.field} = ${JSON.stringify(r.value)}` : ''}`);
  return [`${c.to} (${c.country ?? '??'}, policy ${c.policy ?? 'none'}): ${c.outcome}${when}`, ...rules].join('\n');
}

/** `check`: the dry run of a send for an account, straight on the store and the configuration file; nothing is stored. */
export async function checkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, text: { type: 'string' }, type: { type: 'string' }, 'send-at': { type: 'string' }, account: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length > 0 || values.from === undefined || values.to === undefined || values.text === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfig();
  const operator = config.configFile ? readTopology(config.configFile, PROVIDER_PLUGINS).compliance : {};
  return asOperator(async ({ store }) => {
    const accountId = values.account ?? DEFAULT_ACCOUNT;
    const account = await store.getAccount(accountId);
    if (!account) throw new Error(`no account ${JSON.stringify(accountId)}`);
    const gate = new ComplianceGate({ store, plan: new GeoCarrierPlan(), calendar: new DateHolidaysCalendar(), operator });
    const to = values.to!.split(',').map((n) => n.trim());
    const checks = await new CheckService(store, gate, systemClock).check({ accountId, compliance: account.compliance }, {
      from: values.from!,
      to: to.length === 1 ? to[0]! : to,
      text: values.text!,
      ...(values.type && { type: values.type }),
      ...(values['send-at'] && { send_at: values['send-at'] }),
    });
    process.stdout.write(values.json ? `${JSON.stringify({ recipients: checks.map(checkView) })}\n` : `${checks.map(human).join('\n')}\n`);
    return 0;
  });
}
