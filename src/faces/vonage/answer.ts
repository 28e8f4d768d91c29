import { formatAmount } from '../../core/accounts/money.js';
import type { Message } from '../../core/message.js';

/** One `messages[]` entry of the SMS API's answer, its fields in Vonage's order, every value a string. */
export interface AnswerEntry {
  readonly to?: string;
  readonly 'message-id'?: string;
  readonly status: string;
  readonly 'remaining-balance'?: string;
  readonly 'message-price'?: string;
  readonly network?: string;
  readonly 'client-ref'?: string;
  readonly 'error-text'?: string;
}

/** An amount as Vonage writes it: eight decimals ("0.03330000"). */
export function vonageAmount(micro: number): string {
  return `${formatAmount(micro)}00`;
}

/**
 * A message taken, as the SMS API reports it: one entry per segment (Vonage counts parts as
 * messages), each with the message's one id, the price of one segment and the balance after the
 * request. An account without a price list is not charged: price 0, and no balance to tell.
 */
export function acceptedEntries(m: Message, remainingBalance: number | null, network: string | undefined): AnswerEntry[] {
  const entry: AnswerEntry = {
    to: m.to.slice(1),
    'message-id': m.id,
    status: '0',
    ...(remainingBalance !== null && { 'remaining-balance': vonageAmount(remainingBalance) }),
    'message-price': vonageAmount(m.price === undefined ? 0 : m.price / m.segments),
    ...(network !== undefined && { network }),
    ...(m.clientRef !== null && { 'client-ref': m.clientRef }),
  };
  return Array.from({ length: m.segments }, () => entry);
}

export function refusedEntry(status: string, errorText: string, to: string | undefined): AnswerEntry {
  return { ...(to !== undefined && { to }), status, 'error-text': errorText };
}

/** `/sms/json`: `{"message-count": "1", "messages": [...]}`. */
export function jsonAnswer(entries: readonly AnswerEntry[]): string {
  return JSON.stringify({ 'message-count': String(entries.length), messages: entries });
}

const XML_NAMES: Readonly<Record<keyof AnswerEntry, string>> = {
  to: 'to',
  'message-id': 'messageId',
  status: 'status',
  'remaining-balance': 'remainingBalance',
  'message-price': 'messagePrice',
  network: 'network',
  'client-ref': 'clientRef',
  'error-text': 'errorText',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `/sms/xml`: the same entries in Vonage's `mt-submission-response`. */
export function xmlAnswer(entries: readonly AnswerEntry[]): string {
  const messages = entries.map((e) => {
    const fields = Object.entries(e).map(([name, value]) => `<${XML_NAMES[name as keyof AnswerEntry]}>${escapeXml(value as string)}</${XML_NAMES[name as keyof AnswerEntry]}>`);
    return `<message>${fields.join('')}</message>`;
  });
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<mt-submission-response><messages count="${entries.length}">${messages.join('')}</messages></mt-submission-response>`;
}
