import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type {
  AcceptWrite,
  Account,
  AccountStatus,
  AccountPatch,
  KeyAccount,
  LedgerEntry,
  LedgerFilter,
  StoredLookup,
  NewAccount,
  VerifiedNumber,
  ApiKeyRecord,
  NewApiKey,
  AttemptOutcome,
  Claim,
  ClaimedDelivery,
  DeliveryClaim,
  DeliveryTaker,
  ClaimedMessage,
  SubmitMark,
  DeliveryAttempt,
  EndpointPatch,
  Notice,
  OptOut,
  Mark,
  MarkWrite,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookTargetStats,
  IdempotencyWrite,
  InboundMessage,
  SmppOwed,
  MessageFilter,
  OwnedNumber,
  UsageRecord,
  NewMessage,
  ParkedReceipt,
  ProviderIdRecord,
  SavedTopology,
  Refusal,
  Store,
  StoredIdempotency,
  StoreWrite,
  Transition,
  FaceCredential,
  Degradation,
  DegradationChange,
  QualityRecord,
  SessionRecord,
  StoredUser,
  UserRecord,
  HourlyRecord,
} from '../../app/store.js';
import type { FaceProtocol } from '../../core/access/protocols.js';
import type { MessageStatus } from '../../core/lifecycle.js';
import { sendingEvents, type AcceptedRoute, type Message, type MessageEvent } from '../../core/message.js';
import type { Route } from '../../core/routing/router.js';
import { newId } from '../../app/ids.js';
import { lifecycleEvent } from '../../core/events.js';
import {
  accountOf,
  keyAccountOf,
  verifiedNumberOf,
  verifiedNumberValues,
  VERIFIED_NUMBER_COLUMNS,
  type VerifiedNumberRow,
  accountSets,
  ledgerOf,
  LEDGER_COLUMNS,
  REFUNDED_STATUSES,
  type AccountRow,
  type LedgerRow,
  API_KEY_COLUMNS,
  apiKeyOf,
  attemptOf,
  claimedOf,
  leasedOf,
  type ClaimedRow,
  deliveryOf,
  endpointOf,
  endpointSets,
  messageLogSql,
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
  type FaceCredentialRow,
  toMessage,
  type ApiKeyRow,
  type AttemptRow,
  type DeliveryRow,
  type ResendSourceRow,
  type EndpointRow,
  type EventRow,
  type MessageRow,
  type TargetRow,
  targetOf,
  numberOf,
  type NumberRow,
  owed,
  smppReceiptUntil,
  SMPP_INBOUND_HOLD_MS,
  toInbound,
  type InboundRow,
  type SmppOutboxRow,
  providerIdOf,
  type ProviderIdRow,
} from '../rows.js';
import { degradationOf, mergeQuality, QUALITY_PRUNE_SQL, qualityAt, qualityOf, type DegradationRow, type QualityDelta, type QualityErrorRow, type QualityRow } from '../quality.js';
import { QUALITY_COUNTS, QUALITY_SQL } from './quality-sql.js';
import { merge, usageAtAccept, usageAtFinal, usageOf, type UsageDelta, type UsageRow } from '../usage.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { IDEMPOTENCY_SQL } from '../idempotency-sql.js';
import { HOURLY_READ, hourlyAtAccept, hourlyAtFinal, hourlyOf, mergeHourly, type HourlyDelta, type HourlyRow } from '../hourly.js';
import { publicUser, sessionOf, sessionValues, userOf, userValues, USER_SQL, type SessionRow, type UserRow } from '../user-rows.js';
import { LOG_DIALECT } from './log-sql.js';
import { NUMBERS_SQL } from './numbers-sql.js';
import { foldAnswers } from '../webhook-answers.js';
import { expiredDeliveries, expiredMessages, type LoggedDelivery, type LoggedMessage } from '../retention.js';
import { RETENTION_SQL } from './retention-sql.js';
import { leasingOf, type Leasing } from '../leasing.js';
import { DISPATCH_SQL } from './dispatch-sql.js';
import { RECEIPT_SQL } from './receipt-sql.js';
import { ACCOUNT_SQL, KEY_ACCOUNT_COLUMNS } from './account-sql.js';
import { WEBHOOK_SQL } from './webhook-sql.js';
import { asUnavailable, statementPool, unbounded } from './statement-pool.js';
import { CREDENTIAL_SQL } from './credential-sql.js';
import { chargeAll, returnSlices, type SliceConfig } from './slices.js';
import { lowBalance } from '../../core/accounts/low-balance.js';
import { SMPP_SQL } from './smpp-sql.js';
import { answerValues, LOOKUP_COLUMNS, lookupOf, lookupValues, newestPerNumber, type LookupRow } from '../lookup-rows.js';
import type { LiveReading } from '../../core/lookups/live.js';
import { LOOKUP_SQL } from './lookup-sql.js';
import { COMPLIANCE_SQL } from './compliance-sql.js';
import { subscribed, subscriptionsOf } from '../subscriptions.js';

export interface PostgresOptions {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** This node, the owner of its slices of accounts' balances (see slices.ts); default "node". */
  readonly nodeId?: string;
  /** How long a slice outlives its last use before any node takes it back; default 30 s. */
  readonly sliceLeaseMs?: number;
  /** A schema to live in (created if missing); default the database's search_path. */
  readonly schema?: string;
  readonly maxConnections?: number;
  /**
   * Keep the quality counters (default true): off, outcomes are not measured, and `best` routes
   * and degradation have nothing to go on. For a comparison of the cost, not for production.
   */
  readonly qualityCounters?: boolean;
  /** Told of each idle connection lost (the pool opens another when one is needed). */
  readonly onLost?: (error: Error) => void;
  /**
   * How long a connection may take to open, and a statement to be answered, before the database
   * counts as out of reach (see statementPool); default 30 s, 0: no bound. Migrations and ANALYZE
   * are not bounded.
   */
  readonly timeoutMs?: number;
}

type Client = pg.PoolClient;

/** Times are BIGINT epoch milliseconds: read them as numbers, not strings. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Arbitrary key of the advisory lock that lets one node at a time migrate. */
const MIGRATION_LOCK = 727_465_001;
/** The advisory lock (with the schema's hash) of the node analyzing the tables. */
const ANALYZE_LOCK = 727_465_002;
/**
 * The advisory lock (with the schema's hash) of the node deleting the webhook log: two deleting
 * deliveries of one event at once would each leave the event to the other.
 */
const PRUNE_LOG_LOCK = 727_465_003;
/** The advisory locks (with the schema's hash) of the node deleting old messages, sent and received: one node does it at a time. */
const PRUNE_MESSAGES_LOCK = 727_465_004;
const PRUNE_INBOUND_LOCK = 727_465_005;

/** PostgreSQL's SQLSTATE for a transaction rolled back to break a deadlock. */
const DEADLOCK = '40P01';

/** How often a node waiting for another's migrations asks for the lock again. */
const MIGRATION_POLL_MS = 100;

const recordMigration = (c: Client, m: Migration) => c.query('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [m.id, m.name, Date.now()]);

async function migrateInTransaction(c: Client, m: Migration): Promise<void> {
  await c.query('BEGIN');
  try {
    await c.query(unbounded(m.sql));
    await recordMigration(c, m);
    await c.query('COMMIT');
  } catch (error) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * A migration that builds one index concurrently: writes to its table go on meanwhile. The build
 * waits for every transaction older than it; one of those that then asks for a lock the build
 * holds (a running node analyzing the table) is a deadlock, which PostgreSQL ends by failing one
 * side: a failed build is made again, a few times.
 */
async function buildIndex(c: Client, m: Migration, index: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    // A build that failed (or was cut short) left an invalid index, which IF NOT EXISTS would keep.
    const invalid = await c.query(
      'SELECT 1 FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid WHERE x.relname = $1 AND x.relnamespace = current_schema()::regnamespace AND NOT i.indisvalid',
      [index],
    );
    if (invalid.rowCount) await c.query(unbounded(`DROP INDEX CONCURRENTLY ${quoteIdent(index)}`));
    try {
      await c.query(unbounded(m.sql));
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK || attempt >= 3) throw error;
    }
  }
  await recordMigration(c, m);
}

/** An account with what its slices' charges add up to (few rows: one per node that sent for it). */
const ACCOUNT_WITH_SLICES = 'a.*, (SELECT sum(s.spent) FROM balance_slices s WHERE s.account_id = a.id)::bigint AS pending FROM accounts a';

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
  readonly #slices: SliceConfig;

  readonly #qualityCounters: boolean;

  constructor(options: PostgresOptions) {
    this.#schema = options.schema;
    this.#slices = { node: options.nodeId ?? 'node', leaseMs: options.sliceLeaseMs ?? 30_000 };
    this.#qualityCounters = options.qualityCounters ?? true;
    this.#pool = statementPool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      types,
      timeoutMs: options.timeoutMs ?? 30_000,
      onLost: options.onLost ?? (() => undefined),
      ...(options.schema && { searchPath: quoteIdent(options.schema) }),
    });
  }

  /**
   * Runs `work` in a transaction. One PostgreSQL chose as a deadlock's victim was rolled back
   * whole, so it runs again (a few times): renewals and marks of concurrent sends lock rows of the
   * same messages, and a lost renewal would let a live send's lease lapse into an unknown outcome.
   */
  async #tx<T>(work: (client: Client) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(work);
      } catch (error) {
        if ((error as { code?: string }).code !== DEADLOCK || attempt >= 3) throw error;
      }
    }
  }

  async #once<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let result: T;
    try {
      await client.query('BEGIN');
      result = await work(client);
      await client.query('COMMIT');
    } catch (error) {
      const unavailable = asUnavailable(error);
      // Out of reach, the connection is dropped (PostgreSQL rolls back what it had): a ROLLBACK
      // would only wait behind a statement that may never be answered.
      if (unavailable !== error) {
        client.release(error as Error);
        throw unavailable;
      }
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      throw error;
    }
    client.release();
    return result;
  }

  async #rows<T>(text: string, values: readonly unknown[] = []): Promise<T[]> {
    return (await this.#pool.query(text, values as unknown[])).rows as T[];
  }

  /**
   * Without autovacuum, tables are never vacuumed: dead rows pile up, and every statement reads
   * past them (seen: 90,000 dead rows of messages after one run of the bench). The planner's
   * statistics, the nodes keep up to date themselves (refreshStatistics).
   */
  async serverWarnings(): Promise<string[]> {
    const { rows } = await this.#pool.query<{ autovacuum: string }>('SHOW autovacuum');
    return rows[0]?.autovacuum === 'on'
      ? []
      : ["PostgreSQL's autovacuum is off: its tables are never vacuumed, and the gateway slows down as their dead rows pile up. Turn it on (autovacuum = on), or run VACUUM often."];
  }

  async refreshStatistics(): Promise<string[]> {
    return this.#tx(async (c) => {
      if (!(await this.#tryLock(c, ANALYZE_LOCK))) return [];
      // Autovacuum's own rule for when a table is due (threshold plus a share of its rows).
      const stale = await c.query<{ relname: string }>(
        `SELECT relname FROM pg_stat_user_tables
          WHERE schemaname = current_schema()
            AND (current_setting('autovacuum') = 'off' OR (last_analyze IS NULL AND last_autoanalyze IS NULL))
            AND n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8 + current_setting('autovacuum_analyze_scale_factor')::float8 * GREATEST(n_live_tup, 0)
          ORDER BY relname`,
      );
      for (const { relname } of stale.rows) await c.query(unbounded(`ANALYZE ${quoteIdent(relname)}`));
      return stale.rows.map((r) => r.relname);
    });
  }

  /**
   * Applies the migrations not yet applied, each in a transaction of its own, except an index
   * built concurrently (see Migration.index). Nodes starting together: one migrates, the others
   * wait and then find nothing to do.
   */
  async migrate(): Promise<void> {
    if (this.#schema) await this.#pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.#schema)}`);
    const c = await this.#pool.connect();
    try {
      // The others ask again and again rather than wait inside a statement: a statement waiting
      // holds a snapshot, and an index built concurrently waits for every older snapshot to end.
      while (!(await c.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1) AS held', [MIGRATION_LOCK])).rows[0]!.held) await sleep(MIGRATION_POLL_MS);
      try {
        await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
        const applied = new Set((await c.query<{ id: number }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
        for (const m of MIGRATIONS) if (!applied.has(m.id)) await (m.index ? buildIndex(c, m, m.index) : migrateInTransaction(c, m));
      } finally {
        await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      c.release();
    }
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
    const [row] = await this.#rows<AccountRow>(`SELECT ${ACCOUNT_WITH_SLICES} WHERE a.id = $1`, [id]);
    return row && accountOf(row);
  }

  async inactiveAccounts(ids: readonly string[]): Promise<Map<string, Exclude<AccountStatus, 'active'>>> {
    const rows = await this.#rows<{ id: string; status: Exclude<AccountStatus, 'active'> }>(ACCOUNT_SQL.inactive, [ids]);
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  async listAccounts(parentId: string): Promise<Account[]> {
    return (await this.#rows<AccountRow>(`SELECT ${ACCOUNT_WITH_SLICES} WHERE a.parent_id = $1 ORDER BY a.created_at, a.id`, [parentId])).map(accountOf);
  }

  async updateAccount(id: string, patch: AccountPatch): Promise<boolean> {
    const { sets, values } = accountSets(patch, (i) => `$${i}`);
    if (sets.length === 0) return (await this.getAccount(id)) !== undefined;
    const r = await this.#pool.query(`UPDATE accounts SET ${sets.join(', ')} WHERE id = $${values.length + 1}`, [...values, id]);
    return (r.rowCount ?? 0) > 0;
  }

  async topUp(t: { id: string; accountId: string; amount: number; at: number; description: string | null }): Promise<LedgerEntry> {
    return this.#tx(async (c) => {
      const touched: Touch[] = [];
      const entry = await post(c, { id: t.id, accountId: t.accountId, at: t.at, type: 'top_up', amount: t.amount, messageId: null, messages: null, counterparty: null, description: t.description }, touched);
      if (!entry) throw new Error(`no account ${t.accountId}`);
      await touchTargets(c, touched);
      return entry;
    });
  }

  async transfer(m: { from: string; to: string; amount: number; at: number; ids: readonly [string, string]; description: string | null }): Promise<LedgerEntry | undefined> {
    return this.#tx(async (c) => {
      const common = { at: m.at, messageId: null, messages: null, description: m.description };
      const touched: Touch[] = [];
      const out = await post(c, { ...common, id: m.ids[0], accountId: m.from, type: 'transfer_out', amount: -m.amount, counterparty: m.to }, touched, 'zero');
      if (!out) return undefined;
      await post(c, { ...common, id: m.ids[1], accountId: m.to, type: 'transfer_in', amount: m.amount, counterparty: m.from }, touched);
      await touchTargets(c, touched);
      return out;
    });
  }

  async postEntry(e: { id: string; accountId: string; type: 'charge' | 'refund'; amount: number; at: number; description: string }): Promise<LedgerEntry | undefined> {
    return this.#tx(async (c) => {
      const touched: Touch[] = [];
      const entry = await post(c, { ...e, messageId: null, messages: null, counterparty: null }, touched, e.amount < 0 ? 'credit' : undefined);
      await touchTargets(c, touched);
      return entry;
    });
  }

  async insertLookups(lookups: readonly StoredLookup[]): Promise<void> {
    if (lookups.length === 0) return;
    const width = 14;
    const values = lookups.flatMap((l) => lookupValues(l, (v) => v));
    const rows = lookups.map((_, i) => `(${Array.from({ length: width }, (_, j) => `$${i * width + j + 1}`).join(', ')})`);
    await this.#pool.query(`INSERT INTO lookups (${LOOKUP_COLUMNS}) VALUES ${rows.join(', ')}`, values);
  }

  async completeLookups(connection: string, answers: readonly { number: string; reading: LiveReading; raw: unknown }[]): Promise<StoredLookup[]> {
    return this.#tx(async (c) => {
      const answered: StoredLookup[] = [];
      for (const a of answers) answered.push(...(await c.query<LookupRow>(LOOKUP_SQL.complete, [connection, a.number, ...answerValues(a, (v) => v)])).rows.map(lookupOf));
      return answered;
    });
  }

  async getLookup(accountId: string, id: string): Promise<StoredLookup | undefined> {
    const [row] = await this.#rows<LookupRow>(LOOKUP_SQL.get, [id, accountId]);
    return row && lookupOf(row);
  }

  async latestLookups(numbers: readonly string[], since: number, accountId?: string): Promise<Map<string, StoredLookup>> {
    const rows = await this.#rows<LookupRow>(LOOKUP_SQL.latest, [numbers, since, accountId ?? null]);
    return newestPerNumber(rows);
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
    const rows = await this.#rows<ApiKeyRow & AccountRow & { hash: string; ip_allowlists: string | null }>(
      `SELECT k.id, k.account_id, k.name, k.prefix, k.scopes, k.created_at, k.last_used_at, k.revoked_at, k.hash, ${KEY_ACCOUNT_COLUMNS}
         FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.hash = ANY($1) AND k.revoked_at IS NULL`,
      [hashes],
    );
    return rows.map((r) => ({ ...apiKeyOf(r), hash: r.hash, account: keyAccountOf(r) }));
  }

  async hourlyCounts(accountId: string, fromHour: number, toHour: number): Promise<HourlyRecord[]> {
    return (await this.#rows<HourlyRow>(HOURLY_READ, [accountId, fromHour, toHour])).map((r) => hourlyOf(accountId, r));
  }

  async insertUser(user: StoredUser): Promise<boolean> {
    return ((await this.#pool.query(USER_SQL.insert, userValues(user))).rowCount ?? 0) > 0;
  }

  async findUserByEmail(email: string): Promise<StoredUser | undefined> {
    const [row] = await this.#rows<UserRow>(USER_SQL.byEmail, [email]);
    return row && userOf(row);
  }

  async listUsers(accountId: string): Promise<UserRecord[]> {
    return (await this.#rows<UserRow>(USER_SQL.list, [accountId])).map((r) => publicUser(userOf(r)));
  }

  async recordSignInFailure(userId: string, max: number, lockUntil: number): Promise<void> {
    await this.#pool.query(USER_SQL.failure, [userId, max, lockUntil]);
  }

  async signInFailures(key: string, now: number): Promise<{ failures: number; until: number } | undefined> {
    const [row] = await this.#rows<{ failures: number; window_end: string }>(USER_SQL.failures, [key, now]);
    return row && { failures: row.failures, until: Number(row.window_end) };
  }

  async countSignInFailure(key: string, max: number, now: number, until: number): Promise<void> {
    // Two statements, each its own transaction: neither holds a row while waiting for another.
    await this.#pool.query(USER_SQL.countFailure, [key, max, now, until]);
    await this.#pool.query(USER_SQL.pruneFailures, [now]);
  }

  async clearSignInFailures(key: string): Promise<void> {
    await this.#pool.query(USER_SQL.clearFailures, [key]);
  }

  async deleteUser(accountId: string, id: string): Promise<boolean> {
    return ((await this.#pool.query(USER_SQL.delete, [accountId, id])).rowCount ?? 0) > 0;
  }

  async insertSession(session: SessionRecord): Promise<void> {
    await this.#tx(async (c) => {
      await c.query(USER_SQL.insertSession, sessionValues(session));
      await c.query(USER_SQL.success, [session.userId]);
    });
  }

  async findSession(hash: string, now: number): Promise<{ session: SessionRecord; user: UserRecord; account: KeyAccount } | undefined> {
    const [row] = await this.#rows<SessionRow & UserRow & AccountRow & { ip_allowlists: string | null }>(USER_SQL.find(KEY_ACCOUNT_COLUMNS), [hash, now]);
    return row && { session: sessionOf(row), user: publicUser(userOf(row)), account: keyAccountOf(row) };
  }

  async deleteSession(hash: string): Promise<void> {
    await this.#pool.query(USER_SQL.deleteSession, [hash]);
  }

  async deleteUserSessions(userId: string): Promise<number> {
    return (await this.#pool.query(USER_SQL.deleteUserSessions, [userId])).rowCount ?? 0;
  }

  async insertFaceCredential(c: FaceCredential): Promise<void> {
    await this.#pool.query(`INSERT INTO face_credentials (${FACE_CREDENTIAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, faceCredentialValues(c));
  }

  async findFaceCredentials(protocol: FaceProtocol, keys: readonly string[]): Promise<(FaceCredential & { account: KeyAccount })[]> {
    const rows = await this.#rows<FaceCredentialRow & AccountRow & { ip_allowlists: string | null }>(CREDENTIAL_SQL.findCredential, [protocol, keys]);
    return rows.map((row) => ({ ...faceCredentialOf(row), account: keyAccountOf(row) }));
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

  async insertMessages(writes: readonly AcceptWrite[]): Promise<(string | Refusal)[]> {
    return this.#tx(async (c) => {
      const touched: Touch[] = [];
      // Compliance counters first: a request they refuse is not charged.
      const results = new Map<AcceptWrite, number | Refusal>();
      for (const w of writes) {
        const full = w.marks ? await takeMarks(c, w.marks) : -1;
        if (full >= 0) results.set(w, { refused: 'compliance', mark: full });
      }
      const charged = writes.filter((w): w is AcceptWrite & { charge: NonNullable<AcceptWrite['charge']> } => w.charge !== undefined && !results.has(w));
      if (charged.length > 0) for (const [w, r] of await chargeAll(c, this.#slices, charged, (cl, ...low) => tellLowBalance(cl, touched, ...low))) results.set(w, r);
      const balances = new Map<AcceptWrite, number | null>();
      for (const w of writes) {
        const r = results.has(w) ? results.get(w)! : null;
        if (typeof r !== 'object' || r === null) balances.set(w, r);
        else if (w.marks && r.refused !== 'compliance') await giveBackMarks(c, w.marks);
      }
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
      await addUsage(c, usageAtAccept(messages));
      await addHourly(c, hourlyAtAccept(messages));
      const responses = writes.map((w): string | Refusal => (balances.has(w) ? w.respond(balances.get(w)!) : (results.get(w) as Refusal)));
      for (const [k, w] of writes.entries()) {
        const i = w.idempotency;
        if (!i || typeof responses[k] !== 'string') continue;
        await c.query(IDEMPOTENCY_SQL.save, [
          i.accountId, i.key, i.requestHash, i.statusCode, responses[k], i.createdAt,
        ]);
      }
      await touchTargets(c, touched);
      return responses;
    });
  }

  async returnSlices(owner: string, idleBefore: number, now: number): Promise<number> {
    return this.#tx((c) => returnSlices(c, owner, Math.min(idleBefore, Number.MAX_SAFE_INTEGER), now));
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
    const { sql, values } = messageLogSql(accountId, filter, limit, LOG_DIALECT);
    return (await this.#rows<MessageRow>(sql, values)).map(toMessage);
  }

  /** The deliverer that deliveries made by status changes are leased to (see leaseAsMade). */
  #taker: DeliveryTaker | undefined;

  leaseAsMade(taker: DeliveryTaker): void {
    this.#taker = taker;
  }

  async applyWrites(writes: readonly StoreWrite[]): Promise<boolean[]> {
    const leasing = this.#taker && leasingOf(this.#taker);
    const applied = await this.#applyWrites(writes, leasing);
    // Handed over once committed: an event never tells of a change that was rolled back.
    if (leasing && leasing.made.length > 0) this.#taker!.take(leasing.made);
    return applied;
  }

  #applyWrites(writes: readonly StoreWrite[], leasing: Leasing | undefined): Promise<boolean[]> {
    return this.#tx(async (c) => {
      const applied = new Array<boolean>(writes.length).fill(false);
      const touched: Touch[] = [];
      const usage: UsageDelta[] = [];
      const quality: QualityDelta[] = [];
      const hourly: HourlyDelta[] = [];
      // A few statements per round, whatever the batch size. A message written twice in one
      // batch (sent, then its receipt) has its second write in a later round: order holds.
      for (const round of rounds(writes)) {
        const transitions = round.filter((i) => 'transition' in writes[i]!);
        const done = await transitionAll(c, transitions.map((i) => (writes[i] as { transition: Transition }).transition), touched, usage, quality, hourly, leasing);
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
      await addUsage(c, merge(usage));
      if (this.#qualityCounters) await addQuality(c, mergeQuality(quality));
      await addHourly(c, mergeHourly(hourly));
      await touchTargets(c, touched);
      return applied;
    });
  }

  async claimDue(claim: Claim): Promise<ClaimedMessage[]> {
    const { connection, now, limit, owner, leaseUntil } = claim;
    const mode = claim.mode ?? 'send';
    const send = mode === 'send';
    return this.#tx(async (c) => {
      const rows = (
        await c.query<MessageRow & { claimed_from: MessageStatus }>(mode === 'expired' ? DISPATCH_SQL.claimExpired : DISPATCH_SQL.claimDue, [connection, now, limit, owner, leaseUntil, send])
      ).rows;
      const claimed = rows.map((row) => toClaimed(row, row.claimed_from));
      const started = claimed.filter((m) => m.status === 'sending' && m.claimedFrom !== 'sending');
      await insertEvents(
        c,
        started.flatMap((m) => sendingEvents(m.claimedFrom, m.attempts, now, connection).map((e): [string, MessageEvent] => [m.id, e])),
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
    return this.#tx(async (c) => {
      const messages = await c.query('UPDATE messages SET due_at = $1, lease_owner = NULL WHERE lease_owner IS NOT NULL', [now]);
      const deliveries = await c.query("UPDATE webhook_deliveries SET due_at = $1 WHERE status = 'pending' AND lease_owner IS NOT NULL", [now]);
      return (messages.rowCount ?? 0) + (deliveries.rowCount ?? 0);
    });
  }

  async renewLeases(owner: string, messageIds: readonly string[], leaseUntil: number): Promise<number> {
    return this.#tx(async (c) => {
      const r = await c.query("UPDATE messages SET due_at = $3 WHERE lease_owner = $1 AND status = 'sending' AND id = ANY($2::text[])", [owner, messageIds, leaseUntil]);
      return r.rowCount ?? 0;
    });
  }

  async queueDepth(): Promise<Record<string, number>> {
    const rows = await this.#rows<{ connection: string; n: number }>(
      "SELECT connection, count(*)::int AS n FROM messages WHERE due_at IS NOT NULL AND status IN ('queued', 'scheduled') GROUP BY connection",
    );
    return Object.fromEntries(rows.map((r) => [r.connection, r.n]));
  }

  async findProviderIds(connection: string, providerMessageIds: readonly string[]): Promise<ProviderIdRecord[]> {
    const rows = await this.#rows<ProviderIdRow>(DISPATCH_SQL.findProviderIds, [connection, providerMessageIds]);
    return rows.map((r) => providerIdOf(connection, r));
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

  async pruneQuality(beforeHour: number, limit: number): Promise<number> {
    let n = 0;
    for (const sql of Object.values(QUALITY_PRUNE_SQL)) n += (await this.#pool.query(sql, [beforeHour, limit])).rowCount ?? 0;
    return n;
  }

  async pruneIdempotency(before: number, limit: number): Promise<number> {
    return (await this.#pool.query(IDEMPOTENCY_SQL.prune, [before, limit])).rowCount ?? 0;
  }

  async getIdempotency(accountId: string, key: string, since: number): Promise<StoredIdempotency | undefined> {
    const [row] = await this.#rows<{ request_hash: string; status_code: number; response: string }>(
      IDEMPOTENCY_SQL.find,
      [accountId, key, since],
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
        `INSERT INTO webhook_endpoints (id, account_id, url, description, events, secret, created_at, failing_since, disabled_at, disabled_reason, batch_max_events, batch_max_wait_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [e.id, e.accountId, e.url, e.description, e.events.join(','), e.secret, e.createdAt, e.failingSince, e.disabledAt, e.disabledReason, e.batch?.maxEvents ?? null, e.batch?.maxWaitMs ?? null],
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
    return this.#tx((c) => claimIn(c, claim));
  }

  async settleAndClaim(outcomes: readonly AttemptOutcome[], claim: DeliveryClaim): Promise<{ held: boolean[]; claimed: ClaimedDelivery[] }> {
    return this.#tx(async (c) => ({ held: await recordIn(c, outcomes), claimed: await claimIn(c, claim) }));
  }

  async renewDeliveryLeases(owner: string, deliveryIds: readonly string[], leaseUntil: number): Promise<number> {
    const r = await this.#pool.query("UPDATE webhook_deliveries SET due_at = $3 WHERE lease_owner = $1 AND status = 'pending' AND id = ANY($2::text[])", [owner, deliveryIds, leaseUntil]);
    return r.rowCount ?? 0;
  }

  async recordAttempt(o: AttemptOutcome): Promise<boolean> {
    return (await this.recordAttempts([o]))[0]!;
  }

  async recordAttempts(outcomes: readonly AttemptOutcome[]): Promise<boolean[]> {
    return this.#tx((c) => recordIn(c, outcomes));
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

  async resendDelivery(accountId: string, deliveryId: string, id: string, at: number): Promise<WebhookDelivery | 'gone' | 'disabled' | undefined> {
    return this.#tx(async (c) => {
      const [source] = (await c.query<ResendSourceRow>(WEBHOOK_SQL.resendOf, [accountId, deliveryId])).rows;
      if (!source) return undefined;
      if (source.endpoint_id !== null && source.endpoint_found === null) return 'gone';
      if (source.endpoint_disabled_at !== null) return 'disabled';
      const [row] = (
        await c.query<DeliveryRow & { target: string }>(WEBHOOK_SQL.resend, [
          id, source.event_id, accountId, source.message_id, source.endpoint_id, source.target, source.endpoint_url ?? source.url, at, source.id,
        ])
      ).rows;
      await touchTargets(c, [{ target: row!.target, endpoint_id: row!.endpoint_id, due_at: row!.due_at === null ? null : Number(row!.due_at), lease_owner: null }]);
      return deliveryOf(row!);
    });
  }

  async pruneWebhookLog(before: number, after: number, limit: number): Promise<{ deleted: number; next: number | null }> {
    return this.#tx(async (c) => {
      if (!(await this.#tryLock(c, PRUNE_LOG_LOCK))) return { deleted: 0, next: null };
      const { expired, next } = expiredDeliveries((await c.query<LoggedDelivery>(WEBHOOK_SQL.logAfter, [after, limit])).rows, before, limit);
      if (expired.length > 0) await c.query(WEBHOOK_SQL.prune, [expired.map((d) => d.seq), expired.map((d) => d.id), [...new Set(expired.map((d) => d.event_id))]]);
      return { deleted: expired.length, next };
    });
  }

  pruneMessages(before: number, after: string, limit: number): Promise<{ deleted: number; next: string | null }> {
    return this.#pruneMessageLog(PRUNE_MESSAGES_LOCK, RETENTION_SQL.messagesAfter, RETENTION_SQL.pruneMessages, before, after, limit);
  }

  pruneInbound(before: number, after: string, limit: number): Promise<{ deleted: number; next: string | null }> {
    return this.#pruneMessageLog(PRUNE_INBOUND_LOCK, RETENTION_SQL.inboundAfter, RETENTION_SQL.pruneInbound, before, after, limit);
  }

  /** One look of a message log's retention (sent or received: `look` reads it, `prune` deletes by id), by one node at a time. */
  async #pruneMessageLog(lock: number, look: string, prune: string, before: number, after: string, limit: number): Promise<{ deleted: number; next: string | null }> {
    return this.#tx(async (c) => {
      if (!(await this.#tryLock(c, lock))) return { deleted: 0, next: null };
      const { expired, next } = expiredMessages((await c.query<LoggedMessage>(look, [after, limit])).rows, before, limit);
      if (expired.length > 0) await c.query(prune, [expired.map((m) => m.id)]);
      return { deleted: expired.length, next };
    });
  }

  /** Whether this transaction took the advisory lock `key` of the schema (held until it ends), without waiting for it. */
  async #tryLock(c: Client, key: number): Promise<boolean> {
    const [lock] = (await c.query<{ held: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext(current_schema())) AS held', [key])).rows;
    return lock!.held;
  }

  async listNotices(accountId: string, limit: number): Promise<Notice[]> {
    const rows = await this.#rows<{ at: number; type: string; message: string; detail: string | null }>('SELECT at, type, message, detail FROM notices WHERE account_id = $1 ORDER BY id DESC LIMIT $2', [accountId, limit]);
    return rows.map((r) => ({ at: r.at, type: r.type, message: r.message, detail: parseJson<Record<string, unknown>>(r.detail) }));
  }

  async verifiedAmong(accountId: string, numbers: readonly string[]): Promise<Set<string>> {
    const rows = await this.#rows<{ number: string }>(ACCOUNT_SQL.verified, [accountId, numbers]);
    return new Set(rows.map((r) => r.number));
  }

  async getVerifiedNumber(accountId: string, number: string): Promise<VerifiedNumber | undefined> {
    const [row] = await this.#rows<VerifiedNumberRow>(`SELECT ${VERIFIED_NUMBER_COLUMNS} FROM verified_numbers WHERE account_id = $1 AND number = $2`, [accountId, number]);
    return row && verifiedNumberOf(row);
  }

  async putVerifiedNumber(n: VerifiedNumber): Promise<void> {
    await this.#pool.query(
      `INSERT INTO verified_numbers (${VERIFIED_NUMBER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (account_id, number) DO UPDATE SET verified_at = excluded.verified_at, code_hash = excluded.code_hash,
           code_sent_at = excluded.code_sent_at, code_expires_at = excluded.code_expires_at, attempts = excluded.attempts`,
      verifiedNumberValues(n),
    );
  }

  async listVerifiedNumbers(accountId: string): Promise<VerifiedNumber[]> {
    return (await this.#rows<VerifiedNumberRow>(`SELECT ${VERIFIED_NUMBER_COLUMNS} FROM verified_numbers WHERE account_id = $1 ORDER BY created_at, number`, [accountId])).map(verifiedNumberOf);
  }

  async deleteVerifiedNumber(accountId: string, number: string): Promise<boolean> {
    return ((await this.#pool.query('DELETE FROM verified_numbers WHERE account_id = $1 AND number = $2', [accountId, number])).rowCount ?? 0) > 0;
  }

  async takeCodeAttempt(accountId: string, number: string, max: number): Promise<VerifiedNumber | undefined> {
    const [row] = await this.#rows<VerifiedNumberRow>(
      `UPDATE verified_numbers SET attempts = attempts + 1 WHERE account_id = $1 AND number = $2 AND code_hash IS NOT NULL AND attempts < $3 RETURNING ${VERIFIED_NUMBER_COLUMNS}`,
      [accountId, number, max],
    );
    return row && verifiedNumberOf(row);
  }

  async markVerified(accountId: string, number: string, codeHash: string, at: number): Promise<boolean> {
    const r = await this.#pool.query(
      'UPDATE verified_numbers SET verified_at = $1, code_hash = NULL, code_sent_at = NULL, code_expires_at = NULL, attempts = 0 WHERE account_id = $2 AND number = $3 AND code_hash = $4',
      [at, accountId, number, codeHash],
    );
    return (r.rowCount ?? 0) > 0;
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

  async importOptOuts(accountId: string, entries: readonly OptOut[]): Promise<number> {
    const r = await this.#pool.query(
      `INSERT INTO opt_outs (account_id, sender, number, created_at, source) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[]) ON CONFLICT DO NOTHING`,
      [accountId, entries.map((o) => o.sender), entries.map((o) => o.number), entries.map((o) => o.createdAt), entries.map((o) => o.source)],
    );
    return r.rowCount ?? 0;
  }

  async pruneMarks(now: number, limit: number): Promise<number> {
    return (await this.#pool.query(COMPLIANCE_SQL.prune, [now, limit])).rowCount ?? 0;
  }

  async peekMarks(accountId: string, marks: readonly Mark[], now: number): Promise<number> {
    for (const [i, m] of marks.entries()) {
      const [row] = await this.#rows<{ count: number }>(COMPLIANCE_SQL.peekMark, [accountId, m.key, now]);
      if ((row?.count ?? 0) >= m.limit) return i;
    }
    return -1;
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

  async numberOwner(number: string): Promise<string | undefined> {
    return (await this.#rows<{ account_id: string }>(NUMBERS_SQL.owner, [number]))[0]?.account_id;
  }

  async getNumber(number: string): Promise<OwnedNumber | undefined> {
    const [row] = await this.#rows<NumberRow>('SELECT number, account_id, assigned_at FROM numbers WHERE number = $1', [number]);
    return row && numberOf(row);
  }

  async assignNumber(n: OwnedNumber): Promise<void> {
    await this.#pool.query(
      'INSERT INTO numbers (number, account_id, assigned_at) VALUES ($1, $2, $3) ON CONFLICT (number) DO UPDATE SET account_id = excluded.account_id, assigned_at = excluded.assigned_at',
      [n.number, n.accountId, n.assignedAt],
    );
  }

  async releaseNumber(number: string): Promise<boolean> {
    return ((await this.#pool.query('DELETE FROM numbers WHERE number = $1', [number])).rowCount ?? 0) > 0;
  }

  async listNumbers(accountId: string, after: string | undefined, limit: number): Promise<OwnedNumber[]> {
    const rows = await this.#rows<NumberRow>('SELECT number, account_id, assigned_at FROM numbers WHERE account_id = $1 AND number > $2 ORDER BY number LIMIT $3', [accountId, after ?? '', limit]);
    return rows.map(numberOf);
  }

  async usage(accountId: string, fromDay: number, toDay: number): Promise<UsageRecord[]> {
    return (await this.#rows<UsageRow>(NUMBERS_SQL.usage, [accountId, fromDay, toDay])).map(usageOf);
  }

  async usageUnder(path: string, fromDay: number, toDay: number): Promise<UsageRecord[]> {
    return (await this.#rows<UsageRow>(NUMBERS_SQL.usageUnder, [path, fromDay, toDay])).map(usageOf);
  }

  async qualityTotals(sinceHour: number, connection?: string, untilHour?: number): Promise<QualityRecord[]> {
    const args = [sinceHour, connection ?? null, untilHour ?? null];
    return qualityOf(await this.#rows<QualityRow>(QUALITY_SQL.totals, args), await this.#rows<QualityErrorRow>(QUALITY_SQL.errors, args));
  }

  async degradations(): Promise<Degradation[]> {
    return (await this.#rows<DegradationRow>(QUALITY_SQL.degradations, [])).map(degradationOf);
  }

  async setDegraded(change: DegradationChange): Promise<boolean> {
    return this.#tx(async (c) => {
      const d = change.degradation;
      const key = [d.connection, d.country ?? ''];
      const r = change.degraded ? await c.query(QUALITY_SQL.degrade, [...key, d.reason, JSON.stringify(d.detail), d.since]) : await c.query(QUALITY_SQL.recover, key);
      if (r.rowCount === 0) return false;
      const n = change.notice;
      await c.query('INSERT INTO notices (account_id, at, type, message, detail) VALUES ($1, $2, $3, $4, $5)', [change.accountId, n.at, n.type, n.message, json(n.detail)]);
      const touched: Touch[] = [];
      const type = change.degraded ? 'connection.degraded' : 'connection.recovered';
      await emit(c, [{ accountId: change.accountId, messageId: d.connection, callbackUrl: null, type, at: change.at, data: change.event }], touched);
      await touchTargets(c, touched);
      return true;
    });
  }

  /** Drops the schema this store lives in: for tests that made their own. */
  async dropSchema(): Promise<void> {
    if (this.#schema) await this.#pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.#schema)} CASCADE`);
  }
}

/**
 * Adds `amount` to an account's balance and writes its ledger entry. With a floor, only if what
 * the centre may still spend (balance less what nodes' slices hold) stays at or above it (zero,
 * or -credit_limit): one conditional update, which PostgreSQL re-checks on the row's newest
 * version when another transaction changed it first. A debit that leaves balance + credit limit
 * under the account's low-balance threshold tells it once; a credit that lifts it back re-arms that.
 */
async function post(c: Client, e: Omit<LedgerEntry, 'seq' | 'balanceAfter'>, touched: Touch[], floor?: 'zero' | 'credit'): Promise<LedgerEntry | undefined> {
  const guard = floor === 'zero' ? ' AND balance - reserved + $2 >= 0' : floor === 'credit' ? ' AND balance - reserved + $2 >= -credit_limit' : '';
  const [row] = (
    await c.query<{ balance: number; available: number; low_balance_threshold: number | null; low_balance_notified: boolean }>(
      `UPDATE accounts SET balance = balance + $2 WHERE id = $1${guard}
       RETURNING balance, balance + credit_limit - (SELECT COALESCE(sum(spent), 0) FROM balance_slices WHERE account_id = $1)::bigint AS available, low_balance_threshold, low_balance_notified`,
      [e.accountId, e.amount],
    )
  ).rows;
  if (!row) return undefined;
  const [{ seq }] = (
    await c.query<{ seq: number }>(`INSERT INTO ledger_entries (${LEDGER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq`, [
      e.id, e.accountId, e.at, e.type, e.amount, row.balance, e.messageId, e.messages, e.counterparty, e.description,
    ])
  ).rows as [{ seq: number }];
  const threshold = row.low_balance_threshold;
  if (threshold !== null) {
    const low = row.available < threshold;
    if (low !== row.low_balance_notified && low === e.amount < 0) {
      await c.query('UPDATE accounts SET low_balance_notified = $2 WHERE id = $1', [e.accountId, low]);
      if (low) await tellLowBalance(c, touched, e.accountId, row.available, threshold, e.at);
    }
  }
  return { ...e, seq, balanceAfter: row.balance };
}

/** The account.low_balance notice and event (its subject the account, standing in for a message). */
async function tellLowBalance(c: Client, touched: Touch[], accountId: string, available: number, threshold: number, at: number): Promise<void> {
  const { notice, event } = lowBalance(accountId, available, threshold, at);
  await c.query('INSERT INTO notices (account_id, at, type, message, detail) VALUES ($1, $2, $3, $4, $5)', [accountId, notice.at, notice.type, notice.message, json(notice.detail)]);
  await emit(c, [{ accountId, messageId: accountId, callbackUrl: null, type: 'account.low_balance', at, data: event }], touched);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Looks at targets, not at the backlog: the targets due with room (locked, so one node claims
 * from a target at a time, and skipped when another node has it), then each one's due
 * deliveries through its index. What was on its way to an endpoint since disabled is dropped,
 * with the reason, as it comes due.
 */
async function claimIn(c: Client, claim: DeliveryClaim): Promise<ClaimedDelivery[]> {
  const { now, limit, perTarget, owner, leaseUntil } = claim;
  if (limit <= 0) return [];
  const taken = (await c.query<{ seq: number }>(WEBHOOK_SQL.lapsed, [now, limit, leaseUntil, owner])).rows.map((r) => r.seq);
  const targets = (
    await c.query<{ target: string; in_flight: number; failures: number; version: number; disabled_at: number | null; disabled_reason: string | null; cap: number }>(WEBHOOK_SQL.activeTargets, [
      now,
      perTarget,
      limit,
    ])
  ).rows;
  for (const t of targets) {
    const room = limit - taken.length;
    if (room <= 0) break;
    if (t.disabled_at !== null) {
      const reason = t.disabled_reason === null ? 'endpoint disabled' : `endpoint disabled: ${t.disabled_reason}`;
      const dropped = (await c.query(WEBHOOK_SQL.dropWaiting, [t.target, room, reason])).rowCount ?? 0;
      if (dropped > 0) await c.query(WEBHOOK_SQL.dropped, [t.target, dropped]);
      if (dropped < room) await c.query(WEBHOOK_SQL.parkTarget, [t.target, t.version]);
      continue;
    }
    const leased = (await c.query<{ seq: number }>(WEBHOOK_SQL.leaseReady, [t.target, now, Math.min(room, Number(t.cap) - t.in_flight), leaseUntil, owner])).rows;
    if (leased.length > 0) await c.query(WEBHOOK_SQL.addInFlight, [t.target, leased.length]);
    await c.query(WEBHOOK_SQL.parkTarget, [t.target, t.version]);
    taken.push(...leased.map((r) => r.seq));
  }
  if (taken.length === 0) return [];
  return (await c.query<ClaimedRow>(WEBHOOK_SQL.claimed, [taken])).rows.map(claimedOf);
}

/**
 * Records answers in a few statements whatever their number: the deliveries, their attempts, the
 * next events of their chains, then each target and endpoint once, targets last, in their order
 * (see WEBHOOK_SQL).
 */
async function recordIn(c: Client, outcomes: readonly AttemptOutcome[]): Promise<boolean[]> {
  if (outcomes.length === 0) return [];
  const col = <T>(f: (o: AttemptOutcome) => T) => outcomes.map(f);
  const rows = (
    await c.query<{ id: string; message_id: string; target: string }>(WEBHOOK_SQL.record, [
      col((o) => o.deliveryId),
      col((o) => o.owner),
      col((o) => o.attempt.at),
      col((o) => o.attempt.statusCode),
      col((o) => o.attempt.error),
      col((o) => (o.result === 'retry' ? 'pending' : o.result)),
      col((o) => o.retryAt),
    ])
  ).rows;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const held = outcomes.filter((o) => byId.has(o.deliveryId));
  if (held.length === 0) return outcomes.map(() => false);
  const a = held.map((o) => o.attempt);
  await c.query(WEBHOOK_SQL.attempts, [held.map((o) => o.deliveryId), a.map((x) => x.at), a.map((x) => x.statusCode), a.map((x) => x.error), a.map((x) => x.latencyMs), a.map((x) => x.responseExcerpt)]);
  const ended = held.filter((o) => o.result !== 'retry');
  const chain = (messageId: string, target: string) => `${messageId} ${target}`;
  const promoted = new Set<string>();
  if (ended.length > 0) {
    const next = await c.query<{ message_id: string; target: string }>(WEBHOOK_SQL.promote, [
      ended.map((o) => o.attempt.at), ended.map((o) => byId.get(o.deliveryId)!.message_id), ended.map((o) => byId.get(o.deliveryId)!.target),
    ]);
    for (const r of next.rows) promoted.add(chain(r.message_id, r.target));
  }
  const answers = held.map((o) => {
    const r = byId.get(o.deliveryId)!;
    return { target: r.target, outcome: o, promoted: o.result !== 'retry' && promoted.has(chain(r.message_id, r.target)) };
  });
  for (const t of foldAnswers(answers)) {
    if (t.endpointId) await c.query(WEBHOOK_SQL.failing, [t.endpointId, t.reset, t.failingSince]);
    await c.query(WEBHOOK_SQL.answered, [t.target, t.n, t.ok, t.ended, t.reset, t.failures, t.retryAt, t.at, t.promoted, t.wakeAt]);
  }
  return outcomes.map((o) => byId.has(o.deliveryId));
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
/**
 * Counts a request against each of its marks, all or none (a savepoint), in one statement
 * whatever the request's size: the index of the first mark found full, or -1.
 */
async function takeMarks(c: Client, w: MarkWrite): Promise<number> {
  const { keys, ends, counts } = markCounts(w);
  await c.query('SAVEPOINT marks');
  const rows = (await c.query<{ key: string; count: number }>(COMPLIANCE_SQL.takeMarks, [w.accountId, keys, ends, counts, w.now])).rows;
  const asked = new Map(keys.map((k, i) => [k, counts[i]!]));
  const before = new Map(rows.map((r) => [r.key, Number(r.count) - asked.get(r.key)!]));
  // The first message that found its counter full: a key's k-th mark made it (count before + k).
  const taken = new Map<string, number>();
  const full = w.marks.findIndex((m) => {
    const k = (taken.get(m.key) ?? 0) + 1;
    taken.set(m.key, k);
    return before.get(m.key)! + k > m.limit;
  });
  await c.query(full >= 0 ? 'ROLLBACK TO SAVEPOINT marks' : 'RELEASE SAVEPOINT marks');
  return full;
}

/** Uncounts a request its charge refused after its marks were taken, in the same transaction. */
async function giveBackMarks(c: Client, w: MarkWrite): Promise<void> {
  const { keys, counts } = markCounts(w);
  await c.query(COMPLIANCE_SQL.giveBack, [w.accountId, keys, counts]);
}

/** A request's marks by key, sorted (concurrent requests lock in one order): a key named twice (a number twice in `to`) counts twice, in one row. */
function markCounts(w: MarkWrite): { keys: string[]; ends: number[]; counts: number[] } {
  const byKey = new Map<string, { windowMs: number; n: number }>();
  for (const m of w.marks) byKey.set(m.key, { windowMs: m.windowMs, n: (byKey.get(m.key)?.n ?? 0) + 1 });
  const keys = [...byKey.keys()].sort();
  return { keys, ends: keys.map((k) => w.now + byKey.get(k)!.windowMs), counts: keys.map((k) => byKey.get(k)!.n) };
}

async function markAll(c: Client, marks: readonly SubmitMark[]): Promise<boolean[]> {
  if (marks.length === 0) return [];
  const r = await c.query<{ id: string }>(DISPATCH_SQL.mark, [
    marks.map((k) => k.messageId), marks.map((k) => k.owner), marks.map((k) => k.attempt), marks.map((k) => k.heldUntil),
  ]);
  const done = new Set(r.rows.map((row) => row.id));
  return marks.map((k) => done.has(k.messageId));
}

/** Applies transitions of distinct messages in one statement; returns which applied. What final statuses add to usage goes to `usage`. */
async function transitionAll(
  c: Client,
  ts: readonly Transition[],
  touched: Touch[],
  usage: UsageDelta[],
  quality: QualityDelta[],
  hourly: HourlyDelta[],
  leasing?: Leasing,
): Promise<boolean[]> {
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
       attempts = m.attempts + w.increment,
       sent_at = CASE WHEN w.status = 'sent' THEN w.at WHEN w.status IN ('queued', 'scheduled', 'sending') THEN NULL ELSE m.sent_at END
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
      await post(c, { id: newId('led', t.event.at), accountId: row.account_id, at: t.event.at, type: 'refund', amount: Number(row.price), messageId: row.id, messages: 1, counterparty: null, description: t.to }, touched);
    }
    const route = row && parseJson<AcceptedRoute>(row.route);
    const delta = row && usageAtFinal(row, t.to, route ?? null);
    if (delta) usage.push(delta);
    const measured = row && qualityAt(row, t, route ?? null);
    if (measured) quality.push(measured);
    const hour = row && hourlyAtFinal(row, t);
    if (hour) hourly.push(hour);
  }
  const receipts = ts.flatMap((t) => {
    const row = applied.get(t.messageId);
    const until = row && smppReceiptUntil(row, t, t.event.at);
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
      return row && type ? [{ accountId: row.account_id, messageId: row.id, callbackUrl: rowCallbackFor(row, type, t), type, at: t.event.at, data: toMessage(row) }] : [];
    }),
    touched,
    leasing,
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
async function emit(c: Client, items: readonly Emitted[], touched: Touch[], leasing?: Leasing): Promise<void> {
  if (items.length === 0) return;
  const accounts = [...new Set(items.map((i) => i.accountId))];
  const subscriptions = subscriptionsOf((await c.query<{ account_id: string; events: string }>(WEBHOOK_SQL.subscriptions, [accounts])).rows);
  const events = items.filter((i) => i.callbackUrl || subscribed(subscriptions, i.accountId, i.type)).map((i) => ({ id: newId('evt', i.at), ...i }));
  if (events.length === 0) return;
  const col = <K extends keyof (typeof events)[number]>(k: K) => events.map((e) => e[k]);
  await c.query('INSERT INTO webhook_events (id, account_id, message_id, type, created_at, data) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])', [
    col('id'), col('accountId'), col('messageId'), col('type'), col('at'), events.map((e) => JSON.stringify(e.data)),
  ]);
  const lease = leasing && leasing.left > 0 ? leasing : undefined;
  const made = (
    await c.query<DeliveryRow & Touch & { secret: string; batch_max_events: number | null; batch_max_wait_ms: number | null }>(WEBHOOK_SQL.emit, [
      col('id'), col('accountId'), col('messageId'), col('type'), col('at'), col('callbackUrl'),
      lease?.owner ?? null, lease?.leaseUntil ?? 0, lease?.perTarget ?? 0, lease?.left ?? 0,
    ])
  ).rows;
  touched.push(...made);
  if (!lease) return;
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const d of made) {
    if (d.lease_owner === null) continue;
    const e = byId.get(d.event_id)!;
    lease.made.push(leasedOf(d, { id: e.id, type: e.type, createdAt: e.at, data: e.data }, d));
    lease.left--;
  }
}

/** Adds to the hourly counters (deltas one per row, in key order: see mergeHourly). */
async function addHourly(c: Client, deltas: readonly HourlyDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const col = <K extends keyof HourlyDelta>(k: K) => deltas.map((d) => d[k]);
  await c.query(NUMBERS_SQL.addHourly, [col('accountId'), col('hour'), col('connection'), col('country'), col('errorCode'), col('providerCode'), col('messages'), col('delivered'), col('failed'), col('unknown'), col('charged')]);
}

/** Adds to the usage counters (deltas one per row, in key order: see merge). */
async function addUsage(c: Client, deltas: readonly UsageDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const col = <K extends keyof UsageDelta>(k: K) => deltas.map((d) => d[k]);
  await c.query(NUMBERS_SQL.addUsage, [
    col('accountId'), col('day'), col('country'), col('connection'), col('messages'), col('segments'), col('delivered'), col('failed'), col('charged'), col('cost'),
  ]);
}

/** Adds to the quality counters (deltas one per row, in key order: see mergeQuality). */
async function addQuality(c: Client, deltas: readonly QualityDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const key = <K extends 'hour' | 'connection' | 'country' | 'network'>(k: K) => deltas.map((d) => d[k]);
  const counter = (name: string, i: number) => deltas.map((d) => (i >= 6 ? d.counts.latency[i - 6]! : d.counts[name as 'submits']));
  await c.query(QUALITY_SQL.add, [key('hour'), key('connection'), key('country'), key('network'), ...QUALITY_COUNTS.map(counter)]);
  const errors = deltas.flatMap((d) => Object.entries(d.counts.errors).map(([code, n]) => ({ ...d, code, n })));
  if (errors.length === 0) return;
  await c.query(QUALITY_SQL.addErrors, [errors.map((e) => e.hour), errors.map((e) => e.connection), errors.map((e) => e.country), errors.map((e) => e.network), errors.map((e) => e.code), errors.map((e) => e.n)]);
}

/** A delivery made, as its target counts it. */
interface Touch {
  readonly target: string;
  readonly endpoint_id: string | null;
  readonly due_at: number | null;
  /** Set when it was leased as it was made: in flight, not waiting for a claim. */
  readonly lease_owner: string | null;
}

/** Counts what `emit` made on its targets: call it last in the transaction (see WEBHOOK_SQL). */
async function touchTargets(c: Client, touched: readonly Touch[]): Promise<void> {
  if (touched.length === 0) return;
  const by = new Map<string, { endpointId: string | null; n: number; due: number | null; dues: number; leased: number }>();
  for (const t of touched) {
    const e = by.get(t.target) ?? { endpointId: t.endpoint_id, n: 0, due: null, dues: 0, leased: 0 };
    e.n++;
    if (t.lease_owner !== null) e.leased++;
    else if (t.due_at !== null) (e.dues++, (e.due = e.due === null ? t.due_at : Math.min(e.due, t.due_at)));
    by.set(t.target, e);
  }
  const targets = [...by.keys()].sort();
  const rows = targets.map((t) => by.get(t)!);
  await c.query(WEBHOOK_SQL.touchTargets, [targets, rows.map((r) => r.endpointId), rows.map((r) => r.n), rows.map((r) => r.due), rows.map((r) => r.dues), rows.map((r) => r.leased)]);
}
