import type { Generated } from 'kysely';

/** The tables as Kysely sees them. Times are epoch milliseconds; JSON is stored as text. */
export interface Database {
  accounts: { id: string; name: string; created_at: number };
  api_keys: { id: string; account_id: string; hash: string; prefix: string; created_at: number; revoked_at: number | null };
  messages: MessagesTable;
  message_events: {
    id: Generated<number>;
    message_id: string;
    at: number;
    type: string;
    status: string | null;
    error: string | null;
    detail: string | null;
    payload: string | null;
  };
  provider_ids: {
    connection: string;
    provider_message_id: string;
    message_id: string;
    part: number;
    parts: number;
    state: string | null;
  };
  parked_receipts: {
    id: Generated<number>;
    connection: string;
    provider_message_id: string;
    received_at: number;
    receipt: string;
  };
  idempotency_keys: {
    account_id: string;
    key: string;
    request_hash: string;
    status_code: number;
    response: string;
    created_at: number;
  };
}

export interface MessagesTable {
  id: string;
  account_id: string;
  to: string;
  from: string;
  text: string;
  encoding: string;
  segments: number;
  status: string;
  error_code: string | null;
  error: string | null;
  client_ref: string | null;
  callback_url: string | null;
  send_at: number | null;
  expires_at: number;
  created_at: number;
  updated_at: number;
  connection: string;
  attempts: number;
  provider_message_id: string | null;
  /** When the dispatcher must next act on the message; null once nothing is left to do. */
  due_at: number | null;
  lease_owner: string | null;
}
