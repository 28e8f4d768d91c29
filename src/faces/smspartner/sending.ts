import type { AcceptService, SendRequest } from '../../app/accept.js';
import type { FaceCaller } from '../../app/credentials.js';
import type { MessageService } from '../../app/messages.js';
import { toSwitchboardError } from '../../api/errors.js';
import { SwitchboardError } from '../../core/errors.js';
import type { Message } from '../../core/message.js';
import { parisStamp } from '../../providers/smspartner/wire.js';
import type { Answer, AnswerValue } from './answer.js';
import { refusalOf } from './codes.js';
import { phoneNumbers, rangeText, sendOptions, smsList } from './send.js';
import { cost, sendOf } from './status.js';

type Params = Readonly<Record<string, string>>;

/** Accepts one request through the same accept as the native API, as SMSPartner's: the messages it stored. */
async function accept(service: AcceptService, caller: FaceCaller, request: SendRequest): Promise<readonly Message[]> {
  let taken: readonly Message[] = [];
  const render = (messages: readonly Message[]) => {
    taken = messages;
    return '';
  };
  await service.accept(caller.payer, request, undefined, { protocol: 'smspartner', face: `smspartner:${caller.credential.id}`, render });
  return taken;
}

/** What a send cost: its SMS (segments) and their price, in the account's currency. */
function totals(messages: readonly Message[], currency: string) {
  return { nb_sms: messages.reduce((n, m) => n + m.segments, 0), cost: cost(messages.reduce((sum, m) => sum + (m.price ?? 0), 0)), currency };
}

/**
 * /v1/send: one text to `phoneNumbers`, all taken or none. A send is answered with one
 * `message_id`, its first message's (see messageOf); a scheduled one with its Paris time.
 */
export async function singleSend(service: AcceptService, caller: FaceCaller, params: Params): Promise<Record<string, AnswerValue>> {
  const numbers = phoneNumbers(params.phoneNumbers);
  const { request, range, sendAt } = sendOptions(params);
  const text = rangeText(params.message, range);
  const messages = await accept(service, caller, { ...request, to: numbers.length === 1 ? numbers[0]! : numbers, text });
  return {
    message_id: messages[0]!.id,
    ...totals(messages, caller.currency),
    ...(sendAt !== undefined && { scheduledDeliveryDate: parisStamp(sendAt) }),
  };
}

/**
 * /v1/bulk/send: `SMSList`, each number with its own text, each taken or refused on its own and
 * answered in `SMSResponse_List`; a bulk send nothing of which was taken is refused as its first
 * entry was.
 */
export async function bulkSend(service: AcceptService, caller: FaceCaller, params: Params): Promise<Record<string, AnswerValue>> {
  const entries = smsList(params);
  const { request, range, sendAt } = sendOptions(params);
  type Result = { phoneNumber: string; message: Message } | { phoneNumber: string | null; error: SwitchboardError };
  const results = await Promise.all(
    entries.map(async (entry, i): Promise<Result> => {
      try {
        if (!entry.phoneNumber) throw new SwitchboardError('missing_parameter', `SMSList[${i}] has no phoneNumber.`, { param: 'phoneNumber' });
        const text = rangeText(entry.message, range);
        return { phoneNumber: entry.phoneNumber, message: (await accept(service, caller, { ...request, to: entry.phoneNumber, text }))[0]! };
      } catch (error) {
        return { phoneNumber: entry.phoneNumber ?? null, error: toSwitchboardError(error as Error) };
      }
    }),
  );
  const taken = results.flatMap((r) => ('message' in r ? [r.message] : []));
  const list = results.map((r): Answer =>
    'message' in r
      ? { success: true, code: 200, phoneNumber: r.phoneNumber, messageId: r.message.id, nbSms: r.message.segments, cost: cost(r.message.price) }
      : { success: false, code: Number(refusalOf(r.error).code), phoneNumber: r.phoneNumber, message: r.error.message },
  );
  if (taken.length === 0) throw (results[0] as { error: SwitchboardError }).error;
  return {
    message_id: taken[0]!.id,
    ...totals(taken, caller.currency),
    ...(sendAt !== undefined && { scheduledDeliveryDate: parisStamp(sendAt) }),
    SMSResponse_List: list,
  };
}

/** /v1/message-cancel: the send of `messageId`, every message of it not sent yet; refused (7) when its first was sent. */
export async function cancelSend(messages: MessageService, accountId: string, messageId: string): Promise<void> {
  const { message } = await messages.get(accountId, messageId);
  const others = (await sendOf(messages, message)).filter((m) => m.id !== message.id && (m.status === 'scheduled' || m.status === 'queued'));
  await messages.cancel(accountId, message.id);
  for (const m of others) {
    // One that left meanwhile stays sent: the send is canceled as far as it can be.
    await messages.cancel(accountId, m.id).catch((error: unknown) => {
      if (!(error instanceof SwitchboardError) || error.code !== 'message_not_cancelable') throw error;
    });
  }
}
