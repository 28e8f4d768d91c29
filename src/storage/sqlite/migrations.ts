/**
 * The SQLite schema, as numbered migrations applied in order, once each. Never edit a published
 * one: add the next. They depend on nothing in the application.
 */
export const MIGRATIONS: readonly { readonly id: number; readonly name: string; readonly sql: string }[] = [
  {
    id: 1,
    name: 'initial',
    sql: `
CREATE TABLE accounts (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  "to" TEXT NOT NULL,
  "from" TEXT NOT NULL,
  text TEXT NOT NULL,
  encoding TEXT NOT NULL,
  segments INTEGER NOT NULL,
  status TEXT NOT NULL,
  error_code TEXT,
  error TEXT,
  client_ref TEXT,
  callback_url TEXT,
  send_at INTEGER,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  connection TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  provider_message_id TEXT,
  -- When the dispatcher must next act on the message; NULL once nothing is left to do.
  due_at INTEGER,
  lease_owner TEXT
);
-- The message log pages newest first per account; ids sort by creation time.
CREATE INDEX messages_account_id ON messages (account_id, id);
CREATE INDEX messages_account_to ON messages (account_id, "to", id);
-- The dispatcher's work list: only messages with something left to do are indexed.
CREATE INDEX messages_due ON messages (connection, due_at) WHERE due_at IS NOT NULL;

CREATE TABLE message_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  status TEXT,
  error TEXT,
  detail TEXT,
  payload TEXT
);
CREATE INDEX message_events_message ON message_events (message_id, id);

CREATE TABLE provider_ids (
  connection TEXT NOT NULL,
  provider_message_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  part INTEGER NOT NULL,
  parts INTEGER NOT NULL,
  state TEXT,
  PRIMARY KEY (connection, provider_message_id)
);
CREATE INDEX provider_ids_message ON provider_ids (message_id);

CREATE TABLE parked_receipts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  connection TEXT NOT NULL,
  provider_message_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  receipt TEXT NOT NULL
);
CREATE INDEX parked_receipts_id ON parked_receipts (connection, provider_message_id);

CREATE TABLE idempotency_keys (
  account_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status_code INTEGER NOT NULL,
  response TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, key)
);
`,
  },
  {
    id: 2,
    name: 'inbound messages',
    sql: `
CREATE TABLE inbound_messages (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  connection TEXT NOT NULL,
  "from" TEXT NOT NULL,
  "to" TEXT NOT NULL,
  text TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  payload TEXT
);
CREATE INDEX inbound_account_id ON inbound_messages (account_id, id);
`,
  },
  {
    id: 3,
    name: 'routing',
    sql: `
-- The route chosen at accept (name and connection chain, JSON): failover follows it.
ALTER TABLE messages ADD COLUMN route TEXT;

-- The routing table and connections as changed through the API, over the file they came from.
CREATE TABLE topology (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  file_hash TEXT NOT NULL,
  topology TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
  },
];
