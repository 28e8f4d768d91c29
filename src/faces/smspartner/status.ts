import type { MessageService } from '../../app/messages.js';
import type { OptOuts } from '../../app/opt-outs.js';
import { SwitchboardError } from '../../core/errors.js';
import type { Message } from '../../core/message.js';
import { parisStamp } from '../../providers/smspartner/wire.js';
import type { AnswerValue } from './answer.js';
import { STATUTS } from './codes.js';
import { nested } from './nested.js';
import { MAX_NUMBERS, e164 } from './send.js';

/** A price in micro-units as SMSPartner writes a cost: a number of the currency's units. */
export const cost = (micro: number | undefined) => (micro ?? 0) / 1_000_000;

/**
 * The message a send's `messageId` and one of its numbers name. A send to several numbers is
 * answered with its first message's id, as SMSPartner answers one id a send: the others are the
 * messages the same credential sent in the same request, found by number and instant.
 */
export async function messageOf(messages: MessageService, accountId: string, messageId: string, phoneNumber: string): Promise<Message> {
  const { message } = await messages.get(accountId, messageId);
  const to = e164(phoneNumber);
  if (message.to === to) return message;
  const sibling = (await sendOf(messages, message, to)).find((m) => m.to === to);
  if (!sibling) throw new SwitchboardError('message_not_found', `The send ${messageId} has no SMS to ${phoneNumber}.`, { param: 'phoneNumber' });
  return sibling;
}

/** The messages of the send whose first message is `first` (to `to` only, if given). */
export async function sendOf(messages: MessageService, first: Message, to?: string): Promise<Message[]> {
  const filter = { ...(to !== undefined && { to }), since: first.createdAt, until: first.createdAt + 1 };
  return (await messages.list(first.accountId, filter, MAX_NUMBERS)).messages.filter((m) => m.face === first.face && m.sendAt === first.sendAt);
}

async function stopped(optOuts: OptOuts, accountId: string, number: string): Promise<boolean> {
  return (await optOuts.list(accountId, { number }, 1)).length > 0;
}

/** /v1/message-status's answer for one message: its status, the cost, where it went, in Paris time. */
export async function statusFields(optOuts: OptOuts, m: Message, messageId: string, currency: string): Promise<Record<string, AnswerValue>> {
  return {
    number: m.to,
    messageId,
    stopSms: await stopped(optOuts, m.accountId, m.to),
    date: parisStamp(m.updatedAt),
    statut: STATUTS[m.status],
    cost: cost(m.price),
    countryCode: m.route?.country ?? null,
    currency,
  };
}

/** /v1/multi-status's `SMSStatut_List`: at most 500 {phoneNumber, messageId}. */
export function statusList(params: Readonly<Record<string, string>>): { phoneNumber: string; messageId: string }[] {
  const list = nested(params, 'SMSStatut_List') ?? [];
  if (!Array.isArray(list) || list.length === 0) throw new SwitchboardError('missing_parameter', 'The list of numbers is empty: give SMSStatut_List, a list of {phoneNumber, messageId}.', { param: 'SMSStatut_List' });
  if (list.length > MAX_NUMBERS) throw new SwitchboardError('too_many_recipients', `At most ${MAX_NUMBERS} numbers a request; SMSStatut_List has ${list.length}.`, { param: 'SMSStatut_List' });
  return list.map((e: unknown, i) => {
    const entry = (e ?? {}) as Record<string, unknown>;
    if (typeof entry.phoneNumber !== 'string' || !['string', 'number'].includes(typeof entry.messageId)) {
      throw new SwitchboardError('invalid_parameter', `SMSStatut_List[${i}] must hold a phoneNumber and a messageId.`, { param: 'SMSStatut_List' });
    }
    return { phoneNumber: entry.phoneNumber, messageId: String(entry.messageId) };
  });
}

/** One entry of /v1/multi-status's `StatutResponse_List`, its date in Unix seconds as that list gives it. */
export async function statusEntry(optOuts: OptOuts, m: Message, phoneNumber: string, messageId: string): Promise<Record<string, AnswerValue>> {
  return {
    success: true,
    code: 200,
    phoneNumber,
    messageId,
    status: STATUTS[m.status],
    date: String(Math.floor(m.updatedAt / 1000)),
    stopSms: (await stopped(optOuts, m.accountId, m.to)) ? '1' : '0',
  };
}
