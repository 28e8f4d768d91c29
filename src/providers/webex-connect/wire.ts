import type { ReportedCode } from '../../core/catalogue/interpret.js';
import type { ReceiptReport, SubmitResult } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { statusCode } from '../http/transport.js';
import { webexConnectCodes } from './codes.js';
import { parseJsonBody } from '../http/params.js';

const SMS_CODES = new Set<string>(webexConnectCodes.find((t) => t.context === 'sms')!.rows.map((r) => r.code));

/** A Webex Connect code, in the SMS channel's table when it is there, else among the common codes. */
function coded(code: string, message?: string): ReportedCode {
  const context = SMS_CODES.has(code) ? 'sms' : 'common-error-codes-across-channels';
  return { provider: 'webex-connect', context, code, ...(message && { message }) };
}


/**
 * The answer of the Send SMS API (/v1/sms/messages): the `messageId` of the accepted message, or
 * an error object `{code, message}` with a 7xxx code. `httpStatus` is absent for a pasted body.
 */
export function readSubmitAnswer(httpStatus: number | undefined, text: string): SubmitResult {
  const body = parseJsonBody(text) as { messageId?: string; code?: string | number; message?: string; description?: string } | undefined;
  if (body && typeof body === 'object' && typeof body.messageId === 'string' && (httpStatus === undefined || httpStatus < 300)) {
    return { kind: 'accepted', providerMessageIds: [body.messageId], raw: body };
  }
  if (body && typeof body === 'object' && body.code !== undefined) {
    return { kind: 'refused', code: coded(String(body.code), body.message ?? body.description), raw: body };
  }
  if (httpStatus === undefined) throw new Error('not a Webex Connect answer: neither messageId nor code');
  if (httpStatus >= 200 && httpStatus < 300) return { kind: 'unknown', reason: `HTTP ${httpStatus} without messageId`, raw: text.slice(0, 2000) };
  return { kind: 'refused', code: statusCode(httpStatus), raw: body ?? text.slice(0, 2000) };
}

interface DeliveryInfo {
  readonly timeStamp?: string;
  readonly Description?: string;
  readonly description?: string;
  readonly code?: string | number;
  readonly deliveryStatus?: string;
  readonly destination?: string;
}

/**
 * A delivery callback: `deliveryInfoNotification` with the message's `transid` and its
 * `deliveryInfo` (a 7xxx `code`, `deliveryStatus`, `timeStamp`). A body may carry one
 * notification or an array of them.
 */
export function readReceipts(text: string): ReceiptReport[] {
  const body = parseJsonBody(text);
  const items = Array.isArray(body) ? body : [body];
  return items.map((item) => {
    const n = (item as { deliveryInfoNotification?: { transid?: string; deliveryInfo?: DeliveryInfo } } | undefined)?.deliveryInfoNotification;
    const info = n?.deliveryInfo;
    if (!n?.transid || !info || info.code === undefined) {
      throw new SwitchboardError('invalid_parameter', 'A delivery callback needs deliveryInfoNotification with transid and deliveryInfo.code.', { param: 'deliveryInfoNotification' });
    }
    const at = info.timeStamp ? Date.parse(info.timeStamp) : Number.NaN;
    return {
      providerMessageId: n.transid,
      status: coded(String(info.code), info.Description ?? info.description),
      occurredAt: Number.isNaN(at) ? null : at,
      raw: item,
    };
  });
}
