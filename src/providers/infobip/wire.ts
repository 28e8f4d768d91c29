import type { ReceiptReport, SubmitResult } from '../../app/connector.js';
import type { ReportedCode } from '../../core/catalogue/interpret.js';
import { SwitchboardError } from '../../core/errors.js';
import { statusCode } from '../http/transport.js';
import { parseJsonBody } from '../http/params.js';
import { infobipCodes } from './codes.js';

/** Infobip's status and error objects: an id and name inside a group. */
interface Coded {
  readonly groupId?: number;
  readonly groupName?: string;
  readonly id?: number;
  readonly name?: string;
  readonly description?: string;
  readonly permanent?: boolean;
}

interface Report {
  readonly messageId?: string;
  readonly doneAt?: string;
  readonly status?: Coded;
  readonly error?: Coded;
}


const KNOWN = {
  status: new Set<string>(infobipCodes.find((t) => t.context === 'status-ids')!.rows.map((r) => r.code)),
  error: new Set<string>(infobipCodes.find((t) => t.context === 'error-ids')!.rows.map((r) => r.code)),
};

/** A status or error object: by its id where the general table has it, else by its group. */
function coded(kind: 'status' | 'error', c: Coded | undefined): ReportedCode | undefined {
  if (!c?.groupName && c?.id === undefined) return undefined;
  const message = c.name ? `${c.name}${c.description ? `: ${c.description}` : ''}` : c.description;
  const byId = c.id !== undefined && KNOWN[kind].has(String(c.id));
  if (!byId && !c.groupName) return undefined;
  const [context, code] = byId ? [`${kind}-ids`, String(c.id)] : [`${kind}-groups`, c.groupName!];
  return { provider: 'infobip', context, code, ...(message !== undefined && { message }) };
}

/**
 * The answer to POST /sms/2/text/advanced: `messages[]` with a status each (REJECTED means
 * refused), or `requestError.serviceException` with the HTTP status.
 */
export function readSubmitAnswer(httpStatus: number | undefined, text: string): SubmitResult {
  const body = parseJsonBody(text) as { messages?: { messageId?: string; status?: Coded }[]; requestError?: { serviceException?: { messageId?: string; text?: string } } } | undefined;
  const messages = body?.messages;
  if (Array.isArray(messages) && messages.length > 0) {
    const rejected = messages.find((m) => m.status?.groupName === 'REJECTED');
    if (rejected) return { kind: 'refused', code: coded('status', rejected.status)!, raw: body };
    return { kind: 'accepted', providerMessageIds: messages.map((m) => String(m.messageId ?? '')), raw: body };
  }
  const exception = body?.requestError?.serviceException;
  if (httpStatus === undefined) {
    if (!exception) throw new Error('neither messages[] nor requestError');
    return { kind: 'refused', code: { provider: 'infobip', context: 'error-groups', code: 'USER_ERRORS', message: exception.text ?? '' }, raw: body };
  }
  if (httpStatus >= 200 && httpStatus < 300) return { kind: 'unknown', reason: `HTTP ${httpStatus} without messages[]`, raw: text.slice(0, 2000) };
  return { kind: 'refused', code: { ...statusCode(httpStatus), ...(exception?.text !== undefined && { message: exception.text }) }, raw: body ?? text.slice(0, 2000) };
}

/** A delivery report body: `results[]`, one per message. */
export function readReports(text: string): ReceiptReport[] {
  const body = parseJsonBody(text) as { results?: Report[] } | undefined;
  if (!Array.isArray(body?.results)) throw new SwitchboardError('invalid_parameter', 'An Infobip delivery report is a JSON object with results[].', { param: 'results' });
  return body.results.map((r, i) => {
    const status = coded('status', r.status);
    if (!r.messageId || !status) throw new SwitchboardError('invalid_parameter', `results[${i}] needs messageId and status.groupName.`, { param: `results[${i}]` });
    const error = r.error?.groupName && r.error.groupName !== 'OK' ? coded('error', r.error) : undefined;
    const done = r.doneAt ? Date.parse(r.doneAt) : Number.NaN;
    return { providerMessageId: r.messageId, status, ...(error && { error }), occurredAt: Number.isNaN(done) ? null : done, raw: r };
  });
}
