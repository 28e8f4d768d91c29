#!/usr/bin/env node
import { accountsCommand } from './accounts.js';
import { checkCommand } from './check.js';
import { credentialsCommand } from './credentials.js';
import { explainCommand } from './explain.js';
import { keysCommand } from './keys.js';
import { lookupCommand } from './lookup.js';
import { migrateCommand } from './migrate.js';
import { normalizeCommand } from './normalize.js';
import { numbersCommand } from './numbers.js';
import { usageCommand } from './usage.js';
import { usersCommand } from './users.js';
import { smscSimCommand } from './smsc-sim.js';
import { webhooksCommand } from './webhooks.js';

const USAGE = `Usage: switchboard <command>

Commands:
  keys create [--admin | --scopes S,...] [--name N] [--json]
                                                 Create an API key on the default account (default scopes: send, read, webhooks, opt_outs, lookups)
  keys list [--json]                             The keys: id, prefix, name, scopes, created, last used, revoked
  keys revoke <id>                               Revoke a key: every node refuses it at once
  accounts create --name N [--parent ID] [--currency EUR] [--json]
                                                 Create an account under the operator's (or under --parent)
  accounts list [--parent ID] [--json]           The accounts directly under the operator's (or under --parent)
  accounts show <id> [--json]                    An account: status, balance, prices
  accounts disable|block|enable <id>             Refuse (or accept again) an account's keys and sends, on every node at once
  accounts top-up <id> <amount>                  Credit an account, e.g. 25.50 in its currency
  accounts limits <id> [--trial on|off] [--ip-allowlist CIDR,...|any] [--api-rate N|default] [--refuse-dead-numbers on|off]
                                                 An account's trial mode, IP allowlist, API rate and refusal of numbers a lookup found dead: shown, or changed
  accounts verify-number <id> <number>           A number an account in trial may send to, verified at once
  credentials create --protocol vonage [--account ID] [--signature-method M] [--receipt-url URL] [--receipt-method GET|POST|POST-JSON] [--json]
                                                 Create an account's credential for a compatible API (Vonage: api_key, api_secret, signature secret), shown once
  credentials list [--account ID] [--json]       An account's credentials: id, protocol, key, name, created, revoked
  credentials revoke <id> [--account ID]         Revoke a credential: every node refuses it at once
  numbers assign <number> <account>              Give a number (E.164 or short code) to an account: its inbound and STOP are the account's
  numbers list [--account ID] [--json]           The numbers an account owns (default: the operator's)
  numbers release <number>                       Make a number nobody's again: its inbound goes to the operator
  lookup <number>... [--live [--connection C] [--url URL]] [--json]
                                                 A number's validity, line type, country, range carrier and time zones (offline);
                                                 --live: what the network says now, through the running server (SWITCHBOARD_KEY)
  usage [--account ID] [--from D] [--to D] [--group day|country|account] [--json]
                                                 Messages, delivery and amount charged per day, country or account, beside each connection's cost
  check --from S --to N[,N...] --text T [--type marketing] [--send-at ISO] [--account ID] [--json]
                                                 Dry run: what the account's compliance rules would do to a message, and when it would go
  users create --email E --role admin|developer|viewer [--account ID] [--name N]
                                                 Create a dashboard user; the password is read from stdin
  users list [--account ID] [--json]             An account's dashboard users
  migrate                                        Bring the database to the current schema (the server also does on start)
  explain <provider> <code> [--context C] [--json]
                                                 Explain a provider's error or status code
  explain --json < lines.jsonl                   Explain {"provider","code","context"?} lines, one result per line
  normalize <provider> [--kind K] < payload       How Switchboard reads a provider's raw payload (smpp: smpp-receipt, smpp-status)
  normalize --jsonl < payloads.jsonl             {"provider","kind"?,"raw","content_type"?} lines, one result per line
  webhooks listen [--port 4000] [--secret whsec_...]
                                                 Receive, verify and print webhook events on 127.0.0.1
  smsc-sim [--port 2775] [--receipt-delay MS] [--ids hex|decimal] [--receipt-ids same|hex|decimal] [--tps N] [--destinations JSON]
                                                 Run an SMPP SMSC simulator on 127.0.0.1
`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  accounts: accountsCommand,
  check: checkCommand,
  credentials: credentialsCommand,
  keys: keysCommand,
  lookup: lookupCommand,
  migrate: migrateCommand,
  explain: explainCommand,
  normalize: normalizeCommand,
  numbers: numbersCommand,
  usage: usageCommand,
  users: usersCommand,
  'smsc-sim': smscSimCommand,
  webhooks: webhooksCommand,
};

const [name, ...args] = process.argv.slice(2);
const command = name === undefined ? undefined : COMMANDS[name];
if (!command) {
  process.stderr.write(name === undefined || name === 'help' || name === '--help' ? USAGE : `Unknown command ${JSON.stringify(name)}.\n\n${USAGE}`);
  process.exitCode = name === undefined || name === 'help' || name === '--help' ? 0 : 2;
} else {
  try {
    process.exitCode = await command(args);
  } catch (error) {
    process.stderr.write(`switchboard ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
