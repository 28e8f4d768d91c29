import type { Message, MessageEvent } from '../core/message.js';

const iso = (ms: number) => new Date(ms).toISOString();

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
    send_at: m.sendAt === null ? null : iso(m.sendAt),
    expires_at: iso(m.expiresAt),
    created_at: iso(m.createdAt),
    updated_at: iso(m.updatedAt),
    connection: m.connection,
    attempts: m.attempts,
    provider_message_id: m.providerMessageId,
  };
}

export function eventView(e: MessageEvent) {
  return { at: iso(e.at), type: e.type, status: e.status, error: e.error, detail: e.detail, payload: e.payload };
}

export function renderSendResponse(messages: readonly Message[]): string {
  return JSON.stringify({ messages: messages.map(messageView) });
}
