import type { FaceCaller } from '../../app/credentials.js';
import type { StoredLookup } from '../../app/store.js';
import type { Services } from '../../api/services.js';
import type { GuardedSend } from '../../webhooks/post.js';
import type { ProviderCodeRow } from '../../core/catalogue/types.js';
import { SwitchboardError } from '../../core/errors.js';
import { smspartnerCodes } from '../../providers/smspartner/codes.js';
import type { AnswerValue } from './answer.js';
import { postForm } from './reports.js';
import { phoneNumbers } from './send.js';
import { cost } from './status.js';

/** The HLR error groups of SMSPartner's code page, each row with its `errorGrpId`. */
const HLR_ERRORS = smspartnerCodes.flatMap((table) => {
  const group = /errorgrpid-(\d+)$/.exec(table.context)?.[1];
  return group === undefined ? [] : table.rows.map((row): ProviderCodeRow & { group: string } => ({ ...row, group }));
});
const NO_ERROR = HLR_ERRORS.find((row) => row.name === 'NO_ERROR')!;

/**
 * The HLR error a lookup's answer is told with: the provider's own error name where it is one of
 * SMSPartner's (a lookup through an SMSPartner connection), else the first of SMSPartner's rows
 * for the same canonical error and permanence (or the canonical error alone); undefined where
 * none says it.
 */
function hlrError(l: StoredLookup) {
  if (l.reachability === 'reachable') return NO_ERROR;
  const error = l.error;
  if (!error) return undefined;
  const named = error.provider && HLR_ERRORS.find((row) => row.name === error.provider!.code);
  const byCode = HLR_ERRORS.filter((row) => row.canonical === error.code);
  return named ?? byCode.find((row) => row.permanent === error.permanent) ?? byCode[0];
}

/**
 * A number's answer as SMSPartner posts it to `notifyUrl` (its HLR notification: `phone`,
 * `messageId`, `mccMnc`, `ported`, `errorGrpId`, `errorName`, `errorDesc`, `date`). An answer
 * no HLR error tells (the lookup could not tell, or SMSPartner's groups have no row for its
 * error) has an empty `errorName`: read back, unknown.
 */
export function hlrNotification(l: StoredLookup): Record<string, string> {
  const row = hlrError(l);
  return {
    phone: l.number,
    messageId: l.id,
    ...(l.network !== null && { mccMnc: l.network }),
    ...(l.ported !== null && { ported: l.ported ? '1' : '0' }),
    ...(row && { errorGrpId: row.group }),
    errorName: row?.name ?? '',
    errorDesc: row?.message ?? l.error?.message ?? '',
    date: new Date(l.at).toISOString().replace('Z', '+0000'),
  };
}

/** Posts a lookup's answer to a notify URL, once and unsigned as SMSPartner's; not awaited, so that a slow receiver holds nothing up. */
export const hlrNotifier =
  (send: GuardedSend) =>
  (url: string, answered: StoredLookup): void => {
    void postForm(send, url, hlrNotification(answered));
  };

/**
 * /v1/hlr/notify: `phoneNumbers` (comma separated, at most 500) looked up live for the account,
 * charged and cached as the native lookups are; each answer is posted to `notifyUrl`, once,
 * unsigned as SMSPartner's are, at once or, through a connection that answers later, when the
 * answer comes (one answered from the cache while still pending is not posted). `number` and
 * `cost` count the numbers looked up (or answered from the cache): one the numbering plan calls
 * invalid, or whose lookup failed, is neither charged nor notified.
 */
export async function verifyNumbers(services: Services, caller: FaceCaller, params: Readonly<Record<string, string>>): Promise<Record<string, AnswerValue>> {
  if (params.phoneNumbers && /[;|]|\d\s*\+/.test(params.phoneNumbers)) {
    throw new SwitchboardError('invalid_parameter', 'The numbers must be separated by a comma.', { param: 'phoneNumbers' });
  }
  const numbers = phoneNumbers(params.phoneNumbers);
  const url = params.notifyUrl;
  if (url !== undefined) await services.endpoints.checkUrl(url, 'notifyUrl');
  const results = await services.lookups.lookup(caller.payer, [...new Set(numbers)], { live: true, ...(url !== undefined && { notifyUrl: url }) });
  const answered = results.flatMap((r) => (r.live ? [r.live] : []));
  if (url !== undefined) {
    // A pending one's answer is posted when it comes (Lookups.complete).
    const notify = hlrNotifier(services.urlPost);
    for (const l of answered) if (l.reachability !== 'pending') notify(url, l);
  }
  return {
    campaign_id: answered[0]?.id ?? null,
    number: answered.length,
    cost: cost(answered.reduce((sum, l) => sum + (l.cached ? 0 : (l.price ?? 0)), 0)),
    currency: caller.currency,
  };
}
