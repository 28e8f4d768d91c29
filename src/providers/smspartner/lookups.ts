import type { LookupOutcome, NumberLookups } from '../../app/connector.js';
import type { LiveReport } from '../../core/lookups/live.js';
import { e164OrShortCode, parseJsonBody } from '../http/params.js';
import { httpRequest, statusCode } from '../http/transport.js';
import { smspartnerCodes } from './codes.js';

/** The control codes the number verification table lists; the HLR page's others (1, 10: the API key) are the account-wide ones of sending. */
const VERIFICATION_CODES = new Set<string>(smspartnerCodes.find((t) => t.context === 'number-verification')!.rows.map((r) => r.code));

/**
 * SMSPartner's HLR (its "Verify the Validity of a Phone Number" page: `POST /v1/hlr/notify`, JSON
 * `apiKey`, `phoneNumbers` comma-separated, at most 500, and `notifyUrl`): it takes the request,
 * then posts each number's answer to `notifyUrl`, the connection's webhook URL.
 */
export function smspartnerLookups(s: { readonly apiKey: string; readonly baseUrl: string; readonly webhookUrl: string; readonly timeoutMs: number }): NumberLookups {
  return {
    batch: 500,
    async lookup(numbers) {
      const outcome = await httpRequest(
        `${s.baseUrl}/v1/hlr/notify`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ apiKey: s.apiKey, phoneNumbers: numbers.join(','), notifyUrl: s.webhookUrl }),
        },
        s.timeoutMs,
      );
      if (outcome.kind === 'unknown') return outcome;
      if (outcome.kind === 'not_sent') return { kind: 'refused', code: outcome.code };
      return readHlrAnswer(outcome.response.status, outcome.response.text);
    },
  };
}

/** The answer: `success: true` (the answers follow at the notify URL), or `success: false` with a control `code`. */
export function readHlrAnswer(httpStatus: number, text: string): LookupOutcome {
  const body = parseJsonBody(text) as { success?: boolean; code?: number | string; message?: string } | undefined;
  if (!body || typeof body !== 'object' || typeof body.success !== 'boolean') {
    if (httpStatus >= 200 && httpStatus < 300) return { kind: 'unknown', reason: `HTTP ${httpStatus} without success` };
    return { kind: 'refused', code: statusCode(httpStatus), raw: text.slice(0, 2000) };
  }
  if (body.success) return { kind: 'pending', raw: body };
  const code = String(body.code ?? '');
  const context = VERIFICATION_CODES.has(code) ? 'number-verification' : 'sending-sms';
  return { kind: 'refused', code: { provider: 'smspartner', context, code, ...(body.message !== undefined && { message: body.message }) }, raw: body };
}

/**
 * An HLR notification (`phone`, `messageId`, `mccMnc`, `ported`, `errorGrpId`, `errorName`,
 * `errorDesc`, `date`): its error read by name through the HLR error groups, with their Permanent
 * flag.
 */
export function readHlrNotification(params: Readonly<Record<string, string>>): LiveReport {
  const name = params.errorName?.trim();
  const network = params.mccMnc?.trim();
  return {
    number: e164OrShortCode(params.phone ?? ''),
    ...(name && { error: { provider: 'smspartner', code: name, ...(params.errorDesc !== undefined && { message: params.errorDesc.trim() }) } }),
    ...(network && /^\d{5,6}$/.test(network) && { network }),
    ...(params.ported !== undefined && { ported: params.ported === '1' || params.ported === 'true' }),
    raw: params,
  };
}

/** Whether a call to the connection's URL is an HLR notification rather than a report or a reply. */
export const isHlrNotification = (params: Readonly<Record<string, string>>): boolean => params.phone !== undefined && (params.errorName !== undefined || params.mccMnc !== undefined);
