import type { TextEncoding } from '../core/encoding/segments.js';
import type { MessageStatus } from '../core/lifecycle.js';
import type { Message, MessageError, MessageEvent } from '../core/message.js';
import type { MessageRoute } from '../core/routing/router.js';

// How domain objects map to table rows, shared by every SQL engine. Times are epoch
// milliseconds; JSON columns hold text.

export interface MessageRow {
  id: string;
  account_id: string;
  to: string;
  from: string;
  text: string;
  encoding: string;
  segments: number;
  status: string;
  error: string | null;
  client_ref: string | null;
  callback_url: string | null;
  send_at: number | null;
  expires_at: number;
  created_at: number;
  updated_at: number;
  connection: string;
  route: string | null;
  attempts: number;
  provider_message_id: string | null;
}

export interface EventRow {
  at: number;
  type: string;
  status: string | null;
  error: string | null;
  detail: string | null;
  payload: string | null;
}

export function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    accountId: row.account_id,
    to: row.to,
    from: row.from,
    text: row.text,
    encoding: row.encoding as TextEncoding,
    segments: Number(row.segments),
    status: row.status as MessageStatus,
    error: parseJson<MessageError>(row.error),
    clientRef: row.client_ref,
    callbackUrl: row.callback_url,
    sendAt: row.send_at === null ? null : Number(row.send_at),
    expiresAt: Number(row.expires_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    connection: row.connection,
    route: parseJson<MessageRoute>(row.route),
    attempts: Number(row.attempts),
    providerMessageId: row.provider_message_id,
  };
}

export function toEvent(row: EventRow): MessageEvent {
  return {
    at: Number(row.at),
    type: row.type,
    status: row.status as MessageStatus | null,
    error: parseJson<MessageError>(row.error),
    detail: parseJson<Record<string, unknown>>(row.detail),
    payload: parseJson<unknown>(row.payload),
  };
}

export function eventValues(messageId: string, e: MessageEvent): unknown[] {
  return [messageId, e.at, e.type, e.status, json(e.error), json(e.detail), json(e.payload)];
}
