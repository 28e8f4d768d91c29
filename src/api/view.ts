import type { InboundMessage } from '../app/store.js';
import { formatAmount } from '../core/accounts/money.js';
import { keywordOf } from '../core/compliance/keywords.js';
import type { Message, MessageEvent } from '../core/message.js';

// The messages of one request share their times: formatting each once matters at 1,000 recipients.
const formatted = new Map<number, string>();
function iso(ms: number): string {
  let text = formatted.get(ms);
  if (text === undefined) {
    if (formatted.size >= 64) formatted.clear();
    text = new Date(ms).toISOString();
    formatted.set(ms, text);
  }
  return text;
}

/** A message as the API shows it (snake_case, ISO times). */
export function messageView(m: Message) {
  return {
    id: m.id,
    to: m.to,
    from: m.from,
    text: m.text,
    status: m.status,
    error: m.error,
    encoding: m.encoding,
    segments: m.segments,
    client_ref: m.clientRef,
    callback_url: m.callbackUrl,
    callback_events: m.callbackEvents === null ? null : [...m.callbackEvents],
    send_at: m.sendAt === null ? null : iso(m.sendAt),
    expires_at: iso(m.expiresAt),
    created_at: iso(m.createdAt),
    updated_at: iso(m.updatedAt),
    connection: m.connection,
    attempts: m.attempts,
    next_attempt_at: m.nextAttemptAt === null ? null : iso(m.nextAttemptAt),
    provider_message_id: m.providerMessageId,
    ...(m.price !== undefined && { price: formatAmount(m.price) }),
  };
}

export function eventView(e: MessageEvent) {
  return { at: iso(e.at), type: e.type, status: e.status, error: e.error, detail: e.detail, payload: e.payload };
}

/** The 202 answer; a charged account also sees its balance after this request's charge. */
export function renderSendResponse(messages: readonly Message[], remainingBalance: number | null): string {
  return JSON.stringify({ messages: messages.map(messageView), ...(remainingBalance !== null && { remaining_balance: formatAmount(remainingBalance) }) });
}

/** A message a subscriber sent in, with the keyword it is (STOP, START, HELP), if any. */
export function inboundView(m: InboundMessage) {
  return {
    id: m.id,
    connection: m.connection,
    from: m.from,
    to: m.to,
    text: m.text,
    keyword: keywordOf(m.text) ?? null,
    received_at: iso(m.receivedAt),
    payload: m.payload,
  };
}

/**
 * A webhook event's body: its type and time, and the message as it was then; failures carry
 * the canonical error with the provider's details beside the message, as Chirp's failure
 * webhook does. An endpoint event carries the endpoint as it was stored.
 */
export function webhookPayload(event: { id: string; type: string; createdAt: number; data: unknown }): string {
  const data = event.type.startsWith('endpoint.') || event.type.startsWith('account.') || event.type.startsWith('connection.')
    ? event.data // stored as receivers get it
    : event.type === 'message.received'
      ? { message: inboundView(event.data as InboundMessage) }
      : { message: messageView(event.data as Message), error: (event.data as Message).error };
  return JSON.stringify({ id: event.id, type: event.type, timestamp: iso(event.createdAt), data });
}
