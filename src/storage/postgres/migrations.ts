/**
 * The PostgreSQL schema: the same numbered migrations as SQLite's, in PostgreSQL's dialect.
 * Never edit a published one: add the next, to both sets. Times are epoch milliseconds (BIGINT);
 * JSON columns hold text, as on SQLite, so that rows map the same way.
 */
export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
  /**
   * Set where `sql` is one `CREATE INDEX CONCURRENTLY IF NOT EXISTS` of this name, on a table
   * that may be large: it runs outside a transaction, so that writes to the table go on while it
   * builds (inside one they would wait for the whole build).
   */
  readonly index?: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'initial',
    sql: `
CREATE TABLE accounts (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
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
  send_at BIGINT,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  connection TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  provider_message_id TEXT,
  due_at BIGINT,
  lease_owner TEXT
);
CREATE INDEX messages_account_id ON messages (account_id, id);
CREATE INDEX messages_account_to ON messages (account_id, "to", id);
CREATE INDEX messages_due ON messages (connection, due_at) WHERE due_at IS NOT NULL;

CREATE TABLE message_events (
  id BIGSERIAL PRIMARY KEY,
  message_id TEXT NOT NULL,
  at BIGINT NOT NULL,
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
  id BIGSERIAL PRIMARY KEY,
  connection TEXT NOT NULL,
  provider_message_id TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  receipt TEXT NOT NULL
);
CREATE INDEX parked_receipts_id ON parked_receipts (connection, provider_message_id);

CREATE TABLE idempotency_keys (
  account_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status_code INTEGER NOT NULL,
  response TEXT NOT NULL,
  created_at BIGINT NOT NULL,
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
  received_at BIGINT NOT NULL,
  payload TEXT
);
CREATE INDEX inbound_account_id ON inbound_messages (account_id, id);
`,
  },
  {
    id: 3,
    name: 'routing',
    sql: `
ALTER TABLE messages ADD COLUMN route TEXT;

CREATE TABLE topology (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  file_hash TEXT NOT NULL,
  topology TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
`,
  },
  {
    id: 4,
    name: 'webhooks and opt-outs',
    sql: `
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  url TEXT NOT NULL,
  description TEXT,
  -- '*' or a comma-separated list of event types.
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  -- Since when every delivery to it has failed; NULL while it answers.
  failing_since BIGINT,
  disabled_at BIGINT,
  disabled_reason TEXT
);
CREATE INDEX webhook_endpoints_account ON webhook_endpoints (account_id);

-- The secret that signs the events sent to messages' own callback_url.
CREATE TABLE callback_secrets (account_id TEXT PRIMARY KEY, secret TEXT NOT NULL);

CREATE TABLE webhook_events (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  type TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  -- The message (or inbound message) as it was when the event happened.
  data TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  event_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  endpoint_id TEXT,
  -- Where it goes: the endpoint, or the message's callback URL. Events of one message to one
  -- target go out in order.
  target TEXT NOT NULL,
  url TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at BIGINT,
  lease_owner TEXT,
  created_at BIGINT NOT NULL,
  last_attempt_at BIGINT,
  last_status_code INTEGER,
  last_error TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (due_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (message_id, target, seq) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_account ON webhook_deliveries (account_id, seq);

CREATE TABLE webhook_attempts (
  id BIGSERIAL PRIMARY KEY,
  delivery_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  status_code INTEGER,
  error TEXT,
  latency_ms INTEGER NOT NULL,
  response_excerpt TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

CREATE TABLE notices (
  id BIGSERIAL PRIMARY KEY,
  account_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  type TEXT NOT NULL,
  message TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX notices_account ON notices (account_id, id);

CREATE TABLE opt_outs (
  account_id TEXT NOT NULL,
  -- The sender the subscriber answered, or '*' for every sender of the account.
  sender TEXT NOT NULL,
  number TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (account_id, number, sender)
);
`,
  },
  {
    id: 5,
    name: 'key scopes',
    sql: `
-- Keys made before scopes existed could do everything: they keep every scope.
ALTER TABLE api_keys ADD COLUMN name TEXT;
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT 'send,read,webhooks,opt_outs,admin';
ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT;
`,
  },
  {
    id: 6,
    name: 'submit marks',
    sql: `
-- The attempt whose submit may have left the gateway: written, and committed, before the
-- connector is called. A message found mid-send after a crash with attempts = submitted_attempt
-- has an unknown outcome; with less, it certainly never went out.
ALTER TABLE messages ADD COLUMN submitted_attempt INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    id: 7,
    name: 'webhook targets',
    sql: `
CREATE TABLE webhook_targets (
  target TEXT PRIMARY KEY,
  endpoint_id TEXT,
  pending INTEGER NOT NULL DEFAULT 0,
  in_flight INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  active_at BIGINT,
  version INTEGER NOT NULL DEFAULT 0,
  delivered BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX webhook_targets_active ON webhook_targets (active_at) WHERE active_at IS NOT NULL;

DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_ready ON webhook_deliveries (target, due_at) WHERE status = 'pending' AND lease_owner IS NULL AND due_at IS NOT NULL;
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (due_at) WHERE status = 'pending' AND lease_owner IS NOT NULL;
CREATE INDEX webhook_deliveries_target ON webhook_deliveries (target, seq) WHERE status = 'pending';

UPDATE webhook_deliveries d SET due_at = NULL
 WHERE d.status = 'pending' AND d.lease_owner IS NULL AND EXISTS (
   SELECT 1 FROM webhook_deliveries p WHERE p.status = 'pending' AND p.message_id = d.message_id AND p.target = d.target AND p.seq < d.seq);
INSERT INTO webhook_targets (target, endpoint_id, pending, in_flight, active_at)
  SELECT target, max(endpoint_id), count(*), count(lease_owner), min(due_at) FROM webhook_deliveries WHERE status = 'pending' GROUP BY target;

`,
  },
  {
    id: 8,
    name: 'accounts and money',
    sql: `
-- Accounts form a tree under the operator's (default) account. path: the ids from the root down,
-- joined by '/': "is Y within X" is one prefix test, whatever the depth.
ALTER TABLE accounts ADD COLUMN parent_id TEXT REFERENCES accounts(id);
ALTER TABLE accounts ADD COLUMN path TEXT;
UPDATE accounts SET path = id;
ALTER TABLE accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE accounts ADD COLUMN currency TEXT NOT NULL DEFAULT 'EUR';
-- Money in whole micro-units (1 unit = 1,000,000). balance is the sum of the account's ledger
-- entries, kept beside them in the same transaction; it may go down to -credit_limit.
ALTER TABLE accounts ADD COLUMN balance BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN credit_limit BIGINT NOT NULL DEFAULT 0;
-- The price list (JSON); NULL: the account is not charged.
ALTER TABLE accounts ADD COLUMN prices TEXT;
-- The senders (from) the account may use (JSON array); NULL: any.
ALTER TABLE accounts ADD COLUMN allowed_senders TEXT;
CREATE INDEX accounts_parent ON accounts (parent_id, id);
-- A key is refused when its account, or one above it, is not active: few are, and they are found at once.
CREATE INDEX accounts_inactive ON accounts (path) WHERE status <> 'active';

-- What a message was charged at accept (micro-units); NULL when its account was not charged.
ALTER TABLE messages ADD COLUMN price BIGINT;

-- Immutable: entries are only ever inserted.
CREATE TABLE ledger_entries (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  type TEXT NOT NULL,
  amount BIGINT NOT NULL,
  balance_after BIGINT NOT NULL,
  message_id TEXT,
  messages INTEGER,
  counterparty TEXT,
  description TEXT
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, seq);
`,
  },
  {
    id: 9,
    name: 'callback events',
    sql: `
-- The events a message's callback_url gets, comma-separated (as Kannel's dlr-mask); NULL: every one.
ALTER TABLE messages ADD COLUMN callback_events TEXT;
`,
  },
  {
    id: 10,
    name: 'account limits',
    sql: `
-- Trial: the account (and every account under it) sends only to its verified numbers.
ALTER TABLE accounts ADD COLUMN trial BOOLEAN NOT NULL DEFAULT false;
-- The addresses (JSON array of CIDRs) its keys may be used from; NULL: any. Ancestors' lists apply too.
ALTER TABLE accounts ADD COLUMN ip_allowlist TEXT;
-- API requests per second; NULL: the operator's default.
ALTER TABLE accounts ADD COLUMN api_rate DOUBLE PRECISION;

-- The numbers an account in trial may send to. A number waits for its code (code_hash set,
-- verified_at NULL) until the code is confirmed, or is verified at once by a parent.
CREATE TABLE verified_numbers (
  account_id TEXT NOT NULL,
  number TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  verified_at BIGINT,
  code_hash TEXT,
  code_sent_at BIGINT,
  code_expires_at BIGINT,
  -- Codes tried against the pending one: past a few, it is locked until a new code is sent.
  attempts INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, number)
);
`,
  },
  {
    id: 11,
    name: 'numbers and usage',
    sql: `
-- Numbers (E.164 or short codes) owned by accounts: what subscribers send to one is its owner's.
-- Nobody's number is the operator's. The inbound look-up is one primary-key seek.
CREATE TABLE numbers (
  number TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  assigned_at BIGINT NOT NULL
);
CREATE INDEX numbers_account ON numbers (account_id, number);
-- An account's subtree as one range of paths (byte order: '/' sorts just before '0').
CREATE INDEX accounts_path ON accounts (path COLLATE "C");

-- Usage counters per account, UTC day (days since 1970-01-01), destination country ('' unknown)
-- and connection, added to in the transactions that accept messages and that give them their
-- final status. Each writer adds to its own slot's row (PostgreSQL: the backend process id modulo 16), so that concurrent transactions
-- do not queue on one hot row; a read sums the slots. Money in micro-units.
CREATE TABLE usage_counts (
  account_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  country TEXT NOT NULL,
  connection TEXT NOT NULL,
  slot INTEGER NOT NULL,
  messages BIGINT NOT NULL DEFAULT 0,
  segments BIGINT NOT NULL DEFAULT 0,
  delivered BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  charged BIGINT NOT NULL DEFAULT 0,
  cost BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, day, country, connection, slot)
);
-- What was sent before: counted once, country unknown, no cost (routes' prices were not kept).
INSERT INTO usage_counts (account_id, day, country, connection, slot, messages, segments, delivered, failed, charged)
  SELECT account_id, created_at / 86400000, '', connection, 0, count(*), sum(segments),
         sum(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END),
         sum(CASE WHEN status IN ('undelivered', 'failed', 'rejected', 'expired') THEN 1 ELSE 0 END),
         sum(CASE WHEN provider_message_id IS NULL AND status IN ('failed', 'rejected', 'expired', 'canceled') THEN 0 ELSE COALESCE(price, 0) END)
    FROM messages GROUP BY account_id, created_at / 86400000, connection;
`,
  },
  {
    id: 12,
    name: 'quota slices, daily quota, low balance',
    sql: `
-- A daily message quota (NULL: none), counted per UTC day: quota_used messages on day quota_day
-- (days since 1970-01-01), those set aside in nodes' slices included.
ALTER TABLE accounts ADD COLUMN daily_quota INTEGER;
ALTER TABLE accounts ADD COLUMN quota_day INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN quota_used INTEGER NOT NULL DEFAULT 0;
-- Under this (balance + credit_limit, micro-units) the account is told once, until a credit lifts it again.
ALTER TABLE accounts ADD COLUMN low_balance_threshold BIGINT;
ALTER TABLE accounts ADD COLUMN low_balance_notified BOOLEAN NOT NULL DEFAULT false;
-- Money set aside in nodes' slices (the sum of their granted): not spendable at the centre.
ALTER TABLE accounts ADD COLUMN reserved BIGINT NOT NULL DEFAULT 0;
-- Each node's slice of an account: it charges accepts from it without the account's row lock.
-- spent is what it charged and has not yet entered in the ledger (pending_charges); q_* the
-- same for messages of the quota, on day. A slice past lease_until is taken back by any node.
CREATE TABLE balance_slices (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  node_id TEXT NOT NULL,
  granted BIGINT NOT NULL DEFAULT 0,
  spent BIGINT NOT NULL DEFAULT 0,
  q_granted INTEGER NOT NULL DEFAULT 0,
  q_spent INTEGER NOT NULL DEFAULT 0,
  day INTEGER NOT NULL DEFAULT 0,
  granted_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL,
  PRIMARY KEY (account_id, node_id)
);
CREATE INDEX balance_slices_lease ON balance_slices (lease_until) WHERE granted > 0 OR spent > 0 OR q_granted > 0;
CREATE INDEX balance_slices_node ON balance_slices (node_id, used_at) WHERE granted > 0 OR spent > 0 OR q_granted > 0;
-- Charges taken from a slice, entered in the ledger (in order) when the slice is settled.
CREATE TABLE pending_charges (
  seq BIGSERIAL PRIMARY KEY,
  account_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  id TEXT NOT NULL,
  at BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  message_id TEXT,
  messages INTEGER NOT NULL
);
CREATE INDEX pending_charges_slice ON pending_charges (account_id, node_id, seq);
`,
  },
  {
    id: 13,
    name: 'expiring messages, batched webhook posts',
    sql: `
-- A connection that cannot send expires its messages by validity: found through this, not by
-- walking every due message of its backlog.
CREATE INDEX messages_expiring ON messages (connection, expires_at) WHERE due_at IS NOT NULL;
-- An endpoint's batching: up to batch_max_events events in one POST, the first waiting at most
-- batch_max_wait_ms for company; NULL: one event per POST.
ALTER TABLE webhook_endpoints ADD COLUMN batch_max_events INTEGER;
ALTER TABLE webhook_endpoints ADD COLUMN batch_max_wait_ms INTEGER;
`,
  },
  {
    id: 14,
    name: 'compatible API credentials and protocols',
    sql: `
-- The ways an account may send (JSON array of api, vonage, twilio, smspartner, smpp); NULL: every one.
ALTER TABLE accounts ADD COLUMN protocols TEXT;

-- An account's credentials for a compatible API (a face): key is the public half (Vonage's
-- api_key), secret the private one, kept as given since the server signs and checks with it
-- (HMAC signatures need the secret itself, not a hash); settings is the face's own (JSON).
CREATE TABLE face_credentials (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  protocol TEXT NOT NULL,
  key TEXT NOT NULL,
  secret TEXT NOT NULL,
  settings TEXT NOT NULL,
  name TEXT,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE UNIQUE INDEX face_credentials_key ON face_credentials (protocol, key);
CREATE INDEX face_credentials_account ON face_credentials (account_id, created_at);

-- The face a message came through and its credential (vonage:cred_...); NULL: the native API.
ALTER TABLE messages ADD COLUMN face TEXT;
`,
  },
  {
    id: 15,
    name: 'smpp outbox',
    sql: `
-- What an account's SMPP receivers are owed, in order: receipts of its messages (kind receipt,
-- ref the message) and messages sent in to it (kind mo, ref the inbound message). A row is
-- leased while its deliver_sm is out (lease_until), and deleted once answered; it is dropped at
-- expires_at if no receiver took it.
CREATE TABLE smpp_outbox (
  seq BIGSERIAL PRIMARY KEY,
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  lease_until BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX smpp_outbox_account ON smpp_outbox (account_id, seq);
`,
  },
  {
    id: 16,
    name: 'compliance',
    sql: `
-- The account's compliance policies per message type (JSON); NULL: the operator's.
ALTER TABLE accounts ADD COLUMN compliance TEXT;

-- The duplicate guard's and frequency caps' counters: one row per account and key (a number
-- and text hash, or a number, type and period), counting the messages of its current window.
CREATE TABLE compliance_marks (
  account_id TEXT NOT NULL,
  key TEXT NOT NULL,
  window_end BIGINT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (account_id, key)
);
-- What the sweep deletes: counters whose window has ended.
CREATE INDEX compliance_marks_ended ON compliance_marks (window_end);
`,
  },
  {
    id: 18,
    name: 'connection quality',
    sql: `
-- When the message's current attempt was handed to its provider (it went to sent): the start of
-- its receipt's latency. Cleared when it goes back to a queue.
ALTER TABLE messages ADD COLUMN sent_at BIGINT;

-- Each connection's measured outcomes per destination (country and network, '' when unknown) and
-- UTC hour (hours since 1970-01-01), added to as they are recorded, in the transaction that
-- records them: submits (with their segments and cost), delivered, undelivered, unknown, and the
-- delivered receipts' latency from submit, one column per fixed bucket (l0 under 100 ms ... l12
-- over an hour). Each writer adds to its own slot's row (PostgreSQL: the backend process id modulo
-- 16); a read sums the slots. Keyed by hour first: the recent hours are one index range.
CREATE TABLE quality_counts (
  hour INTEGER NOT NULL,
  connection TEXT NOT NULL,
  country TEXT NOT NULL,
  network TEXT NOT NULL,
  slot INTEGER NOT NULL,
  submits BIGINT NOT NULL DEFAULT 0,
  segments BIGINT NOT NULL DEFAULT 0,
  delivered BIGINT NOT NULL DEFAULT 0,
  undelivered BIGINT NOT NULL DEFAULT 0,
  unknown BIGINT NOT NULL DEFAULT 0,
  cost BIGINT NOT NULL DEFAULT 0,
  l0 BIGINT NOT NULL DEFAULT 0,
  l1 BIGINT NOT NULL DEFAULT 0,
  l2 BIGINT NOT NULL DEFAULT 0,
  l3 BIGINT NOT NULL DEFAULT 0,
  l4 BIGINT NOT NULL DEFAULT 0,
  l5 BIGINT NOT NULL DEFAULT 0,
  l6 BIGINT NOT NULL DEFAULT 0,
  l7 BIGINT NOT NULL DEFAULT 0,
  l8 BIGINT NOT NULL DEFAULT 0,
  l9 BIGINT NOT NULL DEFAULT 0,
  l10 BIGINT NOT NULL DEFAULT 0,
  l11 BIGINT NOT NULL DEFAULT 0,
  l12 BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, connection, country, network, slot)
);
-- The undelivered, by canonical error code.
CREATE TABLE quality_errors (
  hour INTEGER NOT NULL,
  connection TEXT NOT NULL,
  country TEXT NOT NULL,
  network TEXT NOT NULL,
  code TEXT NOT NULL,
  slot INTEGER NOT NULL,
  count BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, connection, country, network, code, slot)
);
-- Connections degraded now, per destination country ('' : every destination); a row is removed
-- when its connection recovers. Written once by whichever node finds it first.
CREATE TABLE degradations (
  connection TEXT NOT NULL,
  country TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  since BIGINT NOT NULL,
  PRIMARY KEY (connection, country)
);
`,
  },
  {
    id: 19,
    name: 'lookups',
    sql: `
-- Live number lookups, each with the provider's answer for the number as received (raw) and as
-- read (reachability, network, ported, roaming, the canonical error), and what it was charged.
-- Read by number (the newest fresh one: the cache, routing and accept's refusal of dead numbers).
CREATE TABLE lookups (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  number TEXT NOT NULL,
  at BIGINT NOT NULL,
  connection TEXT NOT NULL,
  provider TEXT NOT NULL,
  reachability TEXT NOT NULL,
  network TEXT,
  ported BOOLEAN,
  roaming BOOLEAN,
  error TEXT,
  raw TEXT NOT NULL,
  price BIGINT
);
CREATE INDEX lookups_number ON lookups (number, at);

-- Accept refuses a recipient a fresh live lookup found dead.
ALTER TABLE accounts ADD COLUMN refuse_dead_numbers BOOLEAN NOT NULL DEFAULT false;
`,
  },
  {
    id: 20,
    name: 'dashboard users and sessions',
    sql: `
-- People who sign in to the dashboard, each in an account with a role; the password only as its
-- scrypt hash. failed_attempts and locked_until lock out a guesser.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  email TEXT NOT NULL UNIQUE,
  name TEXT,
  role TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  password_hash TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT
);
CREATE INDEX users_account ON users (account_id, created_at);

-- A signed-in browser: the SHA-256 of its cookie's token, and the CSRF token its writes carry.
CREATE TABLE sessions (
  hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The message log's filters, newest first within each: a filter that matches few messages (or
-- none) reads those, not the account's whole log.
CREATE INDEX messages_account_status ON messages (account_id, status, id);
CREATE INDEX messages_account_error ON messages (account_id, error_code, id);
CREATE INDEX messages_account_from ON messages (account_id, "from", id);

-- The overview's counters: messages accepted per account, UTC hour, connection and country, and how
-- they ended per canonical error (error_code '' for none). Written with each accept and final
-- status, each database session in its own slot (as usage_counts); read as one index range.
CREATE TABLE hourly_counts (
  account_id TEXT NOT NULL,
  hour BIGINT NOT NULL,
  connection TEXT NOT NULL,
  country TEXT NOT NULL,
  error_code TEXT NOT NULL,
  slot INTEGER NOT NULL,
  messages BIGINT NOT NULL DEFAULT 0,
  delivered BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  unknown BIGINT NOT NULL DEFAULT 0,
  charged BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, hour, connection, country, error_code, slot)
);
`,
  },
  {
    id: 21,
    name: 'message log filters, failures by provider code',
    sql: `
-- The message log's other filters, newest first within each: connection, route, message type and
-- destination country (the last three as the route kept at accept says), client_ref. The type and
-- client_ref indexes hold only the messages that have one.
CREATE INDEX messages_account_connection ON messages (account_id, connection, id);
CREATE INDEX messages_account_route ON messages (account_id, (route::json ->> 'name'), id);
CREATE INDEX messages_account_type ON messages (account_id, (route::json ->> 'type'), id) WHERE (route::json ->> 'type') IS NOT NULL;
CREATE INDEX messages_account_country ON messages (account_id, (route::json ->> 'country'), id);
CREATE INDEX messages_account_ref ON messages (account_id, client_ref, id) WHERE client_ref IS NOT NULL;
-- The failures page counts provider codes too: the counters gain the provider's code of the
-- messages that ended with one ('' for none), in the key.
ALTER TABLE hourly_counts ADD COLUMN provider_code TEXT NOT NULL DEFAULT '';
ALTER TABLE hourly_counts DROP CONSTRAINT hourly_counts_pkey;
ALTER TABLE hourly_counts ADD PRIMARY KEY (account_id, hour, connection, country, error_code, provider_code, slot);
`,
  },
  {
    id: 22,
    name: 'webhook resends and sign-in throttle',
    sql: `
-- A delivery queued again through the API: the delivery it resends (same event, same target).
ALTER TABLE webhook_deliveries ADD COLUMN resend_of TEXT;

-- Failed sign-ins counted per client address, and per user and address, in windows: what makes
-- one address unable to lock a user out or guess many users' passwords. A row whose window ended
-- counts nothing and is deleted by the next failure that looks.
CREATE TABLE sign_in_failures (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_end BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_ended ON sign_in_failures (window_end);
`,
  },
  {
    id: 24,
    name: 'idempotency keys expire',
    sql: `
-- Keys older than SWITCHBOARD_IDEMPOTENCY_HOURS are deleted, oldest first.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
`,
  },
  {
    id: 25,
    name: 'lookup notify urls',
    sql: `
-- Where a lookup's answer is posted once it comes (SMSPartner's face: its notifyUrl); NULL: nowhere.
ALTER TABLE lookups ADD COLUMN notify_url TEXT;
`,
  },
  {
    id: 26,
    name: 'webhook chains read by their own index',
    sql: `
-- Only an endpoint's deliveries are read by target in order (the age of its backlog, what is given
-- up when it is disabled or deleted). A statement that follows one message's chain to a target
-- states no endpoint: it cannot take this index for the chain's, which a planner without
-- statistics did, reading the target's whole backlog for every event.
DROP INDEX webhook_deliveries_target;
CREATE INDEX webhook_deliveries_target ON webhook_deliveries (target, seq) WHERE status = 'pending' AND endpoint_id IS NOT NULL;
`,
  },
  {
    id: 27,
    name: 'webhook log retention',
    // Built as first published (in the migrations' transaction) on the installs that applied it
    // then; the same index, concurrently, on those upgrading now.
    index: 'webhook_deliveries_event',
    sql: `
-- The webhook log is deleted once older than its retention; an event goes with its last delivery.
CREATE INDEX CONCURRENTLY IF NOT EXISTS webhook_deliveries_event ON webhook_deliveries (event_id);
`,
  },
];
