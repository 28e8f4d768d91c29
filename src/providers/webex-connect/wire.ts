import type { ReportedCode } from '../../core/catalogue/interpret.js';
import type { ReceiptReport, SubmitResult } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { statusCode } from '../http/transport.js';
import { webexConnectCodes } from './codes.js';
import { parseJsonBody } from '../http/params.js';

const codesOf = (context: string) => new Set<string>(webexConnectCodes.find((t) => t.context === context)!.rows.map((r) => r.code));
const SMS_CODES = codesOf('sms');
const COMMON_CODES = codesOf('common-error-codes-across-channels');

/**
 * A Webex Connect code, in the SMS channel's table when it is there, else among the common codes.
 * A code in neither is reported against the SMS table, its message saying it is not listed.
 */
function coded(code: string, message?: string): ReportedCode {
  if (!listed(code)) return { provider: 'webex-connect', context: 'sms', code, message: unlisted(code, message) };
  const context = SMS_CODES.has(code) ? 'sms' : 'common-error-codes-across-channels';
  return { provider: 'webex-connect', context, code, ...(message && { message }) };
}

const listed = (code: string) => SMS_CODES.has(code) || COMMON_CODES.has(code);

function unlisted(code: string, message: string | undefined): string {
  return `Webex Connect code ${code}${message ? ` (${message})` : ''} is not in Switchboard's Webex Connect SMS or common tables`;
}

/**
 * The answer of the Send SMS API (/v1/sms/messages): the `messageId` of the accepted message, or
 * an error object `{code, message}` with a 7xxx code; a code the tables do not list is read
 * through the HTTP status. `httpStatus` is absent for a pasted body.
 */
export function readSubmitAnswer(httpStatus: number | undefined, text: string): SubmitResult {
  const body = parseJsonBody(text) as { messageId?: string; code?: string | number; message?: string; description?: string } | undefined;
  if (body && typeof body === 'object' && typeof body.messageId === 'string' && (httpStatus === undefined || httpStatus < 300)) {
    return { kind: 'accepted', providerMessageIds: [body.messageId], raw: body };
  }
  if (body && typeof body === 'object' && body.code !== undefined) {
    const code = String(body.code);
    const message = body.message ?? body.description;
    if (httpStatus !== undefined && !listed(code)) {
      return { kind: 'refused', code: { ...statusCode(httpStatus), message: unlisted(code, message) }, raw: body };
    }
    return { kind: 'refused', code: coded(code, message), raw: body };
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
