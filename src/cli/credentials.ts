import { parseArgs } from 'node:util';
import { systemClock } from '../app/clock.js';
import { FaceCredentials } from '../app/credentials.js';
import { DEFAULT_ACCOUNT } from '../app/keys.js';
import type { FaceCredential } from '../app/store.js';
import type { FaceProtocol } from '../core/access/protocols.js';
import { FACE_CREDENTIALS } from '../faces/registry.js';
import { asOperator, OPERATOR } from './operator.js';

const USAGE = `Usage:
  switchboard credentials create --protocol vonage|twilio|smspartner|smpp [--account ID] [--name NAME] [--signature-method md5hash|md5|sha1|sha256|sha512]
                                 [--receipt-url URL] [--receipt-method GET|POST|POST-JSON] [--json]
  switchboard credentials list [--account ID] [--json]
  switchboard credentials revoke <id> [--account ID]
`;

/** The operator: the root account, with every scope. */
function row(c: FaceCredential): string {
  const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return [c.id, c.protocol, c.key, c.name ?? '-', when(c.createdAt), c.revokedAt === null ? 'active' : `revoked ${when(c.revokedAt)}`].join('  ');
}

/** Settings that are secrets are printed once, when the credential is made. */
const publicSettings = (c: FaceCredential) => Object.fromEntries(Object.entries(c.settings).filter(([name]) => !name.endsWith('_secret')));

/** `credentials create|list|revoke`: an account's credentials for the compatible APIs, on the store (the server need not run). */
export async function credentialsCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      account: { type: 'string' },
      protocol: { type: 'string' },
      name: { type: 'string' },
      'signature-method': { type: 'string' },
      'receipt-url': { type: 'string' },
      'receipt-method': { type: 'string' },
    },
  });
  const [action, id] = positionals;
  if (!['create', 'list', 'revoke'].includes(action ?? '') || (action === 'revoke' && !id) || (action === 'create' && !values.protocol)) {
    process.stderr.write(USAGE);
    return 2;
  }
  return asOperator(async ({ store, accounts }) => {
    const credentials = new FaceCredentials(store, systemClock, FACE_CREDENTIALS);
    const account = await accounts.within(OPERATOR, values.account ?? DEFAULT_ACCOUNT, { param: 'account' });
    if (action === 'list') {
      const all = await credentials.list(account.id);
      process.stdout.write(values.json ? `${JSON.stringify({ credentials: all.map((c) => ({ ...c, secret: undefined, settings: publicSettings(c) })) })}\n` : `${all.map(row).join('\n')}\n`);
      return 0;
    }
    if (action === 'revoke') {
      await credentials.revoke(account.id, id!);
      process.stdout.write(`Revoked ${id}: every node refuses it from its next request.\n`);
      return 0;
    }
    const created = await credentials.create(account.id, values.protocol as FaceProtocol, {
      name: values.name ?? null,
      settings: { signature_method: values['signature-method'], receipt_url: values['receipt-url'], receipt_method: values['receipt-method'] },
    });
    if (values.json) process.stdout.write(`${JSON.stringify(created)}\n`);
    else {
      const secrets = Object.entries(created.settings).filter(([name]) => name.endsWith('_secret'));
      process.stdout.write(
        `Created ${created.id} (${created.protocol}) for ${account.id}. Shown this once:\n\n` +
          `  key:     ${created.key}\n  secret:  ${created.secret}\n${secrets.map(([name, value]) => `  ${name}: ${value}\n`).join('')}` +
          `  settings: ${JSON.stringify(publicSettings(created))}\n`,
      );
    }
    return 0;
  });
}
