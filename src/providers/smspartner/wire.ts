import type { ReceiptReport, SubmitResult, WebhookReading } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { statusCode } from '../http/transport.js';
import { e164OrShortCode, parseJsonBody } from '../http/params.js';
import { isHlrNotification, readHlrNotification } from './lookups.js';

interface SendAnswer {
  readonly success?: boolean;
  readonly code?: number | string;
  readonly message_id?: number | string | null;
  readonly message?: string;
  readonly errors?: readonly { readonly elementId?: string; readonly message?: string }[];
}

/**
 * The answer of /v1/send: `success: true` with the `message_id` of the send, or `success:
 * false` with a control `code` and a `message`, or `errors[]` naming each invalid field. A send
 * taken without an id is taken all the same: sending it again could reach the handset twice.
 * `httpStatus` is absent for a pasted body.
 */
export function readSubmitAnswer(httpStatus: number | undefined, text: string): SubmitResult {
  const body = parseJsonBody(text) as SendAnswer | undefined;
  if (!body || typeof body !== 'object' || typeof body.success !== 'boolean') {
    if (httpStatus === undefined) throw new Error('not an SMSPartner answer: no success field');
    if (httpStatus >= 200 && httpStatus < 300) return { kind: 'unknown', reason: `HTTP ${httpStatus} without success`, raw: text.slice(0, 2000) };
    return { kind: 'refused', code: statusCode(httpStatus), raw: text.slice(0, 2000) };
  }
  if (body.success) return { kind: 'accepted', providerMessageIds: body.message_id === undefined || body.message_id === null ? [] : [String(body.message_id)], raw: body };
  const message = body.message ?? body.errors?.map((e) => e.message).join('; ');
  return {
    kind: 'refused',
    code: { provider: 'smspartner', context: 'sending-sms', code: String(body.code ?? ''), ...(message && { message }) },
    raw: body,
  };
}

/**
 * The text as SMSPartner's send API wants it: a line break written `:br:` and the euro sign
 * `:euro:` (its "Single Send" documentation, parameter `message`).
 */
export function smspartnerText(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ':br:').replaceAll('€', ':euro:');
}

/** The inverse of smspartnerText: a text as SMSPartner's API takes it, with its real line breaks and euro signs. */
export function readSmspartnerText(text: string): string {
  return text.replaceAll(':br:', '\n').replaceAll(':euro:', '€');
}

const PARIS = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });

/** How far Paris's clock is ahead of UTC at the instant `utc`, in milliseconds. */
function parisOffset(utc: number): number {
  const p = Object.fromEntries(PARIS.formatToParts(utc).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second) - Math.floor(utc / 1000) * 1000;
}

/** A Paris wall-clock time ("2026-07-22 11:31:00"), winter or summer time, in epoch milliseconds. */
export function parisTime(stamp: string | undefined): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(stamp ?? '');
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return wall - parisOffset(wall - parisOffset(wall));
}

/** An instant as a Paris wall-clock time ("2026-07-22 11:31:00"), as SMSPartner writes its dates. */
export function parisStamp(utc: number): string {
  return new Date(utc + parisOffset(utc)).toISOString().slice(0, 19).replace('T', ' ');
}

/** A report's date: Paris wall-clock time, or Unix seconds as the status API's list entries give it. */
function reportTime(stamp: string | undefined): number | null {
  return stamp !== undefined && /^\d{9,10}$/.test(stamp) ? Number(stamp) * 1000 : parisTime(stamp);
}

/** The first of these names the parameters carry. */
function first(params: Readonly<Record<string, string>>, names: readonly string[]): string | undefined {
  for (const name of names) if (params[name] !== undefined && params[name] !== '') return params[name];
  return undefined;
}

/**
 * A delivery report's parameters (query string, form or JSON alike), with the fields of the
 * status API: the message id, and the status as the status list writes it ("Delivered", "Not
 * delivered", "Waiting") or as the carrier's receipt does (DELIVRD, UNDELIV, EXPIRED...); its
 * date in Paris time (or in Unix seconds).
 */
export function readReceipt(params: Readonly<Record<string, string>>): ReceiptReport {
  const id = first(params, ['messageId', 'message_id', 'msgId']);
  const status = first(params, ['statut', 'status', 'stat']);
  if (!id || !status) throw new SwitchboardError('invalid_parameter', 'A delivery report needs messageId and statut (or status).', { param: id ? 'statut' : 'messageId' });
  const carrierCode = /^[A-Z]{5,7}$/.test(status);
  return {
    providerMessageId: id,
    status: carrierCode ? { provider: 'smspartner', context: 'sms-status', code: status } : { provider: 'smspartner', context: 'status-list', code: status.toLowerCase() },
    occurredAt: reportTime(first(params, ['date', 'deliveryDate'])),
    raw: params,
  };
}

/**
 * A call to the connection's URL: an HLR notification (see smspartnerLookups), a reply (SMSPartner's "Webhooks" page: on its short number
 * `type` "response" or "stop" with `phone_number` and `text`; on a long number `msisdn`, `to`,
 * `text`), else a delivery report. A short-number reply does not say which sender it answers, and
 * SMSPartner's STOP list covers the whole account: it is kept as sent to `*`, every sender.
 */
export function readWebhook(params: Readonly<Record<string, string>>): WebhookReading {
  if (isHlrNotification(params)) return { receipts: [], inbound: [], lookups: [readHlrNotification(params)] };
  if (params.phone_number && (params.type === 'response' || params.type === 'stop')) {
    return { receipts: [], inbound: [{ from: e164OrShortCode(params.phone_number), to: '*', text: params.text ?? '', raw: params }] };
  }
  if (params.msisdn && params.to && first(params, ['statut', 'status', 'stat']) === undefined) {
    return { receipts: [], inbound: [{ from: e164OrShortCode(params.msisdn), to: e164OrShortCode(params.to), text: params.text ?? '', raw: params }] };
  }
  return { receipts: [readReceipt(params)], inbound: [] };
}
