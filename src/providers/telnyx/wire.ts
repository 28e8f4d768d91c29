import type { InboundReport, ReceiptReport, SubmitResult } from '../../app/connector.js';
import type { ReportedCode } from '../../core/catalogue/interpret.js';
import { SwitchboardError } from '../../core/errors.js';
import { statusCode } from '../http/transport.js';
import { parseJsonBody } from '../http/params.js';
import { telnyxCodes } from './codes.js';

interface TelnyxError {
  readonly code?: string;
  readonly title?: string;
  readonly detail?: string;
}

interface MessagePayload {
  readonly id?: string;
  readonly text?: string;
  readonly from?: { readonly phone_number?: string };
  readonly to?: readonly { readonly phone_number?: string; readonly status?: string }[];
  readonly errors?: readonly TelnyxError[];
}

/** Every Telnyx error code of the tables; they are unique across them. */
const LISTED = new Set<string>(telnyxCodes.filter((t) => t.context !== 'delivery-status').flatMap((t) => t.rows.map((r) => r.code)));

function errorCode(e: TelnyxError | undefined): ReportedCode | undefined {
  if (!e?.code) return undefined;
  const message = e.detail ?? e.title;
  // Telnyx's codes are unique across its tables: no context needed to find one.
  return { provider: 'telnyx', code: String(e.code), ...(message !== undefined && { message }) };
}

/** What the provider details say of a code Switchboard's tables do not list. */
function unlisted(code: ReportedCode): string {
  return `Telnyx code ${code.code}${code.message === undefined ? '' : ` (${code.message})`} is not in Switchboard's Telnyx tables`;
}

/**
 * The answer to POST /v2/messages: `{ data: { id, ... } }`, or `{ errors: [{ code, title, detail }] }`.
 * A code of the tables says why; another one is read through the HTTP status. `status` is the
 * HTTP status; without it (a pasted body) the body alone decides.
 */
export function readSubmitAnswer(status: number | undefined, text: string): SubmitResult {
  const body = parseJsonBody(text) as { data?: MessagePayload; errors?: TelnyxError[] } | undefined;
  const ok = status === undefined ? typeof body?.data?.id === 'string' : status >= 200 && status < 300;
  if (ok) {
    const id = body?.data?.id;
    if (typeof id === 'string') return { kind: 'accepted', providerMessageIds: [id], raw: body };
    return { kind: 'unknown', reason: `HTTP ${status} without a message id`, raw: text.slice(0, 2000) };
  }
  const code = errorCode(body?.errors?.[0]);
  if (code && LISTED.has(code.code)) return { kind: 'refused', code, raw: body };
  if (status !== undefined) return { kind: 'refused', code: { ...statusCode(status), ...(code && { message: unlisted(code) }) }, raw: body ?? text.slice(0, 2000) };
  // A pasted body has no HTTP status to read an unlisted code by: it reads as unknown.
  if (code) return { kind: 'refused', code: { ...code, message: unlisted(code) }, raw: body };
  throw new Error('neither a message (data.id) nor Telnyx errors[]');
}

/** A webhook body: message.sent and message.finalized are receipts, message.received an inbound message. */
export function readWebhook(text: string): { receipts: ReceiptReport[]; inbound: InboundReport[] } {
  const body = parseJsonBody(text) as { data?: { event_type?: string; occurred_at?: string; payload?: MessagePayload } } | undefined;
  const event = body?.data;
  const payload = event?.payload;
  if (!event?.event_type || !payload) throw new SwitchboardError('invalid_parameter', 'A Telnyx webhook is a JSON object with data.event_type and data.payload.', { param: 'data' });
  const occurred = event.occurred_at ? Date.parse(event.occurred_at) : Number.NaN;
  if (event.event_type === 'message.received') {
    const from = payload.from?.phone_number;
    const to = payload.to?.[0]?.phone_number;
    if (!from || !to) throw new SwitchboardError('invalid_parameter', 'A message.received event needs data.payload.from.phone_number and data.payload.to[0].phone_number.', { param: 'data.payload' });
    return { receipts: [], inbound: [{ from, to, text: payload.text ?? '', raw: body }] };
  }
  if (event.event_type !== 'message.sent' && event.event_type !== 'message.finalized') return { receipts: [], inbound: [] };
  const status = payload.to?.[0]?.status;
  if (!payload.id || !status) throw new SwitchboardError('invalid_parameter', 'A message event needs data.payload.id and data.payload.to[0].status.', { param: 'data.payload' });
  const error = errorCode(payload.errors?.[0]);
  // A code the tables do not list cannot say more than the status: the status decides, and its
  // message says which code was not understood.
  const listed = error && LISTED.has(error.code);
  return {
    receipts: [
      {
        providerMessageId: payload.id,
        status: { provider: 'telnyx', context: 'delivery-status', code: status, ...(error && !listed && { message: `${status}; ${unlisted(error)}` }) },
        ...(listed && { error }),
        occurredAt: Number.isNaN(occurred) ? null : occurred,
        raw: body,
      },
    ],
    inbound: [],
  };
}
