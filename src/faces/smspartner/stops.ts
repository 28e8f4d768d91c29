import type { OptOuts } from '../../app/opt-outs.js';
import { SwitchboardError } from '../../core/errors.js';
import { parisStamp } from '../../providers/smspartner/wire.js';
import type { AnswerValue } from './answer.js';
import { e164 } from './send.js';

/** SMSPartner's STOP list covers the whole account: an entry here is an opt-out from every sender (`*`). */
const EVERY_SENDER = '*';
/** At most this many entries are listed, newest first. */
const LIST_LIMIT = 1000;

type Params = Readonly<Record<string, string>>;

/** An entry's `id` is its number's digits: stable, numeric as SMSPartner's, and read back without a table. */
const stopId = (number: string) => Number(number.slice(1));

/** /v1/stop-sms/list: the numbers opted out of the account's messages, by STOP or by the API, once each. */
export async function listStops(optOuts: OptOuts, accountId: string): Promise<Record<string, AnswerValue>> {
  const seen = new Set<string>();
  const entries = (await optOuts.list(accountId, {}, LIST_LIMIT)).filter((o) => !seen.has(o.number) && seen.add(o.number));
  return { data: entries.map((o) => ({ id: stopId(o.number), phoneNumber: o.number, createdAt: parisStamp(o.createdAt) })) };
}

/** /v1/stop-sms/add: `phoneNumber` stops every message of the account. */
export async function addStop(optOuts: OptOuts, accountId: string, params: Params): Promise<Record<string, AnswerValue>> {
  if (!params.phoneNumber) throw new SwitchboardError('missing_parameter', 'The phone number is required.', { param: 'phoneNumber' });
  const entry = await optOuts.add(accountId, EVERY_SENDER, e164(params.phoneNumber));
  return { stopId: stopId(entry.number) };
}

/** /v1/stop-sms/delete: the number of `id` may receive messages again, from every sender. */
export async function deleteStop(optOuts: OptOuts, accountId: string, params: Params): Promise<Record<string, AnswerValue>> {
  if (!params.id) throw new SwitchboardError('missing_parameter', 'The id of the number is required: the id the STOP list gives.', { param: 'id' });
  const number = `+${params.id}`;
  const entries = /^\+[1-9]\d{6,14}$/.test(number) ? await optOuts.list(accountId, { number }, LIST_LIMIT) : [];
  if (entries.length === 0) throw new SwitchboardError('not_found', `No number of id ${params.id} is in the STOP list.`, { param: 'id' });
  for (const o of entries) await optOuts.remove(accountId, o.sender, o.number);
  return {};
}
