import type { SendRequest } from '../../app/accept.js';
import { encodeText } from '../../core/encoding/segments.js';
import { SwitchboardError } from '../../core/errors.js';
import { readSmspartnerText } from '../../providers/smspartner/wire.js';
import { REPORT_EVENTS } from './codes.js';
import { nested } from './nested.js';
import { scheduledAt } from './schedule.js';

/** At most this many numbers a request, as SMSPartner takes them. */
export const MAX_NUMBERS = 500;
/** The low-cost range (gamme 2) sends one SMS of at most 160 characters. */
const LOW_COST = '2';

/** Parameters SMSPartner documents that Switchboard cannot honour: refused when asked for, rather than dropped. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  sandbox: 'sandbox mode is not offered here: every accepted message is sent and charged',
  isStopSms: 'the STOP mention is not added here: write it in the message',
  urlResponse: "replies reach the account's webhook endpoints (message.inbound), not a URL per send",
};

/** A number as SMSPartner takes it: international (+33612345678, 0033...) or French national (0612345678). */
export function e164(number: string): string {
  const n = number.trim().replace(/[\s.-]/g, '');
  if (/^0[1-9]\d{8}$/.test(n)) return `+33${n.slice(1)}`;
  if (/^00[1-9]/.test(n)) return `+${n.slice(2)}`;
  return n;
}

function oneOf(params: Readonly<Record<string, string>>, name: string, allowed: readonly string[]): string | undefined {
  const value = params[name];
  if (value !== undefined && value !== '' && !allowed.includes(value)) throw new SwitchboardError('invalid_parameter', `${name} must be ${allowed.join(' or ')}.`, { param: name });
  return value === '' ? undefined : value;
}

function text(message: string | undefined, param = 'message'): string {
  if (!message) throw new SwitchboardError('missing_parameter', 'The message is required.', { param });
  return readSmspartnerText(message);
}

/**
 * What every send shares, checked as SMSPartner checks it: the sender (Switchboard picks none:
 * required), the range (`gamme`, or `range`: 1 premium, the default, 2 low cost), `isUnicode`,
 * `tag` (kept as the message's client_ref), the schedule, and `urlDlr` for the final reports.
 */
export function sendOptions(params: Readonly<Record<string, string>>): { request: Omit<SendRequest, 'to' | 'text'>; range: string; sendAt: number | undefined } {
  for (const [name, why] of Object.entries(UNSUPPORTED)) {
    if (params[name] && params[name] !== '0') throw new SwitchboardError('invalid_parameter', `${name}: ${why}.`, { param: name });
  }
  const from = params.sender;
  if (!from) throw new SwitchboardError('missing_parameter', 'The sender is required here: Switchboard sends from the sender you name.', { param: 'sender' });
  const range = oneOf(params, 'gamme', ['1', '2']) ?? oneOf(params, 'range', ['1', '2']) ?? '1';
  oneOf(params, 'isUnicode', ['0', '1']);
  const tag = params.tag;
  if (tag !== undefined && !/^[^\sA-Z]{1,20}$/.test(tag)) throw new SwitchboardError('invalid_parameter', 'tag is at most 20 characters, lowercase, without spaces.', { param: 'tag' });
  const sendAt = scheduledAt(params);
  const dlr = params.urlDlr;
  const request = {
    from,
    ...(sendAt !== undefined && { send_at: new Date(sendAt).toISOString() }),
    ...(tag !== undefined && { client_ref: tag }),
    ...(dlr && { callback_url: dlr, callback_events: REPORT_EVENTS }),
  };
  return { request, range, sendAt };
}

/** One message's text for the range it goes in: the low-cost range takes one SMS only. */
export function rangeText(message: string | undefined, range: string, param?: string): string {
  const body = text(message, param);
  if (range === LOW_COST && encodeText(body).parts.length > 1) {
    throw new SwitchboardError('message_too_long', 'A low-cost SMS (gamme 2) holds at most 160 characters: one SMS.', { param: 'gamme' });
  }
  return body;
}

/** `phoneNumbers`, comma separated: at least one, at most 500. */
export function phoneNumbers(value: string | undefined): string[] {
  const numbers = (value ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (numbers.length === 0) throw new SwitchboardError('missing_parameter', 'The phoneNumbers field is required.', { param: 'phoneNumbers' });
  if (numbers.length > MAX_NUMBERS) throw new SwitchboardError('too_many_recipients', `At most ${MAX_NUMBERS} numbers a request; this one has ${numbers.length}.`, { param: 'phoneNumbers' });
  return numbers.map(e164);
}

/** A bulk send's `SMSList`: its entries, each a number and its own message. */
export function smsList(params: Readonly<Record<string, string>>): { phoneNumber?: string; message?: string }[] {
  const list = nested(params, 'SMSList');
  if (list === undefined) throw new SwitchboardError('missing_parameter', 'No number to send: give SMSList, a list of {phoneNumber, message}.', { param: 'SMSList' });
  if (!Array.isArray(list) || !list.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e))) {
    throw new SwitchboardError('invalid_parameter', 'SMSList must be a list of {phoneNumber, message}.', { param: 'SMSList' });
  }
  if (list.length === 0) throw new SwitchboardError('missing_parameter', 'No number to send: SMSList is empty.', { param: 'SMSList' });
  if (list.length > MAX_NUMBERS) throw new SwitchboardError('too_many_recipients', `At most ${MAX_NUMBERS} numbers a request; SMSList has ${list.length}.`, { param: 'SMSList' });
  return (list as Record<string, unknown>[]).map((e) => ({
    ...(typeof e.phoneNumber === 'string' && { phoneNumber: e164(e.phoneNumber) }),
    ...((typeof e.message === 'string' || typeof e.message === 'number') && { message: String(e.message) }),
  }));
}
