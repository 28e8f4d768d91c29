import pg from 'pg';
import type {
  AcceptWrite,
  Account,
  AccountPatch,
  KeyAccount,
  LedgerEntry,
  LedgerFilter,
  NewAccount,
  ApiKeyRecord,
  NewApiKey,
  AttemptOutcome,
  Claim,
  ClaimedDelivery,
  DeliveryClaim,
  ClaimedMessage,
  SubmitMark,
  DeliveryAttempt,
  EndpointPatch,
  Notice,
  OptOut,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookTargetStats,
  IdempotencyWrite,
  InboundMessage,
  SmppOwed,
  MessageFilter,
  NewMessage,
  ParkedReceipt,
  ProviderIdRecord,
  SavedTopology,
  Store,
  StoredIdempotency,
  StoreWrite,
  Transition,
  FaceCredential,
} from '../../app/store.js';
import type { FaceProtocol } from '../../core/access/protocols.js';
import type { MessageStatus } from '../../core/lifecycle.js';
import type { Message, MessageEvent } from '../../core/message.js';
import type { Route } from '../../core/routing/router.js';
import { newId } from '../../app/ids.js';
import { lifecycleEvent } from '../../core/events.js';
import {
  accountOf,
  keyAccountOf,
  accountSets,
  ledgerOf,
  LEDGER_COLUMNS,
  REFUNDED_STATUSES,
  type AccountRow,
  type LedgerRow,
  API_KEY_COLUMNS,
  apiKeyOf,
  attemptOf,
  deliveryOf,
  endpointOf,
  endpointSets,
  eventValues,
  json,
  callbackFor,
  rowCallbackFor,
  messageOf,
  strandedOf,
  parseJson,
  toEvent,
  toClaimed,
  faceCredentialOf,
  faceCredentialValues,
  FACE_CREDENTIAL_COLUMNS,
  KEY_ACCOUNT_COLUMNS,
  type FaceCredentialRow,
  toMessage,
  type ApiKeyRow,
  type AttemptRow,
  type DeliveryRow,
  type EndpointRow,
  type EventRow,
  type MessageRow,
  type TargetRow,
  targetOf,
  owed,
  smppReceiptUntil,
  SMPP_INBOUND_HOLD_MS,
  toInbound,
  type InboundRow,
  type SmppOutboxRow,
} from '../rows.js';
import { MIGRATIONS } from './migrations.js';
import { RECEIPT_SQL } from './receipt-sql.js';
import { WEBHOOK_SQL } from './webhook-sql.js';
import { SMPP_SQL } from './smpp-sql.js';

export interface PostgresOptions {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** A schema to live in (created if missing); default the database's search_path. */
  readonly schema?: string;
  readonly maxConnections?: number;
}

type Client = pg.PoolClient;

/** Times are BIGINT epoch milliseconds: read them as numbers, not strings. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Arbitrary key of the advisory lock that lets one node at a time migrate. */
const MIGRATION_LOCK = 727_465_001;

const MESSAGE_COLUMNS = `id, account_id, "to", "from", text, encoding, segments, status, error_code, error, client_ref,
  callback_url, send_at, expires_at, created_at, updated_at, connection, attempts, provider_message_id, due_at, lease_owner, route, price, callback_events, face`;

/**
 * The Store on PostgreSQL, shared by any number of nodes: the system of record and the dispatch
 * queue. Claims take rows with FOR UPDATE SKIP LOCKED, so each due message goes to one node;
 * every write of a batch commits in one transaction, as on SQLite.
 */
export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #schema: string | undefined;

  constructor(options: PostgresOptions) {
    this.#schema = options.schema;
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      types,
      ...(options.schema && { options: `-c search_path=${quoteIdent(options.schema)}` }),
    });
  }

  async #tx<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async #rows<T>(text: string, values: readonly unknown[] = []): Promise<T[]> {
    return (await this.#pool.query(text, values as unknown[])).rows as T[];
  }

  async migrate(): Promise<void> {
    if (this.#schema) await this.#pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.#schema)}`);
    await this.#tx(async (c) => {
      // Nodes starting together: one migrates, the others wait and then find nothing to do.
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const applied = new Set((await c.query<{ id: number }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
      for (const m of MIGRATIONS) {
        if (applied.has(m.id)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [m.id, m.name, Date.now()]);
      }
    });
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async ensureAccount(id: string, name: string, now: number): Promise<boolean> {
    const r = await this.#pool.query('INSERT INTO accounts (id, name, created_at, path) VALUES ($1, $2, $3, $1) ON CONFLICT (id) DO NOTHING', [id, name, now]);
    return (r.rowCount ?? 0) > 0;
  }

  async createAccount(a: NewAccount): Promise<void> {
    const r = await this.#pool.query(
      `INSERT INTO accounts (id, parent_id, path, name, currency, prices, created_at) SELECT $1, id, path || '/' || $1, $2, $3, $4, $5 FROM accounts WHERE id = $6`,
      [a.id, a.name, a.currency, json(a.prices), a.createdAt, a.parentId],
    );
    if ((r.rowCount ?? 0) === 0) throw new Error(`no parent account ${a.parentId}`);
  }

  async getAccount(id: string): Promise<Account | undefined> {
    const [row] = await this.#rows<AccountRow>('SELECT * FROM accounts WHERE id = $1', [id]);
    return row && accountOf(row);
  }

  async listAccounts(parentId: string): Promise<Account[]> {
    return (await this.#rows<AccountRow>('SELECT * FROM accounts WHERE parent_id = $1 ORDER BY created_at, id', [parentId])).map(accountOf);
  }

  async updateAccount(id: string, patch: AccountPatch): Promise<boolean> {
    const { sets, values } = accountSets(patch, (i) => `$${i}`);
    if (sets.length === 0) return (await this.getAccount(id)) !== undefined;
    const r = await this.#pool.query(`UPDATE accounts SET ${sets.join(', ')} WHERE id = $${values.length + 1}`, [...values, id]);
    return (r.rowCount ?? 0) > 0;
  }

  async topUp(t: { id: string; accountId: string; amount: number; at: number; description: string | null }): Promise<LedgerEntry> {
    return this.#tx(async (c) => {
      const entry = await post(c, { id: t.id, accountId: t.accountId, at: t.at, type: 'top_up', amount: t.amount, messageId: null, messages: null, counterparty: null, description: t.description });
      if (!entry) throw new Error(`no account ${t.accountId}`);
      return entry;
    });
  }

  async transfer(m: { from: string; to: string; amount: number; at: number; ids: readonly [string, string]; description: string | null }): Promise<LedgerEntry | undefined> {
    return this.#tx(async (c) => {
      const common = { at: m.at, messageId: null, messages: null, description: m.description };
      const out = await post(c, { ...common, id: m.ids[0], accountId: m.from, type: 'transfer_out', amount: -m.amount, counterparty: m.to }, 'zero');
      if (!out) return undefined;
      await post(c, { ...common, id: m.ids[1], accountId: m.to, type: 'transfer_in', amount: m.amount, counterparty: m.from });
      return out;
    });
  }

  async listLedger(accountId: string, f: LedgerFilter, limit: number): Promise<LedgerEntry[]> {
    const rows = await this.#rows<LedgerRow>(
      `SELECT seq, ${LEDGER_COLUMNS} FROM ledger_entries WHERE account_id = $1 AND ($2::text IS NULL OR type = $2) AND ($3::bigint IS NULL OR at >= $3)
         AND ($4::bigint IS NULL OR at < $4) AND ($5::bigint IS NULL OR seq < $5) ORDER BY seq DESC LIMIT $6`,
      [accountId, f.type ?? null, f.since ?? null, f.until ?? null, f.before ?? null, limit],
    );
    return rows.map(ledgerOf);
  }

  async insertApiKey(key: NewApiKey): Promise<void> {
    await this.#pool.query('INSERT INTO api_keys (id, account_id, hash, prefix, name, scopes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      key.id, key.accountId, key.hash, key.prefix, key.name, key.scopes.join(','), key.createdAt,
    ]);
  }

  async findApiKeys(hashes: readonly string[]): Promise<(ApiKeyRecord & { hash: string; account: KeyAccount })[]> {
    const rows = await this.#rows<ApiKeyRow & AccountRow & { hash: string }>(
      `SELECT k.id, k.account_id, k.name, k.prefix, k.scopes, k.created_at, k.last_used_at, k.revoked_at, k.hash, ${KEY_ACCOUNT_COLUMNS}
         FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.hash = ANY($1) AND k.revoked_at IS NULL`,
      [hashes],
    );
    return rows.map((r) => ({ ...apiKeyOf(r), hash: r.hash, account: keyAccountOf(r) }));
  }

  async insertFaceCredential(c: FaceCredential): Promise<void> {
    await this.#pool.query(`INSERT INTO face_credentials (${FACE_CREDENTIAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, faceCredentialValues(c));
  }

  async findFaceCredential(protocol: FaceProtocol, key: string): Promise<(FaceCredential & { account: KeyAccount }) | undefined> {
    const [row] = await this.#rows<FaceCredentialRow & AccountRow>(
      `SELECT c.*, ${KEY_ACCOUNT_COLUMNS} FROM face_credentials c JOIN accounts a ON a.id = c.account_id WHERE c.protocol = $1 AND c.key = $2 AND c.revoked_at IS NULL`,
      [protocol, key],
    );
    return row && { ...faceCredentialOf(row), account: keyAccountOf(row) };
  }

  async getFaceCredential(id: string): Promise<FaceCredential | undefined> {
    const [row] = await this.#rows<FaceCredentialRow>(`SELECT ${FACE_CREDENTIAL_COLUMNS} FROM face_credentials WHERE id = $1`, [id]);
    return row && faceCredentialOf(row);
  }

  async listFaceCredentials(accountId: string): Promise<FaceCredential[]> {
    return (await this.#rows<FaceCredentialRow>(`SELECT ${FACE_CREDENTIAL_COLUMNS} FROM face_credentials WHERE account_id = $1 ORDER BY created_at, id`, [accountId])).map(faceCredentialOf);
  }

  async revokeFaceCredential(accountId: string, id: string, at: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query('UPDATE face_credentials SET revoked_at = $1 WHERE account_id = $2 AND id = $3 AND revoked_at IS NULL', [at, accountId, id]);
    return (rowCount ?? 0) > 0;
  }

  async listApiKeys(accountId: string): Promise<ApiKeyRecord[]> {
    return (await this.#rows<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE account_id = $1 ORDER BY created_at, id`, [accountId])).map(apiKeyOf);
  }

  async revokeApiKey(accountId: string, id: string, at: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query('UPDATE api_keys SET revoked_at = $1 WHERE account_id = $2 AND id = $3 AND revoked_at IS NULL', [at, accountId, id]);
    return (rowCount ?? 0) > 0;
  }

  async touchApiKeys(ids: readonly string[], at: number): Promise<void> {
    await this.#pool.query('UPDATE api_keys SET last_used_at = $1 WHERE id = ANY($2) AND (last_used_at IS NULL OR last_used_at < $1)', [at, ids]);
  }

  async insertMessages(writes: readonly AcceptWrite[]): Promise<(string | undefined)[]> {
    return this.#tx(async (c) => {
      const touched: Touch[] = [];
      // Charges first, in account order: two nodes charging the same accounts lock them in one order.
      const balances = new Map<AcceptWrite, number | null>();
      const charged = writes.filter((w) => w.charge).sort((a, b) => (a.charge!.accountId < b.charge!.accountId ? -1 : a.charge!.accountId > b.charge!.accountId ? 1 : 0));
      for (const w of charged) {
        const ch = w.charge!;
        const entry = await post(
          c,
          { id: ch.entryId, accountId: ch.accountId, at: ch.at, type: 'charge', amount: -ch.amount, messageId: w.messages[0]?.id ?? null, messages: w.messages.length, counterparty: null, description: null },
          'credit',
        );
        if (entry) balances.set(w, entry.balanceAfter);
      }
      for (const w of writes) if (!w.charge) balances.set(w, null);
      const stored = writes.filter((w) => balances.has(w));
      const messages = stored.flatMap((w) => w.messages);
      if (messages.length > 0) {
        // One statement whatever the batch size: a column array per field.
        const columns: unknown[][] = Array.from({ length: 25 }, () => []);
        for (const m of messages) {
          const values = [
            m.id, m.accountId, m.to, m.from, m.text, m.encoding, m.segments, m.status, m.error?.code ?? null, json(m.error), m.clientRef,
            m.callbackUrl, m.sendAt, m.expiresAt, m.createdAt, m.updatedAt, m.connection, m.attempts, m.providerMessageId, m.dueAt, null, json(m.route), m.price ?? null, m.callbackEvents?.join(',') ?? null, m.face ?? null,
          ];
          values.forEach((v, i) => columns[i]!.push(v));
        }
        const casts = ['text', 'text', 'text', 'text', 'text', 'text', 'int', 'text', 'text', 'text', 'text', 'text', 'bigint', 'bigint', 'bigint', 'bigint', 'text', 'int', 'text', 'bigint', 'text', 'text', 'bigint', 'text', 'text'];
        await c.query(`INSERT INTO messages (${MESSAGE_COLUMNS}) SELECT * FROM unnest(${casts.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`, columns);
        await emit(
          c,
          messages.filter((m) => m.status === 'queued').map((m) => ({ accountId: m.accountId, messageId: m.id, callbackUrl: callbackFor(m, 'message.queued'), type: 'message.queued', at: m.createdAt, data: messageOf(m) })),
          touched,
        );
      }
      const responses = writes.map((w) => (balances.has(w) ? w.respond(balances.get(w)!) : undefined));
      for (const [k, w] of writes.entries()) {
        const i = w.idempotency;
        if (!i || responses[k] === undefined) continue;
        await c.query('INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          i.accountId, i.key, i.requestHash, i.statusCode, responses[k], i.createdAt,
        ]);
      }
      await touchTargets(c, touched);
      return responses;
    });
  }

  async getMessage(accountId: string, id: string): Promise<Message | undefined> {
    const [row] = await this.#rows<MessageRow>('SELECT * FROM messages WHERE id = $1 AND account_id = $2', [id, accountId]);
    return row && toMessage(row);
  }

  async findMessage(id: string): Promise<Message | undefined> {
    const [row] = await this.#rows<MessageRow>('SELECT * FROM messages WHERE id = $1', [id]);
    return row && toMessage(row);
  }

  async listEvents(accountId: string, messageId: string): Promise<MessageEvent[]> {
    return (
      await this.#rows<EventRow>(
        'SELECT at, type, status, error, detail, payload FROM message_events WHERE message_id = $1 AND EXISTS (SELECT 1 FROM messages WHERE id = $1 AND account_id = $2) ORDER BY id',
        [messageId, accountId],
      )
    ).map(toEvent);
  }

  async listMessages(accountId: string, filter: MessageFilter, limit: number): Promise<Message[]> {
    const params: unknown[] = [accountId];
    const where = ['account_id = $1'];
    const add = (column: string, op: string, value: unknown) => {
      params.push(value);
      where.push(`${column} ${op} $${params.length}`);
    };
    if (filter.status) add('status', '=', filter.status);
    if (filter.to) add('"to"', '=', filter.to);
    if (filter.from) add('"from"', '=', filter.from);
    if (filter.errorCode) add('error_code', '=', filter.errorCode);
    if (filter.since !== undefined) add('created_at', '>=', filter.since);
    if (filter.until !== undefined) add('created_at', '<', filter.until);
    if (filter.before) add('id', '<', filter.before);
    params.push(limit);
    const rows = await this.#rows<MessageRow>(`SELECT * FROM messages WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`, params);
    return rows.map(toMessage);
  }

  async applyWrites(writes: readonly StoreWrite[]): Promise<boolean[]> {
    return this.#tx(async (c) => {
      const applied = new Array<boolean>(writes.length).fill(false);
      const touched: Touch[] = [];
      // A few statements per round, whatever the batch size. A message written twice in one
      // batch (sent, then its receipt) has its second write in a later round: order holds.
      for (const round of rounds(writes)) {
        const transitions = round.filter((i) => 'transition' in writes[i]!);
        const done = await transitionAll(c, transitions.map((i) => (writes[i] as { transition: Transition }).transition), touched);
        transitions.forEach((i, k) => (applied[i] = done[k]!));
        const marks = round.filter((i) => 'submitting' in writes[i]!);
        const marked = await markAll(c, marks.map((i) => (writes[i] as { submitting: SubmitMark }).submitting));
        marks.forEach((i, k) => (applied[i] = marked[k]!));
        for (const i of round) if ('note' in writes[i]!) applied[i] = true;
        await insertEvents(
          c,
          round.flatMap((i): [string, MessageEvent][] => {
            const w = writes[i]!;
            if (!applied[i] || 'submitting' in w) return [];
            return ['note' in w ? [w.note.messageId, w.note.event] : [w.transition.messageId, w.transition.event]];
          }),
        );
      }
      await touchTargets(c, touched);
      return applied;
    });
  }

  async claimDue(claim: Claim): Promise<ClaimedMessage[]> {
    const { connection, now, limit, owner, leaseUntil } = claim;
    const mode = claim.mode ?? 'send';
    const send = mode === 'send';
    return this.#tx(async (c) => {
      // SKIP LOCKED: rows another node is claiming right now are left to it, not waited for.
      const rows = (
        await c.query<MessageRow & { claimed_from: MessageStatus }>(
          `WITH picked AS (
             SELECT id, status FROM messages
              WHERE connection = $1 AND due_at <= $2 ${mode === 'expired' ? 'AND expires_at <= $2' : ''}
              ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED
           )
           UPDATE messages m SET lease_owner = $4, due_at = $5,
             attempts = m.attempts + (CASE WHEN $6 AND m.status IN ('queued', 'scheduled') AND m.expires_at > $2 THEN 1 ELSE 0 END),
             updated_at = CASE WHEN $6 AND m.status IN ('queued', 'scheduled') AND m.expires_at > $2 THEN $2 ELSE m.updated_at END,
             status = CASE WHEN $6 AND m.status IN ('queued', 'scheduled') AND m.expires_at > $2 THEN 'sending' ELSE m.status END
           FROM picked WHERE m.id = picked.id
           RETURNING m.*, picked.status AS claimed_from`,
          [connection, now, limit, owner, leaseUntil, send],
        )
      ).rows;
      const claimed = rows.map((row) => toClaimed(row, row.claimed_from));
      const started = claimed.filter((m) => m.status === 'sending' && m.claimedFrom !== 'sending');
      await insertEvents(
        c,
        started.flatMap((m) => claim.startEvents({ ...m, status: m.claimedFrom, attempts: m.attempts - 1 }).map((e): [string, MessageEvent] => [m.id, e])),
      );
      // A scheduled message is queued when its send_at comes: that is its message.queued.
      const touched: Touch[] = [];
      await emit(
        c,
        started
          .filter((m) => m.claimedFrom === 'scheduled')
          .map(({ claimedFrom: _from, ...m }) => ({ accountId: m.accountId, messageId: m.id, callbackUrl: callbackFor(m, 'message.queued'), type: 'message.queued', at: now, data: { ...m, status: 'queued', attempts: m.attempts - 1 } })),
        touched,
      );
      await touchTargets(c, touched);
      return claimed;
    });
  }

  async releaseLeases(now: number): Promise<number> {
    return (await this.#pool.query('UPDATE messages SET due_at = $1, lease_owner = NULL WHERE lease_owner IS NOT NULL', [now])).rowCount ?? 0;
  }

  async renewLeases(owner: string, messageIds: readonly string[], leaseUntil: number): Promise<number> {
    const r = await this.#pool.query("UPDATE messages SET due_at = $3 WHERE lease_owner = $1 AND status = 'sending' AND id = ANY($2::text[])", [owner, messageIds, leaseUntil]);
    return r.rowCount ?? 0;
  }

  async queueDepth(): Promise<Record<string, number>> {
    const rows = await this.#rows<{ connection: string; n: number }>(
      "SELECT connection, count(*)::int AS n FROM messages WHERE due_at IS NOT NULL AND status IN ('queued', 'scheduled') GROUP BY connection",
    );
    return Object.fromEntries(rows.map((r) => [r.connection, r.n]));
  }

  async findProviderId(connection: string, providerMessageId: string): Promise<ProviderIdRecord | undefined> {
    const [row] = await this.#rows<{ message_id: string; part: number; parts: number }>(
      'SELECT message_id, part, parts FROM provider_ids WHERE connection = $1 AND provider_message_id = $2',
      [connection, providerMessageId],
    );
    return row && { connection, providerMessageId, messageId: row.message_id, part: row.part, parts: row.parts };
  }

  async awaitingReceipts(connection: string): Promise<{ providerMessageId: string; to: string }[]> {
    return this.#rows<{ providerMessageId: string; to: string }>(
      `SELECT p.provider_message_id AS "providerMessageId", m."to" AS "to" FROM messages m JOIN provider_ids p ON p.message_id = m.id AND p.connection = m.connection
        WHERE m.connection = $1 AND m.status = 'sent' AND m.due_at IS NOT NULL AND p.state IS NULL ORDER BY m.id, p.part`,
      [connection],
    );
  }

  async setPartState(connection: string, providerMessageId: string, state: MessageStatus): Promise<void> {
    await this.#pool.query('UPDATE provider_ids SET state = $1 WHERE connection = $2 AND provider_message_id = $3', [state, connection, providerMessageId]);
  }

  async partStates(messageId: string): Promise<{ part: number; parts: number; state: MessageStatus | null }[]> {
    return this.#rows('SELECT part, parts, state FROM provider_ids WHERE message_id = $1 ORDER BY part', [messageId]);
  }

  async parkReceipt(receipt: ParkedReceipt): Promise<void> {
    await this.#pool.query('INSERT INTO parked_receipts (connection, provider_message_id, received_at, receipt) VALUES ($1, $2, $3, $4)', [
      receipt.connection,
      receipt.providerMessageId,
      receipt.receivedAt,
      JSON.stringify(receipt.receipt),
    ]);
  }

  async countParkedReceipts(): Promise<number> {
    const [row] = await this.#rows<{ n: number }>('SELECT count(*)::int AS n FROM parked_receipts');
    return row!.n;
  }

  async parkedReceipts(connection: string, providerMessageIds: readonly string[]): Promise<ParkedReceipt[]> {
    const rows = await this.#rows<{ connection: string; provider_message_id: string; received_at: number; receipt: string }>(
      'SELECT * FROM parked_receipts WHERE connection = $1 AND provider_message_id = ANY($2::text[]) ORDER BY id',
      [connection, providerMessageIds],
    );
    return rows.map((r) => ({ connection: r.connection, providerMessageId: r.provider_message_id, receivedAt: Number(r.received_at), receipt: JSON.parse(r.receipt) as unknown }));
  }

  async dropParkedReceipt(connection: string, providerMessageIds: readonly string[], receipt: unknown): Promise<number> {
    const result = await this.#pool.query('DELETE FROM parked_receipts WHERE connection = $1 AND provider_message_id = ANY($2::text[]) AND receipt = $3', [
      connection,
      providerMessageIds,
      JSON.stringify(receipt),
    ]);
    return result.rowCount ?? 0;
  }

  async strandedReceipts(after: number, limit: number): Promise<{ stranded: { connection: string; providerMessageId: string }[]; next: number }> {
    const rows = await this.#rows<{ id: number; connection: string; providerMessageId: string; known: boolean }>(RECEIPT_SQL.stranded, [after, limit]);
    return strandedOf(rows, limit);
  }

  async getIdempotency(accountId: string, key: string): Promise<StoredIdempotency | undefined> {
    const [row] = await this.#rows<{ request_hash: string; status_code: number; response: string }>(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE account_id = $1 AND key = $2',
      [accountId, key],
    );
    return row && { requestHash: row.request_hash, statusCode: row.status_code, response: row.response };
  }

  async loadTopology(): Promise<SavedTopology | undefined> {
    const [row] = await this.#rows<{ file_hash: string; topology: string; updated_at: number }>('SELECT file_hash, topology, updated_at FROM topology WHERE id = 1');
    return row && { fileHash: row.file_hash, ...(JSON.parse(row.topology) as { connections: Record<string, unknown>[]; routes: Route[] }), updatedAt: row.updated_at };
  }

  async saveTopology(saved: SavedTopology): Promise<void> {
    await this.#pool.query(
      `INSERT INTO topology (id, file_hash, topology, updated_at) VALUES (1, $1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET file_hash = excluded.file_hash, topology = excluded.topology, updated_at = excluded.updated_at`,
      [saved.fileHash, JSON.stringify({ connections: saved.connections, routes: saved.routes }), saved.updatedAt],
    );
  }

  async insertInbound(m: InboundMessage): Promise<void> {
    await this.#tx(async (c) => {
      await c.query('INSERT INTO inbound_messages (id, account_id, connection, "from", "to", text, received_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
        m.id, m.accountId, m.connection, m.from, m.to, m.text, m.receivedAt, json(m.payload),
      ]);
      const touched: Touch[] = [];
      await emit(c, [{ accountId: m.accountId, messageId: m.id, callbackUrl: null, type: 'message.received', at: m.receivedAt, data: m }], touched);
      await touchTargets(c, touched);
      await c.query(SMPP_SQL.oweInbound, [m.accountId, m.id, m.receivedAt + SMPP_INBOUND_HOLD_MS]);
    });
  }

  async claimSmppOutbox(accountId: string, now: number, leaseUntil: number, limit: number): Promise<SmppOwed[]> {
    return this.#tx(async (c) => {
      const rows = (await c.query<SmppOutboxRow>(SMPP_SQL.claim, [accountId, now, leaseUntil, limit])).rows.sort((a, b) => a.seq - b.seq);
      const expired = rows.filter((r) => r.expires_at <= now);
      const live = rows.filter((r) => r.expires_at > now);
      if (expired.length > 0) await c.query(SMPP_SQL.finish, [expired.map((r) => r.seq)]);
      const refs = (kind: SmppOutboxRow['kind']) => live.filter((r) => r.kind === kind).map((r) => r.ref);
      const messages = refs('receipt').length === 0 ? [] : (await c.query<MessageRow>(SMPP_SQL.messages, [refs('receipt')])).rows;
      const inbound = refs('mo').length === 0 ? [] : (await c.query<InboundRow>(SMPP_SQL.inbound, [refs('mo')])).rows;
      return owed(live, new Map(messages.map((r) => [r.id, toMessage(r)])), new Map(inbound.map((r) => [r.id, toInbound(r)])));
    });
  }

  async finishSmppOutbox(seqs: readonly number[]): Promise<void> {
    if (seqs.length > 0) await this.#pool.query(SMPP_SQL.finish, [seqs]);
  }

  async retrySmppOutbox(seqs: readonly number[], at: number): Promise<void> {
    if (seqs.length > 0) await this.#pool.query(SMPP_SQL.retry, [seqs, at]);
  }

  async insertEndpoint(e: WebhookEndpoint): Promise<void> {
    await this.#tx(async (c) => {
      await c.query(
        `INSERT INTO webhook_endpoints (id, account_id, url, description, events, secret, created_at, failing_since, disabled_at, disabled_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [e.id, e.accountId, e.url, e.description, e.events.join(','), e.secret, e.createdAt, e.failingSince, e.disabledAt, e.disabledReason],
      );
      // Its target exists before its first event: nodes queuing events at once then update one
      // row instead of racing to insert it.
      await c.query('INSERT INTO webhook_targets (target, endpoint_id) VALUES ($1, $1) ON CONFLICT DO NOTHING', [e.id]);
    });
  }

  async listEndpoints(accountId: string): Promise<WebhookEndpoint[]> {
    return (await this.#rows<EndpointRow>('SELECT * FROM webhook_endpoints WHERE account_id = $1 ORDER BY created_at, id', [accountId])).map(endpointOf);
  }

  async getEndpoint(accountId: string, id: string): Promise<WebhookEndpoint | undefined> {
    const [row] = await this.#rows<EndpointRow>('SELECT * FROM webhook_endpoints WHERE account_id = $1 AND id = $2', [accountId, id]);
    return row && endpointOf(row);
  }

  async updateEndpoint(accountId: string, id: string, patch: EndpointPatch): Promise<boolean> {
    const { sets, values } = endpointSets(patch, (n) => `$${n}`);
    if (sets.length === 0) return (await this.getEndpoint(accountId, id)) !== undefined;
    const n = values.length;
    const r = await this.#pool.query(`UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE account_id = $${n + 1} AND id = $${n + 2}`, [...values, accountId, id]);
    if ((r.rowCount ?? 0) > 0 && patch.disabledAt) await this.#pool.query(WEBHOOK_SQL.wake, [id, patch.disabledAt]);
    return (r.rowCount ?? 0) > 0;
  }

  async deleteEndpoint(accountId: string, id: string): Promise<boolean> {
    return this.#tx(async (c) => {
      const r = await c.query('DELETE FROM webhook_endpoints WHERE account_id = $1 AND id = $2', [accountId, id]);
      if ((r.rowCount ?? 0) === 0) return false;
      // What was still on its way there is dropped with it.
      await c.query(WEBHOOK_SQL.dropTarget, [id]);
      await c.query('DELETE FROM webhook_targets WHERE target = $1', [id]);
      return true;
    });
  }

  async disableEndpoint(accountId: string, id: string, disabled: { at: number; reason: string; notice: Notice; event: unknown }): Promise<boolean> {
    return this.#tx(async (c) => {
      const r = await c.query('UPDATE webhook_endpoints SET disabled_at = $1, disabled_reason = $2 WHERE account_id = $3 AND id = $4 AND disabled_at IS NULL', [disabled.at, disabled.reason, accountId, id]);
      if (r.rowCount === 0) return false;
      const n = disabled.notice;
      await c.query('INSERT INTO notices (account_id, at, type, message, detail) VALUES ($1, $2, $3, $4, $5)', [accountId, n.at, n.type, n.message, json(n.detail)]);
      const touched: Touch[] = [];
      await emit(c, [{ accountId, messageId: id, callbackUrl: null, type: 'endpoint.disabled', at: disabled.at, data: disabled.event }], touched);
      await touchTargets(c, touched);
      await c.query(WEBHOOK_SQL.wake, [id, disabled.at]);
      return true;
    });
  }

  async callbackSecret(accountId: string, create: () => string): Promise<string> {
    await this.#pool.query('INSERT INTO callback_secrets (account_id, secret) VALUES ($1, $2) ON CONFLICT (account_id) DO NOTHING', [accountId, create()]);
    const [row] = await this.#rows<{ secret: string }>('SELECT secret FROM callback_secrets WHERE account_id = $1', [accountId]);
    return row!.secret;
  }

  /** What was on its way to an endpoint since disabled is dropped, with the reason, as it comes due. */
  /**
   * Looks at targets, not at the backlog: the targets due with room (locked, so one node claims
   * from a target at a time, and skipped when another node has it), then each one's due
   * deliveries through its index. What was on its way to an endpoint since disabled is dropped,
   * with the reason, as it comes due.
   */
  async claimDeliveries(claim: DeliveryClaim): Promise<ClaimedDelivery[]> {
    const { now, limit, perTarget, owner, leaseUntil } = claim;
    return this.#tx(async (c) => {
      const taken = (await c.query<{ seq: number }>(WEBHOOK_SQL.lapsed, [now, limit, leaseUntil, owner])).rows.map((r) => r.seq);
      const targets = (
        await c.query<{ target: string; in_flight: number; failures: number; version: number; disabled_at: number | null; disabled_reason: string | null }>(WEBHOOK_SQL.activeTargets, [now, perTarget, limit])
      ).rows;
      for (const t of targets) {
        const room = limit - taken.length;
        if (room <= 0) break;
        if (t.disabled_at !== null) {
          const reason = t.disabled_reason === null ? 'endpoint disabled' : `endpoint disabled: ${t.disabled_reason}`;
          const dropped = (await c.query(WEBHOOK_SQL.dropWaiting, [t.target, room, reason])).rowCount ?? 0;
          if (dropped > 0) await c.query(WEBHOOK_SQL.dropped, [t.target, dropped]);
          if (dropped < room) await c.query(WEBHOOK_SQL.parkTarget, [t.target, now, t.version]);
          continue;
        }
        const cap = t.failures > 0 ? 1 : perTarget;
        const leased = (await c.query<{ seq: number }>(WEBHOOK_SQL.leaseReady, [t.target, now, Math.min(room, cap - t.in_flight), leaseUntil, owner])).rows;
        if (leased.length === 0) {
          await c.query(WEBHOOK_SQL.parkTarget, [t.target, now, t.version]);
          continue;
        }
        await c.query(WEBHOOK_SQL.addInFlight, [t.target, leased.length]);
        taken.push(...leased.map((r) => r.seq));
      }
      if (taken.length === 0) return [];
      const rows = (await c.query<DeliveryRow & { event_type: string; event_created_at: number; event_data: string; secret: string; target_failures: number }>(WEBHOOK_SQL.claimed, [taken])).rows;
      return rows.map((r) => ({
        ...deliveryOf(r),
        event: { id: r.event_id, type: r.event_type, createdAt: r.event_created_at, data: JSON.parse(r.event_data) as unknown },
        secret: r.secret,
        targetFailures: r.target_failures,
      }));
    });
  }

  async renewDeliveryLeases(owner: string, deliveryIds: readonly string[], leaseUntil: number): Promise<number> {
    const r = await this.#pool.query("UPDATE webhook_deliveries SET due_at = $3 WHERE lease_owner = $1 AND status = 'pending' AND id = ANY($2::text[])", [owner, deliveryIds, leaseUntil]);
    return r.rowCount ?? 0;
  }

  async recordAttempt(o: AttemptOutcome): Promise<boolean> {
    return (await this.recordAttempts([o]))[0]!;
  }

  async recordAttempts(outcomes: readonly AttemptOutcome[]): Promise<boolean[]> {
    return this.#tx(async (c) => {
      const held: boolean[] = [];
      const answered: unknown[][] = [];
      for (const o of outcomes) held.push(await recordOne(c, o, answered));
      // Targets last, in their order (see WEBHOOK_SQL).
      answered.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      for (const params of answered) await c.query(WEBHOOK_SQL.answered, params);
      return held;
    });
  }

  async webhookTargets(endpointIds?: readonly string[]): Promise<WebhookTargetStats[]> {
    return (await this.#rows<TargetRow>(WEBHOOK_SQL.targets, [endpointIds ?? null])).map(targetOf);
  }

  async listDeliveries(accountId: string, filter: { endpointId?: string; messageId?: string }, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.#rows<DeliveryRow>(
      `SELECT * FROM webhook_deliveries WHERE account_id = $1 AND ($2::text IS NULL OR endpoint_id = $2) AND ($3::text IS NULL OR message_id = $3) ORDER BY seq DESC LIMIT $4`,
      [accountId, filter.endpointId ?? null, filter.messageId ?? null, limit],
    );
    return rows.map(deliveryOf);
  }

  async getDelivery(accountId: string, id: string): Promise<{ delivery: WebhookDelivery; attempts: DeliveryAttempt[] } | undefined> {
    const [row] = await this.#rows<DeliveryRow>('SELECT * FROM webhook_deliveries WHERE account_id = $1 AND id = $2', [accountId, id]);
    if (!row) return undefined;
    const attempts = await this.#rows<AttemptRow>('SELECT * FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id', [id]);
    return { delivery: deliveryOf(row), attempts: attempts.map(attemptOf) };
  }

  async listNotices(accountId: string, limit: number): Promise<Notice[]> {
    const rows = await this.#rows<{ at: number; type: string; message: string; detail: string | null }>('SELECT at, type, message, detail FROM notices WHERE account_id = $1 ORDER BY id DESC LIMIT $2', [accountId, limit]);
    return rows.map((r) => ({ at: r.at, type: r.type, message: r.message, detail: parseJson<Record<string, unknown>>(r.detail) }));
  }

  async optedOut(accountId: string, sender: string, numbers: readonly string[]): Promise<Set<string>> {
    if (numbers.length === 0) return new Set();
    const rows = await this.#rows<{ number: string }>(`SELECT number FROM opt_outs WHERE account_id = $1 AND sender IN ($2, '*') AND number = ANY($3::text[])`, [accountId, sender, numbers]);
    return new Set(rows.map((r) => r.number));
  }

  async setOptOut(accountId: string, o: OptOut, optedOut: boolean): Promise<boolean> {
    const r = optedOut
      ? await this.#pool.query('INSERT INTO opt_outs (account_id, sender, number, created_at, source) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [accountId, o.sender, o.number, o.createdAt, o.source])
      : await this.#pool.query('DELETE FROM opt_outs WHERE account_id = $1 AND sender = $2 AND number = $3', [accountId, o.sender, o.number]);
    return (r.rowCount ?? 0) > 0;
  }

  async listOptOuts(accountId: string, filter: { sender?: string; number?: string }, limit: number): Promise<OptOut[]> {
    const rows = await this.#rows<{ sender: string; number: string; created_at: number; source: string }>(
      `SELECT sender, number, created_at, source FROM opt_outs WHERE account_id = $1 AND ($2::text IS NULL OR sender = $2) AND ($3::text IS NULL OR number = $3) ORDER BY created_at DESC LIMIT $4`,
      [accountId, filter.sender ?? null, filter.number ?? null, limit],
    );
    return rows.map((r) => ({ sender: r.sender, number: r.number, createdAt: r.created_at, source: r.source }));
  }

  async listInbound(accountId: string, before: string | undefined, limit: number): Promise<InboundMessage[]> {
    const rows = await this.#rows<InboundRow>('SELECT * FROM inbound_messages WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3', [accountId, before ?? '\uffff', limit]);
    return rows.map(toInbound);
  }

  /** Drops the schema this store lives in: for tests that made their own. */
  async dropSchema(): Promise<void> {
    if (this.#schema) await this.#pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.#schema)} CASCADE`);
  }
}

/**
 * Adds `amount` to an account's balance and writes its ledger entry. With a floor, only if the
 * balance after stays at or above it (zero, or -credit_limit): one conditional update, which
 * PostgreSQL re-checks on the row's newest version when another transaction changed it first.
 */
async function post(c: Client, e: Omit<LedgerEntry, 'seq' | 'balanceAfter'>, floor?: 'zero' | 'credit'): Promise<LedgerEntry | undefined> {
  const guard = floor === 'zero' ? ' AND balance + $2 >= 0' : floor === 'credit' ? ' AND balance + $2 >= -credit_limit' : '';
  const [row] = (await c.query<{ balance: number }>(`UPDATE accounts SET balance = balance + $2 WHERE id = $1${guard} RETURNING balance`, [e.accountId, e.amount])).rows;
  if (!row) return undefined;
  const [{ seq }] = (
    await c.query<{ seq: number }>(`INSERT INTO ledger_entries (${LEDGER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq`, [
      e.id, e.accountId, e.at, e.type, e.amount, row.balance, e.messageId, e.messages, e.counterparty, e.description,
    ])
  ).rows as [{ seq: number }];
  return { ...e, seq, balanceAfter: row.balance };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** One answer of recordAttempts, in its transaction. */
async function recordOne(c: Client, o: AttemptOutcome, answered: unknown[][]): Promise<boolean> {
  const a = o.attempt;
  const held = (
    await c.query<{ message_id: string; target: string }>(WEBHOOK_SQL.record, [a.at, a.statusCode, a.error, o.result === 'retry' ? 'pending' : o.result, o.retryAt, o.deliveryId, o.owner])
  ).rows[0];
  if (!held) return false;
  await c.query('INSERT INTO webhook_attempts (delivery_id, at, status_code, error, latency_ms, response_excerpt) VALUES ($1, $2, $3, $4, $5, $6)', [
    o.deliveryId, a.at, a.statusCode, a.error, a.latencyMs, a.responseExcerpt,
  ]);
  const ended = o.result === 'retry' ? 0 : 1;
  if (ended) await c.query(WEBHOOK_SQL.promote, [a.at, held.message_id, held.target]);
  answered.push([held.target, o.result === 'delivered' ? 1 : 0, ended, o.retryAt, a.at]);
  if (o.endpointId) {
    await c.query(
      o.result === 'delivered' ? 'UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1' : 'UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $2) WHERE id = $1',
      o.result === 'delivered' ? [o.endpointId] : [o.endpointId, a.at],
    );
  }
  return true;
}

async function insertEvents(c: Client, events: readonly (readonly [string, MessageEvent])[]): Promise<void> {
  if (events.length === 0) return;
  const columns: unknown[][] = Array.from({ length: 7 }, () => []);
  for (const [id, e] of events) eventValues(id, e).forEach((v, i) => columns[i]!.push(v));
  await c.query(
    'INSERT INTO message_events (message_id, at, type, status, error, detail, payload) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])',
    columns,
  );
}

/** Splits writes into rounds in which each message appears once, keeping each message's order. */
function rounds(writes: readonly StoreWrite[]): number[][] {
  const out: number[][] = [];
  const seen = new Map<string, number>();
  writes.forEach((w, i) => {
    const id = 'note' in w ? w.note.messageId : 'submitting' in w ? w.submitting.messageId : w.transition.messageId;
    const round = (seen.get(id) ?? -1) + 1;
    seen.set(id, round);
    (out[round] ??= []).push(i);
  });
  return out;
}

/** Marks submits of distinct messages in one statement, each only while its claim holds; returns which applied. */
async function markAll(c: Client, marks: readonly SubmitMark[]): Promise<boolean[]> {
  if (marks.length === 0) return [];
  const r = await c.query<{ id: string }>(
    `UPDATE messages m SET submitted_attempt = w.attempt
     FROM unnest($1::text[], $2::text[], $3::int[]) AS w(id, owner, attempt)
     WHERE m.id = w.id AND m.status = 'sending' AND m.lease_owner = w.owner AND m.attempts = w.attempt
     RETURNING m.id`,
    [marks.map((k) => k.messageId), marks.map((k) => k.owner), marks.map((k) => k.attempt)],
  );
  const done = new Set(r.rows.map((row) => row.id));
  return marks.map((k) => done.has(k.messageId));
}

/** Applies transitions of distinct messages in one statement; returns which applied. */
async function transitionAll(c: Client, ts: readonly Transition[], touched: Touch[]): Promise<boolean[]> {
  if (ts.length === 0) return [];
  const ids = ts.flatMap((t) => t.providerIds ?? []);
  if (ids.length > 0) {
    await c.query(
      `INSERT INTO provider_ids (connection, provider_message_id, message_id, part, parts)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[]) ON CONFLICT DO NOTHING`,
      [ids.map((r) => r.connection), ids.map((r) => r.providerMessageId), ids.map((r) => r.messageId), ids.map((r) => r.part), ids.map((r) => r.parts)],
    );
  }
  const r = await c.query<MessageRow>(
    `UPDATE messages m SET status = w.status, updated_at = w.at, due_at = w.due, lease_owner = NULL,
       error = CASE WHEN w.set_error THEN w.error ELSE m.error END,
       error_code = CASE WHEN w.set_error THEN w.error_code ELSE m.error_code END,
       connection = COALESCE(w.connection, m.connection),
       provider_message_id = COALESCE(w.provider_message_id, m.provider_message_id),
       attempts = m.attempts + w.increment
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::boolean[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[], $12::text[], $13::int[])
       AS w(id, status, at, due, set_error, error, error_code, connection, provider_message_id, increment, allowed, claim_owner, claim_attempt)
     WHERE m.id = w.id AND m.status = ANY(string_to_array(w.allowed, ','))
       AND (w.claim_owner IS NULL OR (m.lease_owner = w.claim_owner AND m.attempts = w.claim_attempt))
     RETURNING m.*`,
    [
      ts.map((t) => t.messageId),
      ts.map((t) => t.to),
      ts.map((t) => t.event.at),
      ts.map((t) => t.dueAt),
      ts.map((t) => t.error !== undefined),
      ts.map((t) => json(t.error)),
      ts.map((t) => t.error?.code ?? null),
      ts.map((t) => t.connection ?? null),
      ts.map((t) => t.providerMessageId ?? null),
      ts.map((t) => (t.attemptsDelta ?? 0)),
      ts.map((t) => t.from.join(',')),
      ts.map((t) => t.claim?.owner ?? null),
      ts.map((t) => t.claim?.attempt ?? null),
    ],
  );
  const applied = new Map(r.rows.map((row) => [row.id, row]));
  for (const t of ts) {
    const row = applied.get(t.messageId);
    if (row?.price && row.provider_message_id === null && REFUNDED_STATUSES.includes(t.to)) {
      await post(c, { id: newId('led', t.event.at), accountId: row.account_id, at: t.event.at, type: 'refund', amount: Number(row.price), messageId: row.id, messages: 1, counterparty: null, description: t.to });
    }
  }
  const receipts = ts.flatMap((t) => {
    const row = applied.get(t.messageId);
    const until = row && smppReceiptUntil(row, t.to, t.event.at);
    return row && until !== undefined ? [{ accountId: row.account_id, ref: row.id, until }] : [];
  });
  if (receipts.length > 0) {
    await c.query(SMPP_SQL.owe, [receipts.map((r) => r.accountId), receipts.map(() => 'receipt'), receipts.map((r) => r.ref), receipts.map((r) => r.until)]);
  }
  await emit(
    c,
    ts.flatMap((t) => {
      const row = applied.get(t.messageId);
      const type = row && lifecycleEvent(t.from, t.to);
      return row && type ? [{ accountId: row.account_id, messageId: row.id, callbackUrl: rowCallbackFor(row, type), type, at: t.event.at, data: toMessage(row) }] : [];
    }),
    touched,
  );
  return ts.map((t) => applied.has(t.messageId));
}

interface Emitted {
  readonly accountId: string;
  readonly messageId: string;
  readonly callbackUrl: string | null;
  readonly type: string;
  readonly at: number;
  readonly data: unknown;
}

/**
 * Queues webhook events, in the transaction of the changes they tell, for every enabled endpoint
 * of the account that takes their type and for messages' own callback URLs.
 */
async function emit(c: Client, items: readonly Emitted[], touched: Touch[]): Promise<void> {
  if (items.length === 0) return;
  const accounts = [...new Set(items.map((i) => i.accountId))];
  const subscribed = new Set(
    (await c.query<{ account_id: string }>('SELECT DISTINCT account_id FROM webhook_endpoints WHERE disabled_at IS NULL AND account_id = ANY($1::text[])', [accounts])).rows.map((r) => r.account_id),
  );
  const events = items.filter((i) => i.callbackUrl || subscribed.has(i.accountId)).map((i) => ({ ...i, id: newId('evt', i.at) }));
  if (events.length === 0) return;
  const col = <K extends keyof (typeof events)[number]>(k: K) => events.map((e) => e[k]);
  await c.query('INSERT INTO webhook_events (id, account_id, message_id, type, created_at, data) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])', [
    col('id'), col('accountId'), col('messageId'), col('type'), col('at'), events.map((e) => JSON.stringify(e.data)),
  ]);
  touched.push(...(await c.query<Touch>(WEBHOOK_SQL.emit, [col('id'), col('accountId'), col('messageId'), col('type'), col('at'), col('callbackUrl')])).rows);
}

/** A delivery made, as its target counts it. */
interface Touch {
  readonly target: string;
  readonly endpoint_id: string | null;
  readonly due_at: number | null;
}

/** Counts what `emit` made on its targets: call it last in the transaction (see WEBHOOK_SQL). */
async function touchTargets(c: Client, touched: readonly Touch[]): Promise<void> {
  if (touched.length === 0) return;
  const by = new Map<string, { endpointId: string | null; n: number; due: number | null; dues: number }>();
  for (const t of touched) {
    const e = by.get(t.target) ?? { endpointId: t.endpoint_id, n: 0, due: null, dues: 0 };
    e.n++;
    if (t.due_at !== null) (e.dues++, (e.due = e.due === null ? t.due_at : Math.min(e.due, t.due_at)));
    by.set(t.target, e);
  }
  const targets = [...by.keys()].sort();
  const rows = targets.map((t) => by.get(t)!);
  await c.query(WEBHOOK_SQL.touchTargets, [targets, rows.map((r) => r.endpointId), rows.map((r) => r.n), rows.map((r) => r.due), rows.map((r) => r.dues)]);
}
