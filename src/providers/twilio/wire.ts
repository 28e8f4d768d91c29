import type { ReceiptReport, SubmitResult } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { statusCode } from '../http/transport.js';
import { parseJsonBody } from '../http/params.js';

/** Twilio's error body: `{ code, message, more_info, status }`. */
interface TwilioError {
  readonly code?: number;
  readonly message?: string;
  readonly status?: number;
}


/**
 * The answer to a POST on the Messages resource: the message resource (its `sid`), or Twilio's
 * error body. `status` is the HTTP status; without it (a pasted body) the body alone decides.
 */
export function readSubmitAnswer(status: number | undefined, text: string): SubmitResult {
  const body = parseJsonBody(text) as { sid?: unknown } & TwilioError | undefined;
  const ok = status === undefined ? typeof body?.sid === 'string' : status >= 200 && status < 300;
  if (ok) {
    if (typeof body?.sid === 'string') return { kind: 'accepted', providerMessageIds: [body.sid], raw: body };
    return { kind: 'unknown', reason: `HTTP ${status} without a message sid`, raw: text.slice(0, 2000) };
  }
  if (typeof body?.code === 'number') {
    return {
      kind: 'refused',
      code: { provider: 'twilio', context: 'error-codes', code: String(body.code), ...(body.message !== undefined && { message: body.message }) },
      raw: body,
    };
  }
  const httpStatus = status ?? body?.status;
  if (httpStatus === undefined) throw new Error('neither a message resource (sid) nor a Twilio error (code)');
  return { kind: 'refused', code: statusCode(httpStatus), raw: body ?? text.slice(0, 2000) };
}

/** A status callback's form parameters, as a receipt. */
export function readStatusCallback(params: ReadonlyMap<string, string[]>): ReceiptReport {
  const sid = params.get('MessageSid')?.[0];
  const status = params.get('MessageStatus')?.[0];
  if (!sid || !status) throw new SwitchboardError('invalid_parameter', 'A status callback needs MessageSid and MessageStatus.', { param: sid ? 'MessageStatus' : 'MessageSid' });
  const errorCode = params.get('ErrorCode')?.[0];
  return {
    providerMessageId: sid,
    status: { provider: 'twilio', context: 'message-status', code: status },
    ...(errorCode && errorCode !== '0' && { error: { provider: 'twilio', context: 'error-codes', code: errorCode } }),
    occurredAt: null,
    raw: Object.fromEntries([...params].map(([k, v]) => [k, v.length === 1 ? v[0] : v])),
  };
}
