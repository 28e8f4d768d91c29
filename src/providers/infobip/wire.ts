import type { InboundReport, ReceiptReport, SubmitResult, WebhookReading } from '../../app/connector.js';
import type { ReportedCode } from '../../core/catalogue/interpret.js';
import type { ProviderCodeRow } from '../../core/catalogue/types.js';
import { SwitchboardError } from '../../core/errors.js';
import { statusCode } from '../http/transport.js';
import { e164OrShortCode, parseJsonBody } from '../http/params.js';
import { infobipCodes } from './codes.js';

/** Infobip's status and error objects: an id and name inside a group. */
export interface Coded {
  readonly groupId?: number;
  readonly groupName?: string;
  readonly id?: number;
  readonly name?: string;
  readonly description?: string;
  readonly permanent?: boolean;
}

/** One entry of a webhook's `results[]`: a delivery report (with `status`) or an inbound message (with `from`). */
interface Result {
  readonly messageId?: string;
  readonly doneAt?: string;
  readonly status?: Coded;
  readonly error?: Coded;
  readonly from?: string;
  readonly to?: string;
  readonly text?: string;
}

/**
 * A refused request. v2 (/sms/2/...): `requestError.serviceException` with `messageId`
 * (UNAUTHORIZED...), `text` and `validationErrors` (field: messages). v3 (/sms/3/...): `errorCode`
 * (E401...), `description` and `violations[]` (property, violation).
 */
export interface RequestError {
  readonly requestError?: { readonly serviceException?: { readonly messageId?: string; readonly text?: string; readonly validationErrors?: Readonly<Record<string, readonly string[]>> } };
  readonly errorCode?: string;
  readonly description?: string;
  readonly violations?: readonly { readonly property?: string; readonly violation?: string }[];
}

const table = (context: string): readonly ProviderCodeRow[] => infobipCodes.find((t) => t.context === context)!.rows;
export const KNOWN = {
  status: new Set<string>(table('status-ids').map((r) => r.code)),
  error: new Set<string>(table('error-ids').map((r) => r.code)),
  request: new Set<string>(table('api-errors').flatMap((r) => [r.code, r.name ?? r.code])),
};

/** A status or error object: by its id where the general table has it, else by its group. */
export function coded(kind: 'status' | 'error', c: Coded | undefined): ReportedCode | undefined {
  if (!c?.groupName && c?.id === undefined) return undefined;
  const message = c.name ? `${c.name}${c.description ? `: ${c.description}` : ''}` : c.description;
  const byId = c.id !== undefined && KNOWN[kind].has(String(c.id));
  if (!byId && !c.groupName) return undefined;
  const [context, code] = byId ? [`${kind}-ids`, String(c.id)] : [`${kind}-groups`, c.groupName!];
  return { provider: 'infobip', context, code, ...(message !== undefined && { message }) };
}

/** A request error of either form, with its text and every field it names. */
export function requestError(body: RequestError | undefined): ReportedCode | undefined {
  const v2 = body?.requestError?.serviceException;
  const code = v2 ? v2.messageId : body?.errorCode;
  if (!code) return undefined;
  const fields = v2
    ? Object.entries(v2.validationErrors ?? {}).flatMap(([field, list]) => list.map((v) => `${field}: ${v}`))
    : (body?.violations ?? []).map((v) => `${v.property}: ${v.violation}`);
  const message = [v2 ? v2.text : body?.description, ...fields].filter(Boolean).join('; ');
  return { provider: 'infobip', context: 'api-errors', code, ...(message && { message }) };
}

/**
 * The answer to a send (/sms/2/text/advanced or /sms/3/messages): `messages[]` with a status
 * each (REJECTED means refused), or a request error, read by its code where Infobip's table has
 * it and by the HTTP status otherwise. `httpStatus` is absent for a pasted body.
 */
export function readSubmitAnswer(httpStatus: number | undefined, text: string): SubmitResult {
  const body = parseJsonBody(text) as ({ messages?: { messageId?: string; status?: Coded }[] } & RequestError) | undefined;
  const messages = body?.messages;
  if (Array.isArray(messages) && messages.length > 0) {
    const rejected = messages.find((m) => m.status?.groupName === 'REJECTED');
    if (rejected) return { kind: 'refused', code: coded('status', rejected.status)!, raw: body };
    return { kind: 'accepted', providerMessageIds: messages.flatMap((m) => (m.messageId ? [String(m.messageId)] : [])), raw: body };
  }
  const error = requestError(body);
  if (error && (httpStatus === undefined || KNOWN.request.has(error.code))) return { kind: 'refused', code: error, raw: body };
  if (httpStatus === undefined) throw new Error('neither messages[] nor a request error');
  if (httpStatus >= 200 && httpStatus < 300) return { kind: 'unknown', reason: `HTTP ${httpStatus} without messages[]`, raw: text.slice(0, 2000) };
  return { kind: 'refused', code: { ...statusCode(httpStatus), ...(error?.message !== undefined && { message: error.message }) }, raw: body ?? text.slice(0, 2000) };
}

function report(r: Result, i: number): ReceiptReport {
  const status = coded('status', r.status);
  if (!r.messageId || !status) throw new SwitchboardError('invalid_parameter', `results[${i}] needs messageId and status.groupName.`, { param: `results[${i}]` });
  const error = r.error?.groupName && r.error.groupName !== 'OK' ? coded('error', r.error) : undefined;
  const done = r.doneAt ? Date.parse(r.doneAt) : Number.NaN;
  return { providerMessageId: r.messageId, status, ...(error && { error }), occurredAt: Number.isNaN(done) ? null : done, raw: r };
}

/** An incoming message; `text` is the whole text, keyword included (`cleanText` is without it). */
function inbound(r: Result, i: number): InboundReport {
  if (!r.from || r.text === undefined) throw new SwitchboardError('invalid_parameter', `results[${i}] needs from and text.`, { param: `results[${i}]` });
  return { from: e164OrShortCode(r.from), to: e164OrShortCode(r.to ?? ''), text: r.text, raw: r };
}

/**
 * A webhook body: `results[]` of delivery reports (messageId, status, error, doneAt) or of
 * incoming messages (messageId, from, to, text, cleanText, keyword, receivedAt), as Infobip posts
 * them to a notify URL or a number's forward URL.
 */
export function readWebhook(text: string): WebhookReading {
  const body = parseJsonBody(text) as { results?: Result[] } | undefined;
  if (!Array.isArray(body?.results)) throw new SwitchboardError('invalid_parameter', 'An Infobip webhook is a JSON object with results[].', { param: 'results' });
  const receipts: ReceiptReport[] = [];
  const messages: InboundReport[] = [];
  body.results.forEach((r, i) => (r.status === undefined && r.from !== undefined ? messages.push(inbound(r, i)) : receipts.push(report(r, i))));
  return { receipts, inbound: messages };
}
