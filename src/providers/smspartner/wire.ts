import type { ReceiptReport, SubmitResult } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { statusCode } from '../http/transport.js';
import { parseJsonBody } from '../http/params.js';

interface SendAnswer {
  readonly success?: boolean;
  readonly code?: number | string;
  readonly message_id?: number | string;
  readonly message?: string;
  readonly errors?: readonly { readonly elementId?: string; readonly message?: string }[];
}


/**
 * The answer of /v1/send: `success: true` with the `message_id` of the send, or `success:
 * false` with a control `code` and a `message`, or `errors[]` naming each invalid field.
 * `httpStatus` is absent for a pasted body.
 */
export function readSubmitAnswer(httpStatus: number | undefined, text: string): SubmitResult {
  const body = parseJsonBody(text) as SendAnswer | undefined;
  if (!body || typeof body !== 'object' || typeof body.success !== 'boolean') {
    if (httpStatus === undefined) throw new Error('not an SMSPartner answer: no success field');
    if (httpStatus >= 200 && httpStatus < 300) return { kind: 'unknown', reason: `HTTP ${httpStatus} without success`, raw: text.slice(0, 2000) };
    return { kind: 'refused', code: statusCode(httpStatus), raw: text.slice(0, 2000) };
  }
  if (body.success && body.message_id !== undefined) return { kind: 'accepted', providerMessageIds: [String(body.message_id)], raw: body };
  const message = body.message ?? body.errors?.map((e) => e.message).join('; ');
  return {
    kind: 'refused',
    code: { provider: 'smspartner', context: 'sending-sms', code: String(body.code ?? ''), ...(message && { message }) },
    raw: body,
  };
}

/** The first of these names the parameters carry. */
function first(params: Readonly<Record<string, string>>, names: readonly string[]): string | undefined {
  for (const name of names) if (params[name] !== undefined && params[name] !== '') return params[name];
  return undefined;
}

/**
 * A delivery report's parameters (query string, form or JSON alike), with the fields of the
 * status API: the message id, and the status as the status list writes it ("Delivered", "Not
 * delivered", "Waiting") or as the carrier's receipt does (DELIVRD, UNDELIV, EXPIRED...).
 */
export function readReceipt(params: Readonly<Record<string, string>>): ReceiptReport {
  const id = first(params, ['messageId', 'message_id', 'msgId']);
  const status = first(params, ['statut', 'status', 'stat']);
  if (!id || !status) throw new SwitchboardError('invalid_parameter', 'A delivery report needs messageId and statut (or status).', { param: id ? 'statut' : 'messageId' });
  const carrierCode = /^[A-Z]{5,7}$/.test(status);
  const date = first(params, ['date', 'deliveryDate']);
  const at = date && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(date) ? Date.parse(`${date.replace(' ', 'T')}+01:00`) : Number.NaN;
  return {
    providerMessageId: id,
    status: carrierCode ? { provider: 'smspartner', context: 'sms-status', code: status } : { provider: 'smspartner', context: 'status-list', code: status.toLowerCase() },
    occurredAt: Number.isNaN(at) ? null : at,
    raw: params,
  };
}
