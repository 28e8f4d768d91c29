import type { ReceiptReport, SubmitResult, WebhookReading } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { statusCode } from '../http/transport.js';
import { e164OrShortCode, parseJsonBody } from '../http/params.js';

interface SmsAnswer {
  readonly 'message-count'?: string;
  readonly messages?: readonly { readonly status?: string; readonly 'message-id'?: string; readonly 'error-text'?: string }[];
}

/**
 * The answer of /sms/json: one `messages[]` entry per part, `status` "0" for each part taken,
 * otherwise the first non-zero status and its `error-text`. `httpStatus` is absent for a pasted body.
 */
export function readSubmitAnswer(httpStatus: number | undefined, text: string): SubmitResult {
  const body = parseJsonBody(text) as SmsAnswer | undefined;
  const parts = body?.messages;
  if (!Array.isArray(parts) || parts.length === 0) {
    if (httpStatus === undefined) throw new Error('not an SMS API answer: no messages[]');
    if (httpStatus >= 200 && httpStatus < 300) return { kind: 'unknown', reason: `HTTP ${httpStatus} without messages[]`, raw: text.slice(0, 2000) };
    return { kind: 'refused', code: statusCode(httpStatus), raw: body ?? text.slice(0, 2000) };
  }
  const failed = parts.find((p) => p.status !== '0');
  if (failed) {
    const message = failed['error-text'];
    return {
      kind: 'refused',
      code: { provider: 'vonage', context: 'sms-api-error-codes', code: String(failed.status ?? ''), ...(message !== undefined && { message }) },
      raw: body,
    };
  }
  return { kind: 'accepted', providerMessageIds: parts.flatMap((p) => (p['message-id'] ? [String(p['message-id'])] : [])), raw: body };
}

/** `message-timestamp` ("2026-11-22 10:31:00", UTC), else `scts` (YYMMDDHHMM), in epoch milliseconds. */
function occurredAt(params: Readonly<Record<string, string>>): number | null {
  const stamp = params['message-timestamp'];
  if (stamp && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(stamp)) return Date.parse(`${stamp.replace(' ', 'T')}Z`);
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(params.scts ?? '');
  return m ? Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) : null;
}

/** A delivery receipt's parameters (query string, form or JSON alike). */
export function readReceipt(params: Readonly<Record<string, string>>): ReceiptReport {
  const id = params.messageId;
  const status = params.status;
  if (!id || !status) throw new SwitchboardError('invalid_parameter', 'A delivery receipt needs messageId and status.', { param: id ? 'status' : 'messageId' });
  const err = params['err-code'];
  return {
    providerMessageId: id,
    status: { provider: 'vonage', context: 'delivery-receipt-status', code: status },
    ...(err !== undefined && err !== '' && { error: { provider: 'vonage', context: 'delivery-receipt-errors', code: err } }),
    occurredAt: occurredAt(params),
    raw: params,
  };
}

/**
 * A webhook's parameters: a delivery receipt (with `status`), or an inbound message (`msisdn`,
 * `to`, `messageId`, `text`, `type`, `keyword`, `message-timestamp`; each part of a long one
 * comes alone, with `concat-ref`, `concat-part` and `concat-total`, and is kept as it came).
 */
export function readWebhook(params: Readonly<Record<string, string>>): WebhookReading {
  if (params.status !== undefined || params.msisdn === undefined) return { receipts: [readReceipt(params)], inbound: [] };
  if (!params.to) throw new SwitchboardError('invalid_parameter', 'An inbound message needs msisdn and to.', { param: 'to' });
  return { receipts: [], inbound: [{ from: e164OrShortCode(params.msisdn), to: e164OrShortCode(params.to), text: params.text ?? '', raw: params }] };
}
