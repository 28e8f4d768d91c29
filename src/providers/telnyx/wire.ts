import type { InboundReport, ReceiptReport, SubmitResult } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { statusCode } from '../http/transport.js';
import { parseJsonBody } from '../http/params.js';

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


function errorCode(e: TelnyxError | undefined) {
  if (!e?.code) return undefined;
  const message = e.detail ?? e.title;
  // Telnyx's codes are unique across its tables: no context needed to find one.
  return { provider: 'telnyx', code: String(e.code), ...(message !== undefined && { message }) };
}

/**
 * The answer to POST /v2/messages: `{ data: { id, ... } }`, or `{ errors: [{ code, title, detail }] }`.
 * `status` is the HTTP status; without it (a pasted body) the body alone decides.
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
  // Throttling and server failures are the transport's story whatever code comes with them; other
  // refusals are told by Telnyx's code.
  const transport = status !== undefined && (status === 429 || status >= 500);
  if (code && !transport) return { kind: 'refused', code, raw: body };
  if (status === undefined) throw new Error('neither a message (data.id) nor Telnyx errors[]');
  return { kind: 'refused', code: { ...statusCode(status), ...(code?.message !== undefined && { message: code.message }) }, raw: body ?? text.slice(0, 2000) };
}

/** A webhook body: message.sent and message.finalized are receipts, message.received an inbound message. */
export function readWebhook(text: string): { receipts: ReceiptReport[]; inbound: InboundReport[] } {
  const body = parseJsonBody(text) as { data?: { event_type?: string; occurred_at?: string; payload?: MessagePayload } } | undefined;
  const event = body?.data;
  const payload = event?.payload;
  if (!event?.event_type || !payload) throw new SwitchboardError('invalid_parameter', 'A Telnyx webhook is a JSON object with data.event_type and data.payload.', { param: 'data' });
  const occurred = event.occurred_at ? Date.parse(event.occurred_at) : Number.NaN;
  if (event.event_type === 'message.received') {
    return {
      receipts: [],
      inbound: [{ from: payload.from?.phone_number ?? '', to: payload.to?.[0]?.phone_number ?? '', text: payload.text ?? '', raw: body }],
    };
  }
  if (event.event_type !== 'message.sent' && event.event_type !== 'message.finalized') return { receipts: [], inbound: [] };
  const status = payload.to?.[0]?.status;
  if (!payload.id || !status) throw new SwitchboardError('invalid_parameter', 'A message event needs data.payload.id and data.payload.to[0].status.', { param: 'data.payload' });
  const error = errorCode(payload.errors?.[0]);
  return {
    receipts: [
      {
        providerMessageId: payload.id,
        status: { provider: 'telnyx', context: 'delivery-status', code: status },
        ...(error && { error }),
        occurredAt: Number.isNaN(occurred) ? null : occurred,
        raw: body,
      },
    ],
    inbound: [],
  };
}
