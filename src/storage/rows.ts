import type { TextEncoding } from '../core/encoding/segments.js';
import { FINAL_STATUSES, type MessageStatus } from '../core/lifecycle.js';
import type { Message, MessageError, MessageEvent } from '../core/message.js';
import type { MessageRoute } from '../core/routing/router.js';
import type { PriceList } from '../core/accounts/prices.js';
import type { Policies } from '../core/compliance/policy.js';
import type { FaceProtocol, Protocol } from '../core/access/protocols.js';
import type { FaceCredential, InboundMessage, ProviderIdRecord, SmppOwed, OwnedNumber, Account, AccountPatch, AccountStatus, KeyAccount, VerifiedNumber, LedgerEntry, LedgerType, ApiKeyRecord, ClaimedDelivery, ClaimedMessage, DeliveryAttempt, EndpointPatch, MessageFilter, NewMessage, WebhookBatching, WebhookDelivery, WebhookEndpoint, WebhookTargetStats, Transition } from '../app/store.js';
import { isScope } from '../core/access/scopes.js';

// How domain objects map to table rows, shared by every SQL engine. Times are epoch
// milliseconds; JSON columns hold text.

export interface MessageRow {
  price?: number | null;
  face?: string | null;
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
  callback_events: string | null;
  send_at: number | null;
  expires_at: number;
  created_at: number;
  updated_at: number;
  connection: string;
  route: string | null;
  attempts: number;
  provider_message_id: string | null;
  submitted_attempt: number;
  due_at: number | null;
  /** When its current attempt was handed to the provider (status sent); cleared when it goes back to a queue. */
  sent_at?: number | string | null;
}

/**
 * What a status change reads of its message once changed: its counters, refund, callback and
 * SMPP receipt. Read by name rather than returned whole (`RETURNING *`): SQLite hands back 27
 * columns at a third of the change's cost.
 */
const CHANGED = ['id', 'account_id', 'price', 'provider_message_id', 'connection', 'created_at', 'segments', 'sent_at', 'route', 'callback_url', 'callback_events', 'face', 'expires_at', 'send_at'] as const;
export const CHANGED_COLUMNS = CHANGED.join(', ');
export type ChangedRow = Pick<MessageRow, (typeof CHANGED)[number]>;

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

/**
 * Price lists parsed once per text: an account's list, read with its key on every request, is then
 * the same object each time, and its index (core/accounts/prices.ts) is built once, not per send.
 */
const priceLists = new Map<string, PriceList>();

function priceListOf(text: string | null): PriceList | null {
  if (text === null) return null;
  let list = priceLists.get(text);
  if (!list) {
    if (priceLists.size >= 10_000) priceLists.clear();
    priceLists.set(text, (list = JSON.parse(text) as PriceList));
  }
  return list;
}

// Objects here are built as one literal, with any spread last: in the V8 of Node 20, a spread
// followed by new properties takes a slow path of microseconds per object (a claimed message
// built as { ...message, claimedFrom } cost more than reading its row).

export function toMessage(row: MessageRow): Message {
  return messageWith(row);
}

/** A message from its row, with `extra` (a claim's fields) after its own. */
function messageWith<E extends object>(row: MessageRow, extra?: E): Message & E {
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
    callbackEvents: row.callback_events === null ? null : row.callback_events.split(','),
    sendAt: row.send_at === null ? null : Number(row.send_at),
    expiresAt: Number(row.expires_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    connection: row.connection,
    route: parseJson<MessageRoute>(row.route),
    attempts: Number(row.attempts),
    nextAttemptAt: row.status === 'queued' && Number(row.attempts) > 0 && row.due_at !== null ? Number(row.due_at) : null,
    providerMessageId: row.provider_message_id,
    ...(row.price !== null && row.price !== undefined && { price: Number(row.price) }),
    ...(row.face && { face: row.face }),
    ...(extra as E),
  };
}

/** A claimed message: whether its current attempt's submit may have left is read from its mark. */
export function toClaimed(row: MessageRow, claimedFrom: MessageStatus): ClaimedMessage {
  const attempts = Number(row.attempts);
  return messageWith(row, { claimedFrom, submitMarked: attempts > 0 && Number(row.submitted_attempt) === attempts });
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

/** A message as stored at accept, without what only the queue needs. */
export function messageOf(m: NewMessage): Message {
  const { dueAt: _due, ...message } = m;
  return message;
}

export interface EndpointRow {
  id: string;
  account_id: string;
  url: string;
  description: string | null;
  events: string;
  secret: string;
  created_at: number;
  failing_since: number | null;
  disabled_at: number | null;
  disabled_reason: string | null;
  batch_max_events: number | null;
  batch_max_wait_ms: number | null;
}

const nullableNumber = (v: number | null): number | null => (v === null ? null : Number(v));

export function endpointOf(r: EndpointRow): WebhookEndpoint {
  return {
    id: r.id,
    accountId: r.account_id,
    url: r.url,
    description: r.description,
    events: r.events.split(','),
    secret: r.secret,
    createdAt: Number(r.created_at),
    failingSince: nullableNumber(r.failing_since),
    disabledAt: nullableNumber(r.disabled_at),
    disabledReason: r.disabled_reason,
    batch: batchingOf(r),
  };
}

function batchingOf(r: { batch_max_events: number | null; batch_max_wait_ms: number | null }): WebhookBatching | null {
  return r.batch_max_events === null ? null : { maxEvents: Number(r.batch_max_events), maxWaitMs: Number(r.batch_max_wait_ms ?? 0) };
}

/** A claimed delivery as the `claimed` statement of both stores reads it. */
export type ClaimedRow = DeliveryRow & {
  event_type: string;
  event_created_at: number;
  event_data: string;
  secret: string;
  target_failures: number;
  batch_max_events: number | null;
  batch_max_wait_ms: number | null;
};

export function claimedOf(r: ClaimedRow): ClaimedDelivery {
  return deliveryWith(r, {
    event: { id: r.event_id, type: r.event_type, createdAt: Number(r.event_created_at), data: JSON.parse(r.event_data) as unknown },
    secret: r.secret,
    targetFailures: Number(r.target_failures),
    batch: batchingOf(r),
  });
}

/**
 * A delivery leased as it was made (see Store.leaseAsMade): its event as the transaction that
 * made it had it, not read back; its target has no failures, or it would not have been leased.
 */
export function leasedOf(r: DeliveryRow, event: ClaimedDelivery['event'], endpoint: { secret: string; batch_max_events: number | null; batch_max_wait_ms: number | null }): ClaimedDelivery {
  return deliveryWith(r, { event, secret: endpoint.secret, targetFailures: 0, batch: batchingOf(endpoint) });
}

/** How an SQL engine writes the message log's query: its nth parameter, a LIMIT of its nth, and a field of the route kept as JSON text. */
export interface LogDialect {
  placeholder(n: number): string;
  limit(n: number): string;
  routeField(key: 'name' | 'type' | 'country'): string;
}

/** A search by the start of a number: + and 2 to 15 digits (the + may be left out). */
const NUMBER_PREFIX = /^\+?([0-9]{2,15})$/;

/**
 * The message log's query, newest first, through the account's (account, id) index or the
 * (account, filtered column, id) index of one filter (migrations 20 and 21), which the engine
 * reads backwards from the cursor; the limit is the last parameter. A search by the start of a
 * number reads the (account, to, id) range of the numbers it matches, sorted by id: its ids from
 * the index alone, then only the page's rows.
 */
export function messageLogSql(accountId: string, filter: MessageFilter, limit: number, dialect: LogDialect): { sql: string; values: unknown[] } {
  const { placeholder, routeField } = dialect;
  const values: unknown[] = [accountId];
  const where = [`account_id = ${placeholder(1)}`];
  let ranged = false;
  const add = (column: string, op: string, value: unknown) => {
    values.push(value);
    where.push(`${column} ${op} ${placeholder(values.length)}`);
  };
  if (filter.status) add('status', '=', filter.status);
  if (filter.to) add('"to"', '=', filter.to);
  if (filter.from) add('"from"', '=', filter.from);
  if (filter.errorCode) add('error_code', '=', filter.errorCode);
  if (filter.connection) add('connection', '=', filter.connection);
  if (filter.route) add(routeField('name'), '=', filter.route);
  if (filter.type) add(routeField('type'), '=', filter.type);
  if (filter.country) add(routeField('country'), '=', filter.country);
  if (filter.search) {
    const digits = NUMBER_PREFIX.exec(filter.search)?.[1];
    if (filter.search.startsWith('msg_')) add('id', '=', filter.search);
    else if (digits) {
      ranged = true;
      // From +digits up to the next prefix of as many digits (none after +99...9): digits compare alike in every collation.
      add('"to"', '>=', `+${digits}`);
      const next = (BigInt(digits) + 1n).toString().padStart(digits.length, '0');
      if (next.length === digits.length) add('"to"', '<', `+${next}`);
    } else add('client_ref', '=', filter.search);
  }
  if (filter.since !== undefined) add('created_at', '>=', filter.since);
  if (filter.until !== undefined) add('created_at', '<', filter.until);
  if (filter.before) add('id', '<', filter.before);
  values.push(limit);
  const page = `SELECT ${ranged ? 'id' : '*'} FROM messages WHERE ${where.join(' AND ')} ORDER BY id DESC ${dialect.limit(values.length)}`;
  return { sql: ranged ? `SELECT * FROM messages WHERE id IN (${page}) ORDER BY id DESC` : page, values };
}

/** SET clauses for an endpoint patch; `placeholder(n)` writes the dialect's nth parameter. */
export function endpointSets(patch: EndpointPatch, placeholder: (n: number) => string): { sets: string[]; values: unknown[] } {
  const columns: [keyof EndpointPatch, string, (v: never) => unknown][] = [
    ['url', 'url', (v: string) => v],
    ['description', 'description', (v: string | null) => v],
    ['events', 'events', (v: readonly string[]) => v.join(',')],
    ['disabledAt', 'disabled_at', (v: number | null) => v],
    ['disabledReason', 'disabled_reason', (v: string | null) => v],
    ['failingSince', 'failing_since', (v: number | null) => v],
    ['batch', 'batch_max_events', (v: WebhookBatching | null) => v?.maxEvents ?? null],
    ['batch', 'batch_max_wait_ms', (v: WebhookBatching | null) => v?.maxWaitMs ?? null],
  ];
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [key, column, write] of columns) {
    if (patch[key] === undefined) continue;
    values.push(write(patch[key] as never));
    sets.push(`${column} = ${placeholder(values.length)}`);
  }
  return { sets, values };
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  account_id: string;
  message_id: string;
  endpoint_id: string | null;
  target: string;
  url: string;
  status: string;
  attempts: number;
  due_at: number | null;
  lease_owner: string | null;
  created_at: number;
  last_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  resend_of: string | null;
}

export function deliveryOf(r: DeliveryRow): WebhookDelivery {
  return deliveryWith(r);
}

/** A delivery from its row, with `extra` (a claim's fields) after its own. */
function deliveryWith<E extends object>(r: DeliveryRow, extra?: E): WebhookDelivery & E {
  return {
    id: r.id,
    eventId: r.event_id,
    accountId: r.account_id,
    messageId: r.message_id,
    endpointId: r.endpoint_id,
    url: r.url,
    status: r.status as WebhookDelivery['status'],
    attempts: Number(r.attempts),
    dueAt: nullableNumber(r.due_at),
    createdAt: Number(r.created_at),
    lastAttemptAt: nullableNumber(r.last_attempt_at),
    lastStatusCode: nullableNumber(r.last_status_code),
    lastError: r.last_error,
    resendOf: r.resend_of,
    ...(extra as E),
  };
}

/** A delivery to resend, with its endpoint as it is now: null columns when it has none, or it was deleted. */
export type ResendSourceRow = DeliveryRow & { target: string; endpoint_found: string | null; endpoint_url: string | null; endpoint_disabled_at: number | string | null };

export interface TargetRow {
  endpoint_id: string;
  pending: number;
  in_flight: number;
  failures: number;
  oldest: number | null;
  delivered: number;
  failed: number;
}

export function targetOf(r: TargetRow): WebhookTargetStats {
  return {
    endpointId: r.endpoint_id,
    pending: Number(r.pending),
    inFlight: Number(r.in_flight),
    failures: Number(r.failures),
    oldestPendingAt: nullableNumber(r.oldest),
    delivered: Number(r.delivered),
    failed: Number(r.failed),
  };
}

export interface AttemptRow {
  at: number;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  response_excerpt: string | null;
}

export function attemptOf(r: AttemptRow): DeliveryAttempt {
  return { at: Number(r.at), statusCode: nullableNumber(r.status_code), error: r.error, latencyMs: Number(r.latency_ms), responseExcerpt: r.response_excerpt };
}

export interface ApiKeyRow {
  id: string;
  account_id: string;
  name: string | null;
  prefix: string;
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export const API_KEY_COLUMNS = 'id, account_id, name, prefix, scopes, created_at, last_used_at, revoked_at';

export function apiKeyOf(r: ApiKeyRow): ApiKeyRecord {
  return {
    id: r.id,
    accountId: r.account_id,
    name: r.name,
    prefix: r.prefix,
    // A scope this version does not know (written by a newer one) grants nothing.
    scopes: r.scopes.split(',').filter(isScope),
    createdAt: Number(r.created_at),
    lastUsedAt: nullableNumber(r.last_used_at),
    revokedAt: nullableNumber(r.revoked_at),
  };
}

/** A page of parked receipts as `strandedReceipts` returns it: the known ones once each, and where to look next. */
export function strandedOf(
  rows: readonly { id: number; connection: string; providerMessageId: string; known: number | boolean }[],
  limit: number,
): { stranded: { connection: string; providerMessageId: string }[]; next: number } {
  const seen = new Map<string, { connection: string; providerMessageId: string }>();
  for (const r of rows) if (r.known) seen.set(`${r.connection}\u0000${r.providerMessageId}`, { connection: r.connection, providerMessageId: r.providerMessageId });
  return { stranded: [...seen.values()], next: rows.length < limit ? 0 : Math.max(...rows.map((r) => Number(r.id))) };
}

export interface AccountRow {
  id: string;
  parent_id: string | null;
  path: string;
  name: string;
  status: string;
  currency: string;
  balance: number;
  credit_limit: number;
  prices: string | null;
  allowed_senders: string | null;
  trial: boolean | number;
  ip_allowlist: string | null;
  api_rate: number | null;
  protocols?: string | null;
  daily_quota: number | null;
  quota_day: number;
  quota_used: number;
  low_balance_threshold: number | null;
  refuse_dead_numbers?: boolean | number;
  compliance?: string | null;
  /** PostgreSQL only; the sums of the account's slices where read with them. */
  reserved?: number;
  pending?: number | null;
  created_at: number;
}

export function accountOf(r: AccountRow): Account {
  return {
    id: r.id,
    parentId: r.parent_id,
    path: r.path,
    name: r.name,
    status: r.status as AccountStatus,
    currency: r.currency,
    balance: Number(r.balance),
    creditLimit: Number(r.credit_limit),
    prices: priceListOf(r.prices),
    allowedSenders: parseJson<string[]>(r.allowed_senders),
    trial: Boolean(r.trial),
    ipAllowlist: parseJson<string[]>(r.ip_allowlist),
    apiRate: r.api_rate === null ? null : Number(r.api_rate),
    protocols: parseJson<Protocol[]>(r.protocols ?? null),
    dailyQuota: nullableNumber(r.daily_quota),
    quotaDay: Number(r.quota_day),
    quotaUsed: Number(r.quota_used),
    lowBalanceThreshold: nullableNumber(r.low_balance_threshold),
    refuseDeadNumbers: Boolean(r.refuse_dead_numbers),
    compliance: parseJson<Policies>(r.compliance ?? null),
    reserved: Number(r.reserved ?? 0) - Number(r.pending ?? 0),
    pending: Number(r.pending ?? 0),
    createdAt: Number(r.created_at),
  };
}

/** An account patch as SET clauses, with `placeholder(i)` for the i-th value. */
export function accountSets(patch: AccountPatch, placeholder: (i: number) => string): { sets: string[]; values: unknown[] } {
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = ${placeholder(values.length)}`);
  };
  if (patch.name !== undefined) set('name', patch.name);
  if (patch.status !== undefined) set('status', patch.status);
  if (patch.creditLimit !== undefined) set('credit_limit', patch.creditLimit);
  if (patch.prices !== undefined) set('prices', json(patch.prices));
  if (patch.allowedSenders !== undefined) set('allowed_senders', json(patch.allowedSenders));
  if (patch.trial !== undefined) set('trial', patch.trial ? 1 : 0);
  if (patch.ipAllowlist !== undefined) set('ip_allowlist', json(patch.ipAllowlist));
  if (patch.apiRate !== undefined) set('api_rate', patch.apiRate);
  if (patch.protocols !== undefined) set('protocols', json(patch.protocols));
  if (patch.dailyQuota !== undefined) set('daily_quota', patch.dailyQuota);
  if (patch.lowBalanceThreshold !== undefined) set('low_balance_threshold', patch.lowBalanceThreshold);
  if (patch.refuseDeadNumbers !== undefined) set('refuse_dead_numbers', patch.refuseDeadNumbers ? 1 : 0);
  if (patch.compliance !== undefined) set('compliance', json(patch.compliance));
  return { sets, values };
}

export interface LedgerRow {
  seq: number;
  id: string;
  account_id: string;
  at: number;
  type: string;
  amount: number;
  balance_after: number;
  message_id: string | null;
  messages: number | null;
  counterparty: string | null;
  description: string | null;
}

export function ledgerOf(r: LedgerRow): LedgerEntry {
  return {
    seq: Number(r.seq),
    id: r.id,
    accountId: r.account_id,
    at: Number(r.at),
    type: r.type as LedgerType,
    amount: Number(r.amount),
    balanceAfter: Number(r.balance_after),
    messageId: r.message_id,
    messages: nullableNumber(r.messages),
    counterparty: r.counterparty,
    description: r.description,
  };
}

/**
 * The account of a key or credential, from its row: status, trial and address lists as the
 * look-up computed them over the account's branch. Its owned numbers (`owned_numbers`, read only
 * for an account held to a list) are allowed senders too.
 */
export function keyAccountOf(r: AccountRow & { ip_allowlists: string | null; owned_numbers?: string | string[] | null }): KeyAccount {
  const a = accountOf(r);
  const lists = (parseJson<string[]>(r.ip_allowlists) ?? []).map((list) => JSON.parse(list) as string[]);
  const owned = typeof r.owned_numbers === 'string' ? (JSON.parse(r.owned_numbers) as string[]) : (r.owned_numbers ?? []);
  const allowedSenders = a.allowedSenders && owned.length > 0 ? [...a.allowedSenders, ...owned] : a.allowedSenders;
  return { status: a.status, path: a.path, currency: a.currency, prices: a.prices, allowedSenders, trial: a.trial, ipAllowlists: lists, apiRate: a.apiRate, protocols: a.protocols, dailyQuota: a.dailyQuota, refuseDeadNumbers: a.refuseDeadNumbers, compliance: a.compliance };
}

export interface VerifiedNumberRow {
  account_id: string;
  number: string;
  created_at: number;
  verified_at: number | null;
  code_hash: string | null;
  code_sent_at: number | null;
  code_expires_at: number | null;
  attempts: number;
}

export function verifiedNumberOf(r: VerifiedNumberRow): VerifiedNumber {
  return {
    accountId: r.account_id,
    number: r.number,
    createdAt: Number(r.created_at),
    verifiedAt: r.verified_at === null ? null : Number(r.verified_at),
    code: r.code_hash === null ? null : { hash: r.code_hash, sentAt: Number(r.code_sent_at), expiresAt: Number(r.code_expires_at), attempts: Number(r.attempts) },
  };
}

/** A verified number as the values of its columns, in VERIFIED_NUMBER_COLUMNS order. */
export function verifiedNumberValues(n: VerifiedNumber): unknown[] {
  return [n.accountId, n.number, n.createdAt, n.verifiedAt, n.code?.hash ?? null, n.code?.sentAt ?? null, n.code?.expiresAt ?? null, n.code?.attempts ?? 0];
}

export const VERIFIED_NUMBER_COLUMNS = 'account_id, number, created_at, verified_at, code_hash, code_sent_at, code_expires_at, attempts';

/**
 * What the key look-up reads of the accounts from the root down to the key's account `a`: whether
 * one of them is in trial, the address lists of those that have one, and the status the branch
 * acts under. `ancestry` matches an account `p` whose id is in a's path: each is found by its key,
 * so the cost is the tree's depth, however many accounts are in trial, limited or inactive.
 */
export function branchColumns(sql: { readonly ancestry: string; readonly inTrial: string; readonly listsAsJson: string }): string {
  return `EXISTS (SELECT 1 FROM accounts p WHERE ${sql.ancestry} AND ${sql.inTrial}) AS trial,
              (SELECT ${sql.listsAsJson} FROM accounts p WHERE ${sql.ancestry} AND p.ip_allowlist IS NOT NULL) AS ip_allowlists,
              ${branchStatus(sql.ancestry)} AS status`;
}

/** Blocked if the account or one above it is, else disabled if one is, else active. */
export function branchStatus(ancestry: string): string {
  return `CASE WHEN EXISTS (SELECT 1 FROM accounts p WHERE ${ancestry} AND p.status = 'blocked') THEN 'blocked'
              WHEN EXISTS (SELECT 1 FROM accounts p WHERE ${ancestry} AND p.status = 'disabled') THEN 'disabled' ELSE 'active' END`;
}

/**
 * What a request needs of the account `a` it authenticates as, for a key or a credential alike
 * (read by keyAccountOf): `branch` is the engine's branchColumns, `ownedAsJson` its aggregate of
 * `n.number` as a JSON array; the status is the account's
 * own, or that of the highest account above it that is not active.
 */
export function keyAccountColumns(branch: string, ownedAsJson: string): string {
  return `a.path, a.currency, a.prices, a.allowed_senders, a.ip_allowlist, a.api_rate, a.protocols, a.daily_quota, a.refuse_dead_numbers, a.compliance, ${branch},
  CASE WHEN a.allowed_senders IS NULL THEN NULL ELSE (SELECT ${ownedAsJson} FROM numbers n WHERE n.account_id = a.id) END AS owned_numbers`;
}

export interface FaceCredentialRow {
  id: string;
  account_id: string;
  protocol: string;
  key: string;
  secret: string;
  settings: string;
  name: string | null;
  created_at: number;
  revoked_at: number | null;
}

export const FACE_CREDENTIAL_COLUMNS = 'id, account_id, protocol, key, secret, settings, name, created_at, revoked_at';

export function faceCredentialOf(r: FaceCredentialRow): FaceCredential {
  return {
    id: r.id,
    accountId: r.account_id,
    protocol: r.protocol as FaceProtocol,
    key: r.key,
    secret: r.secret,
    settings: JSON.parse(r.settings) as Record<string, string | null>,
    name: r.name,
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  };
}

/** A credential's values in FACE_CREDENTIAL_COLUMNS order. */
export function faceCredentialValues(c: FaceCredential): unknown[] {
  return [c.id, c.accountId, c.protocol, c.key, c.secret, JSON.stringify(c.settings), c.name, c.createdAt, c.revokedAt];
}

export const LEDGER_COLUMNS = 'id, account_id, at, type, amount, balance_after, message_id, messages, counterparty, description';

/** Statuses a charged message is refunded in, when it never reached a provider. */
export const REFUNDED_STATUSES: readonly string[] = ['failed', 'rejected', 'expired', 'canceled'];

/** Where a message's event of `type` goes besides the endpoints: its callback_url, if it asked for that event. */
export function callbackFor(m: { readonly callbackUrl: string | null; readonly callbackEvents: readonly string[] | null }, type: string, alsoAs?: string): string | null {
  const taken = m.callbackEvents === null || m.callbackEvents.includes(type) || (alsoAs !== undefined && m.callbackEvents.includes(alsoAs));
  return m.callbackUrl !== null && taken ? m.callbackUrl : null;
}

/**
 * The event a change also stands for in a callback's filter: a read that came without a
 * delivered before it tells the delivery too (a filter of final receipts, as a compatible API's
 * delivery receipt, takes it; after a delivered it is news only to a filter that names it).
 */
export function alsoAs(t: Pick<Transition, 'from' | 'to'>): string | undefined {
  return t.to === 'read' && !t.from.every((f) => f === 'delivered') ? 'message.delivered' : undefined;
}

/** callbackFor a status change, read from a row without making the whole message of it (a status change's hot path). */
export function rowCallbackFor(row: Pick<MessageRow, 'callback_url' | 'callback_events'>, type: string, t: Pick<Transition, 'from' | 'to'>): string | null {
  return callbackFor({ callbackUrl: row.callback_url, callbackEvents: row.callback_events === null ? null : row.callback_events.split(',') }, type, alsoAs(t));
}

export interface NumberRow {
  number: string;
  account_id: string;
  assigned_at: number;
}

export function numberOf(r: NumberRow): OwnedNumber {
  return { number: r.number, accountId: r.account_id, assignedAt: Number(r.assigned_at) };
}

export interface InboundRow {
  id: string;
  account_id: string;
  connection: string;
  from: string;
  to: string;
  text: string;
  received_at: number;
  payload: string | null;
}

export function toInbound(r: InboundRow): InboundMessage {
  return { id: r.id, accountId: r.account_id, connection: r.connection, from: r.from, to: r.to, text: r.text, receivedAt: r.received_at, payload: parseJson<unknown>(r.payload) };
}

/**
 * Until when a receipt owed to a message's SMPP sessions waits for one: a message sent over SMPP
 * with a receipt asked for (its face `smpp:<receipt mode>:<credential>...`) owes one on its final change, kept as
 * long as the message's own validity, counted from the change. Undefined: none owed. A `read`
 * after `delivered` owes none: SMPP has no read state, and its receipt was DELIVRD already.
 */
export function smppReceiptUntil(row: Pick<MessageRow, 'face' | 'expires_at' | 'created_at' | 'send_at'>, t: Pick<Transition, 'from' | 'to'>, at: number): number | undefined {
  if (!row.face?.startsWith('smpp:') || !FINAL_STATUSES.has(t.to)) return undefined;
  if (t.to === 'read' && t.from.every((f) => f === 'delivered')) return undefined;
  return at + (row.expires_at - (row.send_at ?? row.created_at));
}

/** How long a message sent in waits for the account's SMPP receivers: the default validity of a message. */
export const SMPP_INBOUND_HOLD_MS = 48 * 3600 * 1000;

export interface SmppOutboxRow {
  seq: number;
  kind: 'receipt' | 'mo';
  ref: string;
  expires_at: number;
  attempts: number;
}

/** Claimed outbox rows with what they refer to, in order; a row whose message is gone is left out. */
export function owed(rows: readonly SmppOutboxRow[], messages: ReadonlyMap<string, Message>, inbound: ReadonlyMap<string, InboundMessage>): SmppOwed[] {
  return rows.flatMap((r): SmppOwed[] => {
    const message = r.kind === 'receipt' ? messages.get(r.ref) : undefined;
    if (message) return [{ seq: r.seq, attempts: r.attempts, kind: 'receipt', message }];
    const mo = r.kind === 'mo' ? inbound.get(r.ref) : undefined;
    return mo ? [{ seq: r.seq, attempts: r.attempts, kind: 'mo', inbound: mo }] : [];
  });
}

export interface ProviderIdRow {
  provider_message_id: string;
  message_id: string;
  part: number;
  parts: number;
}

export function providerIdOf(connection: string, r: ProviderIdRow): ProviderIdRecord {
  return { connection, providerMessageId: r.provider_message_id, messageId: r.message_id, part: Number(r.part), parts: Number(r.parts) };
}
