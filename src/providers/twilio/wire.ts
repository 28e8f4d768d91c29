import type { ReceiptReport, SubmitResult, WebhookReading } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { statusCode } from '../http/transport.js';
import { parseJsonBody } from '../http/params.js';
import { twilioCodes } from './codes.js';

/** Twilio's error body: `{ code, message, more_info, status }`. */
interface TwilioError {
  readonly code?: number;
  readonly message?: string;
  readonly status?: number;
}

const LISTED = new Set<string>(twilioCodes.find((t) => t.context === 'error-codes')!.rows.map((r) => r.code));

/** What the provider details say of a code Switchboard's table does not list. */
function unlisted(code: string, message: string | undefined): string {
  return `Twilio error ${code}${message === undefined ? '' : ` (${message})`} is not in Switchboard's Twilio table`;
}

/**
 * The answer to a POST on the Messages resource: the message resource (its `sid`), or Twilio's
 * error body. A code of the table says why a message was refused; another one is read through the
 * HTTP status (a 4xx is a refusal, never a success). `status` is the HTTP status; without it (a
 * pasted body) the body's own `status` stands in, and the body alone decides.
 */
export function readSubmitAnswer(status: number | undefined, text: string): SubmitResult {
  const body = parseJsonBody(text) as { sid?: unknown } & TwilioError | undefined;
  const ok = status === undefined ? typeof body?.sid === 'string' : status >= 200 && status < 300;
  if (ok) {
    if (typeof body?.sid === 'string') return { kind: 'accepted', providerMessageIds: [body.sid], raw: body };
    return { kind: 'unknown', reason: `HTTP ${status} without a message sid`, raw: text.slice(0, 2000) };
  }
  const code = typeof body?.code === 'number' ? String(body.code) : undefined;
  const message = typeof body?.message === 'string' ? body.message : undefined;
  if (code && LISTED.has(code)) {
    return { kind: 'refused', code: { provider: 'twilio', context: 'error-codes', code, ...(message !== undefined && { message }) }, raw: body };
  }
  const httpStatus = status ?? (typeof body?.status === 'number' ? body.status : undefined);
  if (httpStatus !== undefined) {
    return { kind: 'refused', code: { ...statusCode(httpStatus), ...(code && { message: unlisted(code, message) }) }, raw: body ?? text.slice(0, 2000) };
  }
  // A pasted body without a status has nothing to read an unlisted code by: it reads as unknown.
  if (code) return { kind: 'refused', code: { provider: 'twilio', context: 'error-codes', code, message: unlisted(code, message) }, raw: body };
  throw new Error('neither a message resource (sid) nor a Twilio error (code)');
}

/**
 * A call to the connection's URL, form parameters already read. A status callback (MessageStatus)
 * is a receipt, its ErrorCode read when the table lists it; an incoming message (the number's messaging webhook: MessageSid or SmsSid, From,
 * To, Body, and no MessageStatus) is a message a subscriber sent.
 */
export function readWebhook(params: ReadonlyMap<string, string[]>): WebhookReading {
  const first = (name: string) => params.get(name)?.[0];
  const raw = Object.fromEntries([...params].map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
  const sid = first('MessageSid') ?? first('SmsSid');
  const status = first('MessageStatus');
  if (!sid) throw new SwitchboardError('invalid_parameter', 'A Twilio webhook needs MessageSid (or SmsSid).', { param: 'MessageSid' });
  if (!status) {
    const from = first('From');
    const to = first('To');
    if (!from || !to) throw new SwitchboardError('invalid_parameter', 'A status callback needs MessageStatus; an incoming message needs From and To.', { param: from ? 'To' : 'From' });
    return { receipts: [], inbound: [{ from, to, text: first('Body') ?? '', raw }] };
  }
  const errorCode = first('ErrorCode');
  const error = errorCode && errorCode !== '0' ? errorCode : undefined;
  // An ErrorCode the table does not list cannot say more than the status: the status decides,
  // and its message says which code was not understood.
  const receipt: ReceiptReport = {
    providerMessageId: sid,
    status: { provider: 'twilio', context: 'message-status', code: status, ...(error && !LISTED.has(error) && { message: `${status}; ${unlisted(error, undefined)}` }) },
    ...(error && LISTED.has(error) && { error: { provider: 'twilio', context: 'error-codes', code: error } }),
    occurredAt: null,
    raw,
  };
  return { receipts: [receipt], inbound: [] };
}
