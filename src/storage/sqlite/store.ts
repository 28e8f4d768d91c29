import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
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
import { quotaDay, type Refusal } from '../../app/store.js';
import { countQuota } from '../../core/accounts/quota.js';
import { lowBalance } from '../../core/accounts/low-balance.js';
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
  toMessage,
  type ApiKeyRow,
  type AttemptRow,
  type DeliveryRow,
  CHANGED_COLUMNS,
  type ChangedRow,
  type ResendSourceRow,
  type EndpointRow,
  type EventRow,
  type MessageRow,
  toClaimed,
  faceCredentialOf,
  faceCredentialValues,
  FACE_CREDENTIAL_COLUMNS,
  type FaceCredentialRow,
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
import { merge, usageAtAccept, usageAtFinal, usageOf, type UsageDelta, type UsageRow } from '../usage.js';
import { MIGRATIONS } from './migrations.js';
import { degradationOf, LATENCY_COLUMNS, mergeQuality, QUALITY_PRUNE_SQL, qualityAt, qualityOf, type DegradationRow, type QualityDelta, type QualityErrorRow, type QualityRow } from '../quality.js';
import { QUALITY_SQL } from './quality-sql.js';
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
import { Statement, type Writes } from './statement.js';
import { asUnavailable } from './unavailable.js';
import { WalSync } from './wal-sync.js';
import { CREDENTIAL_SQL } from './credential-sql.js';
import { SMPP_SQL } from './smpp-sql.js';
import { answerValues, LOOKUP_COLUMNS, lookupOf, lookupValues, newestPerNumber, type LookupRow } from '../lookup-rows.js';
import type { LiveReading } from '../../core/lookups/live.js';
import { LOOKUP_SQL } from './lookup-sql.js';
import { COMPLIANCE_SQL } from './compliance-sql.js';
import { SUBSCRIPTIONS_SQL, subscribed, subscriptionsOf, type Subscriptions } from '../subscriptions.js';

export interface SqliteOptions {
  /** Path of the database file; its folder is created if missing. */
  readonly file: string;
  /**
   * `full` (default): a write is answered once the write-ahead log is synced, so an accepted
   * message survives a power loss (see WalSync); `normal` survives a crash of the process only.
   * Commits are batched either way.
   */
  readonly synchronous?: 'full' | 'normal';
  /**
   * Keep the quality counters (default true): off, outcomes are not measured, and `best` routes
   * and degradation have nothing to go on. For a comparison of the cost, not for production.
   */
  readonly qualityCounters?: boolean;
}


const MESSAGE_COLUMNS = `id, account_id, "to", "from", text, encoding, segments, status, error_code, error, client_ref,
  callback_url, send_at, expires_at, created_at, updated_at, connection, attempts, provider_message_id, due_at, lease_owner, route, price, callback_events, face`;

/** What a batch of status changes adds to the counters, added once per counter row when the batch ends. */
interface Counters {
  readonly quality: QualityDelta[];
  readonly usage: (UsageDelta | undefined)[];
  readonly hourly: (HourlyDelta | undefined)[];
}

/** Thrown to roll back a transaction whose marks did not all take the message. */
const FULL = Symbol('full');

/** An enabled endpoint as the store fans events out to it. */
interface EndpointTarget {
  readonly id: string;
  readonly url: string;
  /** The event types it takes ('*': all). */
  readonly types: ReadonlySet<string>;
  readonly secret: string;
  readonly batch_max_events: number | null;
  readonly batch_max_wait_ms: number | null;
}

/**
 * The Store on an embedded SQLite file (WAL mode). better-sqlite3 is synchronous and a node owns
 * its file alone, so every method runs to completion at once, in a transaction where it writes
 * more than one row, with statements prepared once.
 */
export class SqliteStore implements Store {
  readonly #db: BetterSqlite3.Database;
  readonly #statements = new Map<string, Statement>();
  readonly #writes: Writes = { count: 0 };

  readonly #qualityCounters: boolean;

  constructor(options: SqliteOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    this.#db = new BetterSqlite3(options.file);
    try {
      this.#db.pragma('journal_mode = WAL');
    } catch (error) {
      // Its log cannot be made (a full disk): the node cannot start, and says why.
      this.#db.close();
      throw asUnavailable(error);
    }
    // SQLite itself never waits on the disk at a commit: durability, when wanted, is WalSync's.
    this.#db.pragma('synchronous = normal');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('foreign_keys = ON');
    this.#qualityCounters = options.qualityCounters ?? true;
    this.#guard(options.file, (options.synchronous ?? 'full') === 'full');
  }

  #wal: WalSync | undefined;

  /**
   * Every method: a failure of the file (disk full, locked, failing) is thrown as the service
   * unavailable (see asUnavailable); with `durable`, one that wrote a row resolves only once the
   * log holding it is on disk, one that only read answers at once. Done here, for all of them,
   * so that no method can forget either.
   */
  #guard(file: string, durable: boolean): void {
    const written = () => this.#writes.count;
    const wal = durable ? new WalSync(`${file}-wal`, written) : undefined;
    this.#wal = wal;
    const self = this as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of Object.getOwnPropertyNames(SqliteStore.prototype)) {
      const method = Object.getOwnPropertyDescriptor(SqliteStore.prototype, name)!.value as unknown;
      if (name === 'constructor' || name === 'close' || typeof method !== 'function') continue;
      self[name] = async (...args: unknown[]) => {
        const before = written();
        try {
          const result = await method.apply(this, args);
          const after = written();
          if (wal && after !== before) await wal.durable(after);
          return result;
        } catch (error) {
          throw asUnavailable(error);
        }
      };
    }
  }

  #sql(text: string): Statement {
    let stmt = this.#statements.get(text);
    if (!stmt) {
      stmt = new Statement(this.#db.prepare(text), this.#writes);
      this.#statements.set(text, stmt);
    }
    return stmt;
  }

  /** An embedded file: no server of its own to be set wrong. */
  async serverWarnings(): Promise<string[]> {
    return [];
  }

  /** None to keep: SQLite plans by its indexes' shape, and a node's file never has statistics (the plan tests read it so). */
  async refreshStatistics(): Promise<string[]> {
    return [];
  }

  async migrate(): Promise<void> {
    this.#db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    const applied = new Set((this.#db.prepare('SELECT id FROM schema_migrations').all() as { id: number }[]).map((r) => r.id));
    for (const m of MIGRATIONS) {
      if (applied.has(m.id)) continue;
      this.#db.transaction(() => {
        this.#db.exec(m.sql);
        this.#sql('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, Date.now());
      }).immediate();
    }
  }

  async ping(): Promise<void> {
    this.#sql('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.#wal?.close();
    this.#db.close();
  }

  async ensureAccount(id: string, name: string, now: number): Promise<boolean> {
    return this.#sql('INSERT INTO accounts (id, name, created_at, path) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING').run(id, name, now, id).changes > 0;
  }

  async createAccount(a: NewAccount): Promise<void> {
    const changes = this.#sql(
      `INSERT INTO accounts (id, parent_id, path, name, currency, prices, created_at) SELECT ?, id, path || '/' || ?, ?, ?, ?, ? FROM accounts WHERE id = ?`,
    ).run(a.id, a.id, a.name, a.currency, json(a.prices), a.createdAt, a.parentId).changes;
    if (changes === 0) throw new Error(`no parent account ${a.parentId}`);
  }

  async getAccount(id: string): Promise<Account | undefined> {
    const row = this.#sql('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    return row && accountOf(row);
  }

  async inactiveAccounts(ids: readonly string[]): Promise<Map<string, Exclude<AccountStatus, 'active'>>> {
    const rows = this.#sql(ACCOUNT_SQL.inactive).all({ ids: JSON.stringify(ids) }) as { id: string; status: Exclude<AccountStatus, 'active'> }[];
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  async listAccounts(parentId: string): Promise<Account[]> {
    return (this.#sql('SELECT * FROM accounts WHERE parent_id = ? ORDER BY created_at, id').all(parentId) as AccountRow[]).map(accountOf);
  }

  async updateAccount(id: string, patch: AccountPatch): Promise<boolean> {
    const { sets, values } = accountSets(patch, () => '?');
    if (sets.length === 0) return (await this.getAccount(id)) !== undefined;
    return this.#sql(`UPDATE accounts SET ${sets.join(', ')} WHERE id = ?`).run(...values, id).changes > 0;
  }

  /**
   * Adds `amount` to the balance and writes its entry; undefined when `guard` (the balance after
   * must stay >= floor) fails. A debit that leaves balance + credit limit under the account's
   * low-balance threshold tells it once; a credit that lifts it back re-arms that.
   */
  #post(e: Omit<LedgerEntry, 'seq' | 'balanceAfter'>, floor?: 'zero' | 'credit'): LedgerEntry | undefined {
    const guard = floor === 'zero' ? ' AND balance + @amount >= 0' : floor === 'credit' ? ' AND balance + @amount >= -credit_limit' : '';
    const row = this.#sql(`UPDATE accounts SET balance = balance + @amount WHERE id = @id${guard} RETURNING balance, credit_limit, low_balance_threshold, low_balance_notified`).get({
      id: e.accountId,
      amount: e.amount,
    }) as { balance: number; credit_limit: number; low_balance_threshold: number | null; low_balance_notified: number } | undefined;
    if (!row) return undefined;
    const { seq } = this.#sql(`INSERT INTO ledger_entries (${LEDGER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`).get(
      e.id, e.accountId, e.at, e.type, e.amount, row.balance, e.messageId, e.messages, e.counterparty, e.description,
    ) as { seq: number };
    const threshold = row.low_balance_threshold;
    if (threshold !== null) {
      const available = row.balance + row.credit_limit;
      const low = available < threshold;
      if (low !== Boolean(row.low_balance_notified) && low === e.amount < 0) {
        this.#sql('UPDATE accounts SET low_balance_notified = ? WHERE id = ?').run(low ? 1 : 0, e.accountId);
        if (low) {
          const { notice, event } = lowBalance(e.accountId, available, threshold, e.at);
          this.#sql('INSERT INTO notices (account_id, at, type, message, detail) VALUES (?, ?, ?, ?, ?)').run(e.accountId, notice.at, notice.type, notice.message, json(notice.detail));
          this.#emit(e.accountId, e.accountId, null, 'account.low_balance', e.at, () => event);
        }
      }
    }
    return { ...e, seq, balanceAfter: row.balance };
  }

  async topUp(t: { id: string; accountId: string; amount: number; at: number; description: string | null }): Promise<LedgerEntry> {
    return this.#db.transaction(() => {
      const entry = this.#post({ id: t.id, accountId: t.accountId, at: t.at, type: 'top_up', amount: t.amount, messageId: null, messages: null, counterparty: null, description: t.description });
      if (!entry) throw new Error(`no account ${t.accountId}`);
      return entry;
    }).immediate();
  }

  async transfer(m: { from: string; to: string; amount: number; at: number; ids: readonly [string, string]; description: string | null }): Promise<LedgerEntry | undefined> {
    return this.#db.transaction(() => {
      const common = { at: m.at, messageId: null, messages: null, description: m.description };
      const out = this.#post({ ...common, id: m.ids[0], accountId: m.from, type: 'transfer_out', amount: -m.amount, counterparty: m.to }, 'zero');
      if (!out) return undefined;
      this.#post({ ...common, id: m.ids[1], accountId: m.to, type: 'transfer_in', amount: m.amount, counterparty: m.from });
      return out;
    }).immediate();
  }

  async postEntry(e: { id: string; accountId: string; type: 'charge' | 'refund'; amount: number; at: number; description: string }): Promise<LedgerEntry | undefined> {
    return this.#db.transaction(() => this.#post({ ...e, messageId: null, messages: null, counterparty: null }, e.amount < 0 ? 'credit' : undefined)).immediate();
  }

  async insertLookups(lookups: readonly StoredLookup[]): Promise<void> {
    const insert = this.#sql(`INSERT INTO lookups (${LOOKUP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#db.transaction(() => {
      for (const l of lookups) insert.run(...lookupValues(l, (v) => (v ? 1 : 0)));
    }).immediate();
  }

  async completeLookups(connection: string, answers: readonly { number: string; reading: LiveReading; raw: unknown }[]): Promise<StoredLookup[]> {
    const update = this.#sql(LOOKUP_SQL.complete);
    return this.#db.transaction(() =>
      answers.flatMap((a) => {
        const [reachability, network, ported, roaming, error, raw] = answerValues(a, (v) => (v ? 1 : 0));
        return (update.all({ connection, number: a.number, reachability, network, ported, roaming, error, raw }) as LookupRow[]).map(lookupOf);
      }),
    ).immediate();
  }

  async getLookup(accountId: string, id: string): Promise<StoredLookup | undefined> {
    const row = this.#sql(LOOKUP_SQL.get).get({ id, account: accountId }) as LookupRow | undefined;
    return row && lookupOf(row);
  }

  async latestLookups(numbers: readonly string[], since: number, accountId?: string): Promise<Map<string, StoredLookup>> {
    const rows = this.#sql(LOOKUP_SQL.latest).all({ numbers: JSON.stringify(numbers), since, account: accountId ?? null }) as LookupRow[];
    return newestPerNumber(rows);
  }

  async listLedger(accountId: string, f: LedgerFilter, limit: number): Promise<LedgerEntry[]> {
    const rows = this.#sql(
      `SELECT seq, ${LEDGER_COLUMNS} FROM ledger_entries WHERE account_id = ? AND (? IS NULL OR type = ?) AND (? IS NULL OR at >= ?) AND (? IS NULL OR at < ?)
         AND (? IS NULL OR seq < ?) ORDER BY seq DESC LIMIT +?`,
    ).all(accountId, f.type ?? null, f.type ?? null, f.since ?? null, f.since ?? null, f.until ?? null, f.until ?? null, f.before ?? null, f.before ?? null, limit) as LedgerRow[];
    return rows.map(ledgerOf);
  }

  async insertApiKey(key: NewApiKey): Promise<void> {
    this.#sql('INSERT INTO api_keys (id, account_id, hash, prefix, name, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      key.id, key.accountId, key.hash, key.prefix, key.name, key.scopes.join(','), key.createdAt,
    );
  }

  async findApiKeys(hashes: readonly string[]): Promise<(ApiKeyRecord & { hash: string; account: KeyAccount })[]> {
    const rows = this.#sql(
      `SELECT k.id, k.account_id, k.name, k.prefix, k.scopes, k.created_at, k.last_used_at, k.revoked_at, k.hash, ${KEY_ACCOUNT_COLUMNS}
         FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.hash IN (SELECT value FROM json_each(?)) AND k.revoked_at IS NULL`,
    ).all(JSON.stringify(hashes)) as (ApiKeyRow & AccountRow & { hash: string; ip_allowlists: string | null })[];
    return rows.map((r) => ({ ...apiKeyOf(r), hash: r.hash, account: keyAccountOf(r) }));
  }

  /** Shared SQL's `$n` placeholders as SQLite's named `@pn`, with its values. */
  #numbered(text: string, values: readonly unknown[]): { stmt: Statement; params: Record<string, unknown> } {
    return { stmt: this.#sql(text.replace(/\$(\d+)/g, '@p$1')), params: Object.fromEntries(values.map((v, i) => [`p${i + 1}`, v])) };
  }

  async insertUser(user: StoredUser): Promise<boolean> {
    const { stmt, params } = this.#numbered(USER_SQL.insert, userValues(user));
    return stmt.run(params).changes > 0;
  }

  async findUserByEmail(email: string): Promise<StoredUser | undefined> {
    const { stmt, params } = this.#numbered(USER_SQL.byEmail, [email]);
    const row = stmt.get(params) as UserRow | undefined;
    return row && userOf(row);
  }

  async listUsers(accountId: string): Promise<UserRecord[]> {
    const { stmt, params } = this.#numbered(USER_SQL.list, [accountId]);
    return (stmt.all(params) as UserRow[]).map((r) => publicUser(userOf(r)));
  }

  async recordSignInFailure(userId: string, max: number, lockUntil: number): Promise<void> {
    const { stmt, params } = this.#numbered(USER_SQL.failure, [userId, max, lockUntil]);
    stmt.run(params);
  }

  async signInFailures(key: string, now: number): Promise<{ failures: number; until: number } | undefined> {
    const { stmt, params } = this.#numbered(USER_SQL.failures, [key, now]);
    const row = stmt.get(params) as { failures: number; window_end: number } | undefined;
    return row && { failures: row.failures, until: row.window_end };
  }

  async countSignInFailure(key: string, max: number, now: number, until: number): Promise<void> {
    const count = this.#numbered(USER_SQL.countFailure, [key, max, now, until]);
    const prune = this.#numbered(USER_SQL.pruneFailures, [now]);
    this.#db.transaction(() => {
      count.stmt.run(count.params);
      prune.stmt.run(prune.params);
    })();
  }

  async clearSignInFailures(key: string): Promise<void> {
    const { stmt, params } = this.#numbered(USER_SQL.clearFailures, [key]);
    stmt.run(params);
  }

  async deleteUser(accountId: string, id: string): Promise<boolean> {
    const { stmt, params } = this.#numbered(USER_SQL.delete, [accountId, id]);
    return stmt.run(params).changes > 0;
  }

  async insertSession(session: SessionRecord): Promise<void> {
    const insert = this.#numbered(USER_SQL.insertSession, sessionValues(session));
    const reset = this.#numbered(USER_SQL.success, [session.userId]);
    this.#db.transaction(() => {
      insert.stmt.run(insert.params);
      reset.stmt.run(reset.params);
    })();
  }

  async findSession(hash: string, now: number): Promise<{ session: SessionRecord; user: UserRecord; account: KeyAccount } | undefined> {
    const { stmt, params } = this.#numbered(USER_SQL.find(KEY_ACCOUNT_COLUMNS), [hash, now]);
    const row = stmt.get(params) as (SessionRow & UserRow & AccountRow & { ip_allowlists: string | null }) | undefined;
    return row && { session: sessionOf(row), user: publicUser(userOf(row)), account: keyAccountOf(row) };
  }

  async deleteSession(hash: string): Promise<void> {
    const { stmt, params } = this.#numbered(USER_SQL.deleteSession, [hash]);
    stmt.run(params);
  }

  async deleteUserSessions(userId: string): Promise<number> {
    const { stmt, params } = this.#numbered(USER_SQL.deleteUserSessions, [userId]);
    return stmt.run(params).changes;
  }

  async insertFaceCredential(c: FaceCredential): Promise<void> {
    this.#sql(`INSERT INTO face_credentials (${FACE_CREDENTIAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...faceCredentialValues(c));
  }

  async findFaceCredentials(protocol: FaceProtocol, keys: readonly string[]): Promise<(FaceCredential & { account: KeyAccount })[]> {
    const rows = this.#sql(CREDENTIAL_SQL.findCredential).all({ protocol, keys: JSON.stringify(keys) }) as (FaceCredentialRow & AccountRow & { ip_allowlists: string | null })[];
    return rows.map((row) => ({ ...faceCredentialOf(row), account: keyAccountOf(row) }));
  }

  async getFaceCredential(id: string): Promise<FaceCredential | undefined> {
    const row = this.#sql(`SELECT ${FACE_CREDENTIAL_COLUMNS} FROM face_credentials WHERE id = ?`).get(id) as FaceCredentialRow | undefined;
    return row && faceCredentialOf(row);
  }

  async listFaceCredentials(accountId: string): Promise<FaceCredential[]> {
    return (this.#sql(`SELECT ${FACE_CREDENTIAL_COLUMNS} FROM face_credentials WHERE account_id = ? ORDER BY created_at, id`).all(accountId) as FaceCredentialRow[]).map(faceCredentialOf);
  }

  async revokeFaceCredential(accountId: string, id: string, at: number): Promise<boolean> {
    return this.#sql('UPDATE face_credentials SET revoked_at = ? WHERE account_id = ? AND id = ? AND revoked_at IS NULL').run(at, accountId, id).changes > 0;
  }

  async listApiKeys(accountId: string): Promise<ApiKeyRecord[]> {
    return (this.#sql(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE account_id = ? ORDER BY created_at, id`).all(accountId) as ApiKeyRow[]).map(apiKeyOf);
  }

  async revokeApiKey(accountId: string, id: string, at: number): Promise<boolean> {
    return this.#sql('UPDATE api_keys SET revoked_at = ? WHERE account_id = ? AND id = ? AND revoked_at IS NULL').run(at, accountId, id).changes > 0;
  }

  async touchApiKeys(ids: readonly string[], at: number): Promise<void> {
    this.#sql('UPDATE api_keys SET last_used_at = ? WHERE id IN (SELECT value FROM json_each(?)) AND (last_used_at IS NULL OR last_used_at < ?)').run(at, JSON.stringify(ids), at);
  }

  /** One node, charged at its account's row: it holds no slices. */
  async returnSlices(): Promise<number> {
    return 0;
  }

  async insertMessages(writes: readonly AcceptWrite[]): Promise<(string | Refusal)[]> {
    const insertMessage = this.#sql(`INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (${Array(25).fill('?').join(', ')})`);
    const saveIdempotency = (values: readonly unknown[]) => {
      const { stmt, params } = this.#numbered(IDEMPOTENCY_SQL.save, values);
      stmt.run(params);
    };
    return this.#db.transaction(() => {
      const stored: NewMessage[] = [];
      const responses = writes.map((w): string | Refusal => {
        let balance: number | null = null;
        if (w.charge) {
          const c = w.charge;
          // One writer at a time: what is read here is what the updates below change.
          const a = this.#sql('SELECT balance, credit_limit, daily_quota, quota_day, quota_used FROM accounts WHERE id = ?').get(c.accountId) as AccountRow;
          const quota = countQuota({ limit: a.daily_quota, day: a.quota_day, used: a.quota_used }, quotaDay(c.at), c.messages);
          if (!quota) return { refused: 'quota_exceeded', limit: a.daily_quota! };
          if (a.balance - c.amount < -a.credit_limit) return { refused: 'insufficient_credit' };
          const full = w.marks ? this.#takeMarks(w.marks) : -1;
          if (full >= 0) return { refused: 'compliance', mark: full };
          if (a.daily_quota !== null) this.#sql('UPDATE accounts SET quota_day = ?, quota_used = ? WHERE id = ?').run(quota.day, quota.used, c.accountId);
          if (c.amount > 0) {
            balance = this.#post(
              { id: c.entryId, accountId: c.accountId, at: c.at, type: 'charge', amount: -c.amount, messageId: w.messages[0]?.id ?? null, messages: w.messages.length, counterparty: null, description: null },
              'credit',
            )!.balanceAfter;
          } else balance = a.balance;
        } else {
          const full = w.marks ? this.#takeMarks(w.marks) : -1;
          if (full >= 0) return { refused: 'compliance', mark: full };
        }
        for (const m of w.messages) {
          insertMessage.run(
            m.id, m.accountId, m.to, m.from, m.text, m.encoding, m.segments, m.status, m.error?.code ?? null, json(m.error), m.clientRef,
            m.callbackUrl, m.sendAt, m.expiresAt, m.createdAt, m.updatedAt, m.connection, m.attempts, m.providerMessageId, m.dueAt, null, json(m.route), m.price ?? null, m.callbackEvents?.join(',') ?? null, m.face ?? null,
          );
          if (m.status === 'queued') this.#emit(m.accountId, m.id, callbackFor(m, 'message.queued'), 'message.queued', m.createdAt, () => messageOf(m));
        }
        stored.push(...w.messages);
        const response = w.respond(balance);
        const i = w.idempotency;
        if (i) saveIdempotency([i.accountId, i.key, i.requestHash, i.statusCode, response, i.createdAt]);
        return response;
      });
      this.#addUsage(usageAtAccept(stored));
      this.#addHourly(hourlyAtAccept(stored));
      return responses;
    }).immediate();
  }

  /** Counts the request against each of its marks, all or none (a savepoint in the accept's transaction): the index of the first full one, or -1. */
  #takeMarks(w: MarkWrite): number {
    const take = this.#sql(COMPLIANCE_SQL.takeMark);
    let full = -1;
    try {
      this.#db.transaction(() => {
        full = w.marks.findIndex((m) => take.get({ accountId: w.accountId, key: m.key, windowEnd: w.now + m.windowMs, now: w.now, limit: m.limit }) === undefined);
        if (full >= 0) throw FULL;
      })();
    } catch (error) {
      if (error !== FULL) throw error;
    }
    return full;
  }

  #addHourly(deltas: readonly HourlyDelta[]): void {
    for (const d of deltas) this.#sql(NUMBERS_SQL.addHourly).run(d);
  }

  async hourlyCounts(accountId: string, fromHour: number, toHour: number): Promise<HourlyRecord[]> {
    const { stmt, params } = this.#numbered(HOURLY_READ, [accountId, fromHour, toHour]);
    return (stmt.all(params) as HourlyRow[]).map((r) => hourlyOf(accountId, r));
  }

  #addUsage(deltas: readonly UsageDelta[]): void {
    for (const d of deltas) this.#sql(NUMBERS_SQL.addUsage).run(d);
  }

  #addQuality(d: QualityDelta): void {
    const key = { hour: d.hour, connection: d.connection, country: d.country, network: d.network };
    const { latency, errors, ...counts } = d.counts;
    this.#sql(QUALITY_SQL.add).run({ ...key, ...counts, ...Object.fromEntries(LATENCY_COLUMNS.map((c, i) => [c, latency[i]!])) });
    for (const [code, count] of Object.entries(errors)) this.#sql(QUALITY_SQL.addError).run({ ...key, code, count });
  }

  #insertEvent(messageId: string, event: MessageEvent): void {
    this.#sql('INSERT INTO message_events (message_id, at, type, status, error, detail, payload) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      ...eventValues(messageId, event),
    );
  }

  async getMessage(accountId: string, id: string): Promise<Message | undefined> {
    const row = this.#sql('SELECT * FROM messages WHERE id = ? AND account_id = ?').get(id, accountId) as MessageRow | undefined;
    return row && toMessage(row);
  }

  async findMessage(id: string): Promise<Message | undefined> {
    const row = this.#sql(DISPATCH_SQL.message).get({ id }) as MessageRow | undefined;
    return row && toMessage(row);
  }

  async listEvents(accountId: string, messageId: string): Promise<MessageEvent[]> {
    const rows = this.#sql(
      'SELECT at, type, status, error, detail, payload FROM message_events WHERE message_id = ? AND EXISTS (SELECT 1 FROM messages WHERE id = ? AND account_id = ?) ORDER BY id',
    ).all(messageId, messageId, accountId) as EventRow[];
    return rows.map(toEvent);
  }

  async listMessages(accountId: string, filter: MessageFilter, limit: number): Promise<Message[]> {
    const { sql, values } = messageLogSql(accountId, filter, limit, LOG_DIALECT);
    return (this.#sql(sql).all(...values) as MessageRow[]).map(toMessage);
  }

  /** The deliverer that deliveries made by status changes are leased to (see leaseAsMade). */
  #taker: DeliveryTaker | undefined;
  /** While applyWrites runs with a taker. */
  #leasing: Leasing | undefined;

  leaseAsMade(taker: DeliveryTaker): void {
    this.#taker = taker;
  }

  async applyWrites(writes: readonly StoreWrite[]): Promise<boolean[]> {
    const taker = this.#taker;
    if (!taker) return this.#applyWrites(writes);
    const leasing = (this.#leasing = leasingOf(taker));
    let applied: boolean[];
    try {
      applied = this.#applyWrites(writes);
    } finally {
      this.#leasing = undefined;
    }
    // Posted only once the change that made them is on disk: an event never tells of a change a
    // crash could undo. A log that cannot be synced fails the write itself; these leases lapse.
    if (leasing.made.length > 0) void (this.#wal?.durable(this.#writes.count) ?? Promise.resolve()).then(() => taker.take(leasing.made), () => undefined);
    return applied;
  }

  #applyWrites(writes: readonly StoreWrite[]): boolean[] {
    return this.#db.transaction(() => {
      // Counters are added once per counter row at the end: a batch of receipts of one account,
      // connection and destination is one upsert each, not one per receipt.
      const counters: Counters = { quality: [], usage: [], hourly: [] };
      const applied = writes.map((w) => {
        if ('transition' in w) return this.#transition(w.transition, counters);
        if ('submitting' in w) {
          const { messageId, owner, attempt, heldUntil } = w.submitting;
          return this.#sql(DISPATCH_SQL.mark).run({ id: messageId, owner, attempt, heldUntil }).changes > 0;
        }
        this.#insertEvent(w.note.messageId, w.note.event);
        return true;
      });
      for (const d of mergeQuality(counters.quality)) this.#addQuality(d);
      this.#addUsage(merge(counters.usage));
      this.#addHourly(mergeHourly(counters.hourly));
      return applied;
    })();
  }

  #transition(t: Transition, counters: Counters): boolean {
    if (t.providerIds && t.providerIds.length > 0) {
      const insert = this.#sql(
        'INSERT INTO provider_ids (connection, provider_message_id, message_id, part, parts) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      );
      for (const r of t.providerIds) insert.run(r.connection, r.providerMessageId, r.messageId, r.part, r.parts);
    }
    // Only the columns this change sets are in the statement: an index on a column left out is
    // not rewritten (the connection's and the error's, on most changes).
    const sets = ['status = @to', 'updated_at = @at', 'due_at = @due', 'lease_owner = NULL'];
    const values: Record<string, unknown> = { id: t.messageId, to: t.to, at: t.event.at, due: t.dueAt };
    const set = (assignment: string, name: string, value: unknown) => {
      sets.push(assignment);
      values[name] = value;
    };
    if (t.error !== undefined) {
      set('error = @error', 'error', json(t.error));
      set('error_code = @errorCode', 'errorCode', t.error?.code ?? null);
    }
    if (t.connection) set('connection = @connection', 'connection', t.connection);
    if (t.providerMessageId) set('provider_message_id = @providerMessageId', 'providerMessageId', t.providerMessageId);
    if (t.attemptsDelta) set('attempts = attempts + @increment', 'increment', t.attemptsDelta);
    if (t.to === 'sent') sets.push('sent_at = @at');
    else if (t.to === 'queued' || t.to === 'scheduled' || t.to === 'sending') sets.push('sent_at = NULL');
    t.from.forEach((status, i) => (values[`from${i}`] = status));
    let where = `id = @id AND status IN (${t.from.map((_, i) => `@from${i}`).join(', ')})`;
    if (t.claim) {
      where += ' AND lease_owner = @claimOwner AND attempts = @claimAttempt';
      values.claimOwner = t.claim.owner;
      values.claimAttempt = t.claim.attempt;
    }
    const type = lifecycleEvent(t.from, t.to);
    // The whole message when an endpoint may queue it; its callback URL may still ask for it below.
    const whole = type !== undefined && this.#anyTakes(type);
    const row = this.#sql(`UPDATE messages SET ${sets.join(', ')} WHERE ${where} RETURNING ${whole ? '*' : CHANGED_COLUMNS}`).get(values) as ChangedRow | undefined;
    if (!row) return false;
    this.#insertEvent(t.messageId, t.event);
    if (row.price && row.provider_message_id === null && REFUNDED_STATUSES.includes(t.to)) {
      this.#post({ id: newId('led', t.event.at), accountId: row.account_id, at: t.event.at, type: 'refund', amount: Number(row.price), messageId: row.id, messages: 1, counterparty: null, description: t.to });
    }
    const route = parseJson<AcceptedRoute>(row.route);
    counters.usage.push(usageAtFinal(row, t.to, route));
    const measured = this.#qualityCounters && qualityAt(row, t, route);
    if (measured) counters.quality.push(measured);
    counters.hourly.push(hourlyAtFinal(row, t, route));
    if (type) {
      const message = () => toMessage((whole ? row : this.#sql(DISPATCH_SQL.message).get({ id: row.id })) as MessageRow);
      this.#emit(row.account_id, row.id, rowCallbackFor(row, type, t), type, t.event.at, message);
    }
    const until = smppReceiptUntil(row, t, t.event.at);
    if (until !== undefined) this.#sql(SMPP_SQL.owe).run({ accountId: row.account_id, kind: 'receipt', ref: row.id, expiresAt: until });
    return true;
  }

  /** What accounts' enabled endpoints take: an event none takes costs no look-up. */
  #subscriptions: Subscriptions | undefined;

  #readSubscriptions(): Subscriptions {
    return (this.#subscriptions ??= subscriptionsOf(this.#sql(SUBSCRIPTIONS_SQL).all() as { account_id: string; events: string }[]));
  }

  /**
   * Each account's enabled endpoints, read at its first event and kept until an endpoint
   * changes, as the subscriptions are: only this store writes them (a file has one node).
   */
  readonly #endpointsOf = new Map<string, readonly EndpointTarget[]>();

  #readEndpoints(accountId: string): readonly EndpointTarget[] {
    let endpoints = this.#endpointsOf.get(accountId);
    if (!endpoints) {
      const rows = this.#sql(WEBHOOK_SQL.endpoints).all({ accountId }) as (Omit<EndpointTarget, 'types'> & { events: string })[];
      endpoints = rows.map(({ events, ...r }) => ({ ...r, types: new Set(events.split(',')) }));
      this.#endpointsOf.set(accountId, endpoints);
    }
    return endpoints;
  }

  #endpointsChanged(): void {
    this.#subscriptions = undefined;
    this.#endpointsOf.clear();
  }

  /** The event types some account's endpoint takes, for the subscriptions they were read from. */
  #takenByAny: { readonly of: Subscriptions; readonly types: ReadonlySet<string> } | undefined;

  #anyTakes(type: string): boolean {
    const subscriptions = this.#readSubscriptions();
    if (this.#takenByAny?.of !== subscriptions) this.#takenByAny = { of: subscriptions, types: new Set([...subscriptions.values()].flatMap((t) => [...t])) };
    return this.#takenByAny.types.has('*') || this.#takenByAny.types.has(type);
  }

  /**
   * Queues a webhook event, in the transaction of the change it tells, for every enabled
   * endpoint of the account that takes its type and for the message's own callback URL.
   */
  #emit(accountId: string, messageId: string, callbackUrl: string | null, type: string, at: number, data: () => unknown): void {
    if (!callbackUrl && !subscribed(this.#readSubscriptions(), accountId, type)) return;
    const eventId = newId('evt', at);
    const event = { id: eventId, type, createdAt: at, data: data() };
    this.#sql('INSERT INTO webhook_events (id, account_id, message_id, type, created_at, data) VALUES (?, ?, ?, ?, ?, ?)').run(eventId, accountId, messageId, type, at, JSON.stringify(event.data));
    for (const e of this.#readEndpoints(accountId)) if (e.types.has('*') || e.types.has(type)) this.#queueDelivery(event, accountId, messageId, e.id, e.id, e.url, e.batch_max_events, () => e);
    if (callbackUrl) {
      const callback = () => ({ ...(this.#sql('SELECT secret FROM callback_secrets WHERE account_id = ?').get(accountId) as { secret: string }), batch_max_events: null, batch_max_wait_ms: null });
      this.#queueDelivery(event, accountId, messageId, null, `callback:${callbackUrl}`, callbackUrl, null, callback);
    }
  }

  /**
   * One delivery of an event, due only at the head of its (message, target) chain. While a node
   * takes deliveries as they are made (leaseAsMade), a head whose target has nothing waiting, no
   * failures and room (fewer than `perTarget` times its batch size in flight) is leased to it.
   * `posting` is read only then: what the node posts it with.
   */
  #queueDelivery(
    event: ClaimedDelivery['event'], accountId: string, messageId: string, endpointId: string | null, target: string, url: string, batchSize: number | null,
    posting: () => { secret: string; batch_max_events: number | null; batch_max_wait_ms: number | null },
  ): void {
    const at = event.createdAt;
    const chained = this.#sql(WEBHOOK_SQL.chained).get({ messageId, target }) !== undefined;
    const leasing = !chained && this.#leasing && this.#leasing.left > 0 ? this.#leasing : undefined;
    let taken = false;
    if (leasing) {
      const t = this.#sql(WEBHOOK_SQL.targetState).get({ target }) as { failures: number; active_at: number | null; in_flight: number } | undefined;
      taken = !t || (t.failures === 0 && t.active_at === null && t.in_flight < leasing.perTarget * (batchSize ?? 1));
    }
    const row: DeliveryRow = {
      id: newId('whd', at), event_id: event.id, account_id: accountId, message_id: messageId, endpoint_id: endpointId, target, url, status: 'pending', attempts: 0,
      due_at: chained ? null : taken ? leasing!.leaseUntil : at, lease_owner: taken ? leasing!.owner : null, created_at: at,
      last_attempt_at: null, last_status_code: null, last_error: null, resend_of: null,
    };
    this.#sql(WEBHOOK_SQL.insert).run({ id: row.id, eventId: event.id, accountId, messageId, endpointId, target, url, dueAt: row.due_at, leaseOwner: row.lease_owner, at });
    this.#sql(WEBHOOK_SQL.touchTarget).run({ target, endpointId, due: taken ? null : row.due_at, leased: taken ? 1 : 0 });
    if (!taken) return;
    leasing!.made.push(leasedOf(row, event, posting()));
    leasing!.left--;
  }

  async claimDue(claim: Claim): Promise<ClaimedMessage[]> {
    const { connection, now, limit, owner, leaseUntil } = claim;
    return this.#db.transaction(() => {
      const mode = claim.mode ?? 'send';
      const picked = this.#sql(mode === 'expired' ? DISPATCH_SQL.claimExpired : DISPATCH_SQL.claimDue).all({ connection, now, limit }) as { id: string; status: MessageStatus }[];
      if (picked.length === 0) return [];
      const before = new Map(picked.map((r) => [r.id, r.status]));
      const rows = this.#sql(DISPATCH_SQL.leaseClaimed).all({ owner, leaseUntil, now, send: mode === 'send' ? 1 : 0, ids: JSON.stringify(picked.map((r) => r.id)) }) as MessageRow[];
      return rows.map((row): ClaimedMessage => {
        const message = toMessage(row);
        const claimed = toClaimed(row, before.get(message.id)!);
        const claimedFrom = claimed.claimedFrom;
        if (message.status === 'sending' && claimedFrom !== 'sending') {
          for (const e of sendingEvents(claimedFrom, message.attempts, now, connection)) this.#insertEvent(message.id, e);
          // A scheduled message is queued when its send_at comes: that is its message.queued.
          if (claimedFrom === 'scheduled') this.#emit(message.accountId, message.id, callbackFor(message, 'message.queued'), 'message.queued', now, () => ({ ...message, status: 'queued', attempts: message.attempts - 1 }));
        }
        return claimed;
      });
    }).immediate();
  }

  async releaseLeases(now: number): Promise<number> {
    return this.#db.transaction(
      () =>
        this.#sql('UPDATE messages SET due_at = ?, lease_owner = NULL WHERE lease_owner IS NOT NULL').run(now).changes +
        this.#sql("UPDATE webhook_deliveries SET due_at = ? WHERE status = 'pending' AND lease_owner IS NOT NULL").run(now).changes,
    )();
  }

  async renewLeases(owner: string, messageIds: readonly string[], leaseUntil: number): Promise<number> {
    return this.#sql("UPDATE messages SET due_at = ? WHERE lease_owner = ? AND status = 'sending' AND id IN (SELECT value FROM json_each(?))").run(leaseUntil, owner, JSON.stringify(messageIds)).changes;
  }

  async queueDepth(): Promise<Record<string, number>> {
    const rows = this.#sql(
      "SELECT connection, count(*) AS n FROM messages WHERE due_at IS NOT NULL AND status IN ('queued', 'scheduled') GROUP BY connection",
    ).all() as { connection: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.connection, r.n]));
  }

  async findProviderIds(connection: string, providerMessageIds: readonly string[]): Promise<ProviderIdRecord[]> {
    const rows = this.#sql(DISPATCH_SQL.findProviderIds).all({ connection, ids: JSON.stringify(providerMessageIds) }) as ProviderIdRow[];
    return rows.map((r) => providerIdOf(connection, r));
  }

  async awaitingReceipts(connection: string): Promise<{ providerMessageId: string; to: string }[]> {
    return this.#sql(
      `SELECT p.provider_message_id AS providerMessageId, m."to" AS "to" FROM messages m JOIN provider_ids p ON p.message_id = m.id AND p.connection = m.connection
        WHERE m.connection = ? AND m.status = 'sent' AND m.due_at IS NOT NULL AND p.state IS NULL ORDER BY m.id, p.part`,
    ).all(connection) as { providerMessageId: string; to: string }[];
  }

  async setPartState(connection: string, providerMessageId: string, state: MessageStatus): Promise<void> {
    this.#sql('UPDATE provider_ids SET state = ? WHERE connection = ? AND provider_message_id = ?').run(state, connection, providerMessageId);
  }

  async partStates(messageId: string): Promise<{ part: number; parts: number; state: MessageStatus | null }[]> {
    return this.#sql('SELECT part, parts, state FROM provider_ids WHERE message_id = ? ORDER BY part').all(messageId) as {
      part: number;
      parts: number;
      state: MessageStatus | null;
    }[];
  }

  async parkReceipt(receipt: ParkedReceipt): Promise<void> {
    this.#sql('INSERT INTO parked_receipts (connection, provider_message_id, received_at, receipt) VALUES (?, ?, ?, ?)').run(
      receipt.connection,
      receipt.providerMessageId,
      receipt.receivedAt,
      JSON.stringify(receipt.receipt),
    );
  }

  async countParkedReceipts(): Promise<number> {
    return (this.#sql('SELECT count(*) AS n FROM parked_receipts').get() as { n: number }).n;
  }

  async parkedReceipts(connection: string, providerMessageIds: readonly string[]): Promise<ParkedReceipt[]> {
    const rows = this.#sql(
      'SELECT * FROM parked_receipts WHERE connection = ? AND provider_message_id IN (SELECT value FROM json_each(?)) ORDER BY id',
    ).all(connection, JSON.stringify(providerMessageIds)) as { connection: string; provider_message_id: string; received_at: number; receipt: string }[];
    return rows.map((r) => ({ connection: r.connection, providerMessageId: r.provider_message_id, receivedAt: r.received_at, receipt: JSON.parse(r.receipt) as unknown }));
  }

  async dropParkedReceipt(connection: string, providerMessageIds: readonly string[], receipt: unknown): Promise<number> {
    return this.#sql('DELETE FROM parked_receipts WHERE connection = ? AND provider_message_id IN (SELECT value FROM json_each(?)) AND receipt = ?').run(
      connection,
      JSON.stringify(providerMessageIds),
      JSON.stringify(receipt),
    ).changes;
  }

  async strandedReceipts(after: number, limit: number): Promise<{ stranded: { connection: string; providerMessageId: string }[]; next: number }> {
    const rows = this.#sql(RECEIPT_SQL.stranded).all({ after, limit }) as { id: number; connection: string; providerMessageId: string; known: number }[];
    return strandedOf(rows, limit);
  }

  async pruneQuality(beforeHour: number, limit: number): Promise<number> {
    return Object.values(QUALITY_PRUNE_SQL).reduce((n, sql) => {
      const { stmt, params } = this.#numbered(sql, [beforeHour, limit]);
      return n + stmt.run(params).changes;
    }, 0);
  }

  async pruneIdempotency(before: number, limit: number): Promise<number> {
    const { stmt, params } = this.#numbered(IDEMPOTENCY_SQL.prune, [before, limit]);
    return stmt.run(params).changes;
  }

  async getIdempotency(accountId: string, key: string, since: number): Promise<StoredIdempotency | undefined> {
    const { stmt, params } = this.#numbered(IDEMPOTENCY_SQL.find, [accountId, key, since]);
    const row = stmt.get(params) as
      | { request_hash: string; status_code: number; response: string }
      | undefined;
    return row && { requestHash: row.request_hash, statusCode: row.status_code, response: row.response };
  }

  async loadTopology(): Promise<SavedTopology | undefined> {
    const row = this.#sql('SELECT file_hash, topology, updated_at FROM topology WHERE id = 1').get() as { file_hash: string; topology: string; updated_at: number } | undefined;
    return row && { fileHash: row.file_hash, ...(JSON.parse(row.topology) as { connections: Record<string, unknown>[]; routes: Route[] }), updatedAt: Number(row.updated_at) };
  }

  async saveTopology(saved: SavedTopology): Promise<void> {
    this.#sql(
      `INSERT INTO topology (id, file_hash, topology, updated_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET file_hash = excluded.file_hash, topology = excluded.topology, updated_at = excluded.updated_at`,
    ).run(saved.fileHash, JSON.stringify({ connections: saved.connections, routes: saved.routes }), saved.updatedAt);
  }

  async insertInbound(m: InboundMessage): Promise<void> {
    this.#db.transaction(() => {
      this.#sql('INSERT INTO inbound_messages (id, account_id, connection, "from", "to", text, received_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        m.id, m.accountId, m.connection, m.from, m.to, m.text, m.receivedAt, json(m.payload),
      );
      this.#emit(m.accountId, m.id, null, 'message.received', m.receivedAt, () => m);
      this.#sql(SMPP_SQL.oweInbound).run({ accountId: m.accountId, ref: m.id, expiresAt: m.receivedAt + SMPP_INBOUND_HOLD_MS });
    })();
  }

  async claimSmppOutbox(accountId: string, now: number, leaseUntil: number, limit: number): Promise<SmppOwed[]> {
    return this.#db.transaction(() => {
      const rows = this.#sql(SMPP_SQL.due).all({ accountId, now, limit }) as SmppOutboxRow[];
      const expired = rows.filter((r) => r.expires_at <= now);
      const live = rows.filter((r) => r.expires_at > now);
      if (expired.length > 0) this.#sql(SMPP_SQL.finish).run({ seqs: JSON.stringify(expired.map((r) => r.seq)) });
      if (live.length === 0) return [];
      this.#sql(SMPP_SQL.lease).run({ leaseUntil, seqs: JSON.stringify(live.map((r) => r.seq)) });
      const refs = (kind: SmppOutboxRow['kind']) => JSON.stringify(live.filter((r) => r.kind === kind).map((r) => r.ref));
      const messages = new Map((this.#sql(SMPP_SQL.messages).all({ ids: refs('receipt') }) as MessageRow[]).map((r) => [r.id, toMessage(r)]));
      const inbound = new Map((this.#sql(SMPP_SQL.inbound).all({ ids: refs('mo') }) as InboundRow[]).map((r) => [r.id, toInbound(r)]));
      return owed(live, messages, inbound);
    }).immediate();
  }

  async finishSmppOutbox(seqs: readonly number[]): Promise<void> {
    if (seqs.length > 0) this.#sql(SMPP_SQL.finish).run({ seqs: JSON.stringify(seqs) });
  }

  async retrySmppOutbox(seqs: readonly number[], at: number): Promise<void> {
    if (seqs.length > 0) this.#sql(SMPP_SQL.retry).run({ at, seqs: JSON.stringify(seqs) });
  }

  async insertEndpoint(e: WebhookEndpoint): Promise<void> {
    this.#sql(
      `INSERT INTO webhook_endpoints (id, account_id, url, description, events, secret, created_at, failing_since, disabled_at, disabled_reason, batch_max_events, batch_max_wait_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(e.id, e.accountId, e.url, e.description, e.events.join(','), e.secret, e.createdAt, e.failingSince, e.disabledAt, e.disabledReason, e.batch?.maxEvents ?? null, e.batch?.maxWaitMs ?? null);
    this.#endpointsChanged();
  }

  async listEndpoints(accountId: string): Promise<WebhookEndpoint[]> {
    return (this.#sql('SELECT * FROM webhook_endpoints WHERE account_id = ? ORDER BY created_at, id').all(accountId) as EndpointRow[]).map(endpointOf);
  }

  async getEndpoint(accountId: string, id: string): Promise<WebhookEndpoint | undefined> {
    const row = this.#sql('SELECT * FROM webhook_endpoints WHERE account_id = ? AND id = ?').get(accountId, id) as EndpointRow | undefined;
    return row && endpointOf(row);
  }

  async updateEndpoint(accountId: string, id: string, patch: EndpointPatch): Promise<boolean> {
    const { sets, values } = endpointSets(patch, () => '?');
    if (sets.length === 0) return (await this.getEndpoint(accountId, id)) !== undefined;
    const changes = this.#sql(`UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE account_id = ? AND id = ?`).run(...values, accountId, id).changes;
    if (changes > 0 && patch.disabledAt) this.#sql(WEBHOOK_SQL.wake).run({ target: id, at: patch.disabledAt });
    this.#endpointsChanged();
    return changes > 0;
  }

  async deleteEndpoint(accountId: string, id: string): Promise<boolean> {
    const changes = this.#db.transaction(() => {
      const deleted = this.#sql('DELETE FROM webhook_endpoints WHERE account_id = ? AND id = ?').run(accountId, id).changes;
      if (deleted === 0) return 0;
      // What was still on its way there is dropped with it.
      this.#sql(WEBHOOK_SQL.dropTarget).run({ target: id });
      this.#sql('DELETE FROM webhook_targets WHERE target = ?').run(id);
      return deleted;
    })();
    this.#endpointsChanged();
    return changes > 0;
  }

  async disableEndpoint(accountId: string, id: string, disabled: { at: number; reason: string; notice: Notice; event: unknown }): Promise<boolean> {
    return this.#db.transaction(() => {
      const changes = this.#sql('UPDATE webhook_endpoints SET disabled_at = ?, disabled_reason = ? WHERE account_id = ? AND id = ? AND disabled_at IS NULL').run(
        disabled.at, disabled.reason, accountId, id,
      ).changes;
      if (changes === 0) return false;
      this.#endpointsChanged();
      this.#sql(WEBHOOK_SQL.wake).run({ target: id, at: disabled.at });
      const n = disabled.notice;
      this.#sql('INSERT INTO notices (account_id, at, type, message, detail) VALUES (?, ?, ?, ?, ?)').run(accountId, n.at, n.type, n.message, json(n.detail));
      this.#emit(accountId, id, null, 'endpoint.disabled', disabled.at, () => disabled.event);
      return true;
    })();
  }

  async callbackSecret(accountId: string, create: () => string): Promise<string> {
    this.#sql('INSERT INTO callback_secrets (account_id, secret) VALUES (?, ?) ON CONFLICT (account_id) DO NOTHING').run(accountId, create());
    return (this.#sql('SELECT secret FROM callback_secrets WHERE account_id = ?').get(accountId) as { secret: string }).secret;
  }

  /**
   * Looks at targets, not at the backlog: the targets due with room, then each one's due
   * deliveries through its index. What was on its way to an endpoint since disabled is dropped,
   * with the reason, as it comes due.
   */
  async claimDeliveries(claim: DeliveryClaim): Promise<ClaimedDelivery[]> {
    return this.#db.transaction(() => this.#claimDeliveries(claim)).immediate();
  }

  async settleAndClaim(outcomes: readonly AttemptOutcome[], claim: DeliveryClaim): Promise<{ held: boolean[]; claimed: ClaimedDelivery[] }> {
    return this.#db.transaction(() => ({ held: this.#recordAttempts(outcomes), claimed: this.#claimDeliveries(claim) })).immediate();
  }

  #claimDeliveries(claim: DeliveryClaim): ClaimedDelivery[] {
    const { now, limit, perTarget, owner, leaseUntil } = claim;
    if (limit <= 0) return [];
    const taken = (this.#sql(WEBHOOK_SQL.lapsed).all({ now, limit }) as { seq: number }[]).map((r) => r.seq);
    const targets = this.#sql(WEBHOOK_SQL.activeTargets).all({ now, perTarget, limit }) as {
      target: string; in_flight: number; failures: number; version: number; disabled_at: number | null; disabled_reason: string | null; cap: number;
    }[];
    // Targets claimed from sleep until their earliest waiting delivery is due (once those taken are leased, below).
    const looked: typeof targets = [];
    for (const t of targets) {
      const room = limit - taken.length;
      if (room <= 0) break;
      if (t.disabled_at !== null) {
        const dropped = this.#sql(WEBHOOK_SQL.waitingOfTarget).all({ target: t.target, limit: room }) as { seq: number }[];
        for (const d of dropped) {
          this.#sql(WEBHOOK_SQL.drop).run({ seq: d.seq, reason: t.disabled_reason === null ? 'endpoint disabled' : `endpoint disabled: ${t.disabled_reason}` });
          this.#sql(WEBHOOK_SQL.dropped).run({ target: t.target });
        }
        if (dropped.length < room) this.#sql(WEBHOOK_SQL.parkTarget).run({ target: t.target, version: t.version });
        continue;
      }
      const ready = this.#sql(WEBHOOK_SQL.readyOfTarget).all({ target: t.target, now, limit: Math.min(room, t.cap - t.in_flight) }) as { seq: number }[];
      looked.push(t);
      if (ready.length === 0) continue;
      this.#sql(WEBHOOK_SQL.addInFlight).run({ target: t.target, n: ready.length });
      taken.push(...ready.map((r) => r.seq));
    }
    const seqs = JSON.stringify(taken);
    if (taken.length > 0) this.#sql(WEBHOOK_SQL.lease).run({ leaseUntil, owner, seqs });
    for (const t of looked) this.#sql(WEBHOOK_SQL.parkTarget).run({ target: t.target, version: t.version });
    if (taken.length === 0) return [];
    return (this.#sql(WEBHOOK_SQL.claimed).all({ seqs }) as ClaimedRow[]).map(claimedOf);
  }

  async renewDeliveryLeases(owner: string, deliveryIds: readonly string[], leaseUntil: number): Promise<number> {
    return this.#sql("UPDATE webhook_deliveries SET due_at = ? WHERE lease_owner = ? AND status = 'pending' AND id IN (SELECT value FROM json_each(?))").run(
      leaseUntil, owner, JSON.stringify(deliveryIds),
    ).changes;
  }

  async recordAttempt(o: AttemptOutcome): Promise<boolean> {
    return (await this.recordAttempts([o]))[0]!;
  }

  async recordAttempts(outcomes: readonly AttemptOutcome[]): Promise<boolean[]> {
    return this.#db.transaction(() => this.#recordAttempts(outcomes))();
  }

  #recordAttempts(outcomes: readonly AttemptOutcome[]): boolean[] {
    const answered: { target: string; outcome: AttemptOutcome; promoted: boolean }[] = [];
    const held = outcomes.map((o) => {
      const a = o.attempt;
      const row = this.#sql(WEBHOOK_SQL.record).get({
        at: a.at, statusCode: a.statusCode, error: a.error, status: o.result === 'retry' ? 'pending' : o.result, retryAt: o.retryAt, id: o.deliveryId, owner: o.owner,
      }) as { message_id: string; target: string } | undefined;
      if (!row) return false;
      this.#sql(WEBHOOK_SQL.attempt).run({ id: o.deliveryId, at: a.at, statusCode: a.statusCode, error: a.error, latencyMs: a.latencyMs, excerpt: a.responseExcerpt });
      const promoted = o.result !== 'retry' && this.#sql(WEBHOOK_SQL.promote).run({ at: a.at, messageId: row.message_id, target: row.target }).changes > 0;
      answered.push({ target: row.target, outcome: o, promoted });
      return true;
    });
    for (const t of foldAnswers(answered)) {
      this.#sql(WEBHOOK_SQL.answered).run({ target: t.target, n: t.n, ok: t.ok, ended: t.ended, promoted: t.promoted, reset: t.reset ? 1 : 0, failures: t.failures, retryAt: t.retryAt, wakeAt: t.wakeAt, at: t.at });
      if (t.endpointId) this.#sql(WEBHOOK_SQL.failing).run({ id: t.endpointId, reset: t.reset ? 1 : 0, failingSince: t.failingSince });
    }
    return held;
  }

  async webhookTargets(endpointIds?: readonly string[]): Promise<WebhookTargetStats[]> {
    return (this.#sql(WEBHOOK_SQL.targets).all({ ids: endpointIds ? JSON.stringify(endpointIds) : null }) as TargetRow[]).map(targetOf);
  }

  async listDeliveries(accountId: string, filter: { endpointId?: string; messageId?: string }, limit: number): Promise<WebhookDelivery[]> {
    const where = ['account_id = ?'];
    const values: unknown[] = [accountId];
    if (filter.endpointId) where.push('endpoint_id = ?'), values.push(filter.endpointId);
    if (filter.messageId) where.push('message_id = ?'), values.push(filter.messageId);
    return (this.#sql(`SELECT * FROM webhook_deliveries WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT +?`).all(...values, limit) as DeliveryRow[]).map(deliveryOf);
  }

  async getDelivery(accountId: string, id: string): Promise<{ delivery: WebhookDelivery; attempts: DeliveryAttempt[] } | undefined> {
    const row = this.#sql('SELECT * FROM webhook_deliveries WHERE account_id = ? AND id = ?').get(accountId, id) as DeliveryRow | undefined;
    if (!row) return undefined;
    const attempts = this.#sql('SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY id').all(id) as AttemptRow[];
    return { delivery: deliveryOf(row), attempts: attempts.map(attemptOf) };
  }

  async resendDelivery(accountId: string, deliveryId: string, id: string, at: number): Promise<WebhookDelivery | 'gone' | 'disabled' | undefined> {
    return this.#db.transaction(() => {
      const source = this.#sql(WEBHOOK_SQL.resendOf).get({ accountId, deliveryId }) as ResendSourceRow | undefined;
      if (!source) return undefined;
      if (source.endpoint_id !== null && source.endpoint_found === null) return 'gone';
      if (source.endpoint_disabled_at !== null) return 'disabled';
      const row = this.#sql(WEBHOOK_SQL.resend).get({
        id, eventId: source.event_id, accountId, messageId: source.message_id, endpointId: source.endpoint_id, target: source.target, url: source.endpoint_url ?? source.url, at, resendOf: source.id,
      }) as DeliveryRow & { target: string };
      this.#sql(WEBHOOK_SQL.touchTarget).run({ target: row.target, endpointId: row.endpoint_id, due: row.due_at, leased: 0 });
      return deliveryOf(row);
    }).immediate();
  }

  async pruneWebhookLog(before: number, after: number, limit: number): Promise<{ deleted: number; next: number | null }> {
    return this.#db.transaction(() => {
      const { expired, next } = expiredDeliveries(this.#sql(WEBHOOK_SQL.logAfter).all({ after, limit }) as LoggedDelivery[], before, limit);
      if (expired.length > 0) {
        this.#sql(WEBHOOK_SQL.pruneAttempts).run({ ids: JSON.stringify(expired.map((d) => d.id)) });
        this.#sql(WEBHOOK_SQL.pruneDeliveries).run({ seqs: JSON.stringify(expired.map((d) => d.seq)) });
        this.#sql(WEBHOOK_SQL.pruneEvents).run({ events: JSON.stringify([...new Set(expired.map((d) => d.event_id))]) });
      }
      return { deleted: expired.length, next };
    }).immediate();
  }

  async pruneMessages(before: number, after: string, limit: number): Promise<{ deleted: number; next: string | null }> {
    return this.#pruneMessageLog(RETENTION_SQL.messagesAfter, [RETENTION_SQL.pruneEvents, RETENTION_SQL.pruneProviderIds, RETENTION_SQL.pruneMessages], before, after, limit);
  }

  async pruneInbound(before: number, after: string, limit: number): Promise<{ deleted: number; next: string | null }> {
    return this.#pruneMessageLog(RETENTION_SQL.inboundAfter, [RETENTION_SQL.pruneInbound], before, after, limit);
  }

  /** One look of a message log's retention (sent or received): `look` reads it, each of `prunes` deletes by id, in order. */
  #pruneMessageLog(look: string, prunes: readonly string[], before: number, after: string, limit: number): { deleted: number; next: string | null } {
    return this.#db.transaction(() => {
      const { expired, next } = expiredMessages(this.#sql(look).all({ after, limit }) as LoggedMessage[], before, limit);
      if (expired.length > 0) {
        const ids = JSON.stringify(expired.map((m) => m.id));
        for (const prune of prunes) this.#sql(prune).run({ ids });
      }
      return { deleted: expired.length, next };
    }).immediate();
  }

  async listNotices(accountId: string, limit: number): Promise<Notice[]> {
    const rows = this.#sql('SELECT at, type, message, detail FROM notices WHERE account_id = ? ORDER BY id DESC LIMIT +?').all(accountId, limit) as { at: number; type: string; message: string; detail: string | null }[];
    return rows.map((r) => ({ at: Number(r.at), type: r.type, message: r.message, detail: parseJson<Record<string, unknown>>(r.detail) }));
  }

  async verifiedAmong(accountId: string, numbers: readonly string[]): Promise<Set<string>> {
    const rows = this.#sql(ACCOUNT_SQL.verified).all({ account: accountId, numbers: JSON.stringify(numbers) }) as { number: string }[];
    return new Set(rows.map((r) => r.number));
  }

  async getVerifiedNumber(accountId: string, number: string): Promise<VerifiedNumber | undefined> {
    const row = this.#sql(`SELECT ${VERIFIED_NUMBER_COLUMNS} FROM verified_numbers WHERE account_id = ? AND number = ?`).get(accountId, number) as VerifiedNumberRow | undefined;
    return row && verifiedNumberOf(row);
  }

  async putVerifiedNumber(n: VerifiedNumber): Promise<void> {
    this.#sql(
      `INSERT INTO verified_numbers (${VERIFIED_NUMBER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, number) DO UPDATE SET verified_at = excluded.verified_at, code_hash = excluded.code_hash,
           code_sent_at = excluded.code_sent_at, code_expires_at = excluded.code_expires_at, attempts = excluded.attempts`,
    ).run(...verifiedNumberValues(n));
  }

  async listVerifiedNumbers(accountId: string): Promise<VerifiedNumber[]> {
    return (this.#sql(`SELECT ${VERIFIED_NUMBER_COLUMNS} FROM verified_numbers WHERE account_id = ? ORDER BY created_at, number`).all(accountId) as VerifiedNumberRow[]).map(verifiedNumberOf);
  }

  async deleteVerifiedNumber(accountId: string, number: string): Promise<boolean> {
    return this.#sql('DELETE FROM verified_numbers WHERE account_id = ? AND number = ?').run(accountId, number).changes > 0;
  }

  async takeCodeAttempt(accountId: string, number: string, max: number): Promise<VerifiedNumber | undefined> {
    const row = this.#sql(
      `UPDATE verified_numbers SET attempts = attempts + 1 WHERE account_id = ? AND number = ? AND code_hash IS NOT NULL AND attempts < ? RETURNING ${VERIFIED_NUMBER_COLUMNS}`,
    ).get(accountId, number, max) as VerifiedNumberRow | undefined;
    return row && verifiedNumberOf(row);
  }

  async markVerified(accountId: string, number: string, codeHash: string, at: number): Promise<boolean> {
    return (
      this.#sql('UPDATE verified_numbers SET verified_at = ?, code_hash = NULL, code_sent_at = NULL, code_expires_at = NULL, attempts = 0 WHERE account_id = ? AND number = ? AND code_hash = ?').run(
        at,
        accountId,
        number,
        codeHash,
      ).changes > 0
    );
  }

  async optedOut(accountId: string, sender: string, numbers: readonly string[]): Promise<Set<string>> {
    if (numbers.length === 0) return new Set();
    const rows = (
      numbers.length === 1
        ? this.#sql(COMPLIANCE_SQL.optedOutOne).all({ accountId, sender, number: numbers[0] })
        : this.#sql(COMPLIANCE_SQL.optedOut).all({ accountId, sender, numbers: JSON.stringify(numbers) })
    ) as { number: string }[];
    return new Set(rows.map((r) => r.number));
  }

  async setOptOut(accountId: string, o: OptOut, optedOut: boolean): Promise<boolean> {
    const changes = optedOut
      ? this.#sql('INSERT INTO opt_outs (account_id, sender, number, created_at, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(accountId, o.sender, o.number, o.createdAt, o.source).changes
      : this.#sql('DELETE FROM opt_outs WHERE account_id = ? AND sender = ? AND number = ?').run(accountId, o.sender, o.number).changes;
    return changes > 0;
  }

  async importOptOuts(accountId: string, entries: readonly OptOut[]): Promise<number> {
    const insert = this.#sql('INSERT INTO opt_outs (account_id, sender, number, created_at, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
    return this.#db.transaction(() => entries.reduce((added, o) => added + insert.run(accountId, o.sender, o.number, o.createdAt, o.source).changes, 0)).immediate();
  }

  async pruneMarks(now: number, limit: number): Promise<number> {
    return this.#sql(COMPLIANCE_SQL.prune).run({ now, limit }).changes;
  }

  async peekMarks(accountId: string, marks: readonly Mark[], now: number): Promise<number> {
    const peek = this.#sql(COMPLIANCE_SQL.peekMark);
    return marks.findIndex((m) => ((peek.get({ accountId, key: m.key, now }) as { count: number } | undefined)?.count ?? 0) >= m.limit);
  }

  async listOptOuts(accountId: string, filter: { sender?: string; number?: string }, limit: number): Promise<OptOut[]> {
    const rows = this.#sql(
      `SELECT sender, number, created_at, source FROM opt_outs WHERE account_id = ? AND (? IS NULL OR sender = ?) AND (? IS NULL OR number = ?) ORDER BY created_at DESC LIMIT +?`,
    ).all(accountId, filter.sender ?? null, filter.sender ?? null, filter.number ?? null, filter.number ?? null, limit) as { sender: string; number: string; created_at: number; source: string }[];
    return rows.map((r) => ({ sender: r.sender, number: r.number, createdAt: Number(r.created_at), source: r.source }));
  }

  async listInbound(accountId: string, before: string | undefined, limit: number): Promise<InboundMessage[]> {
    const rows = this.#sql(
      `SELECT * FROM inbound_messages WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT +?`,
    ).all(accountId, before ?? '\uffff', limit) as InboundRow[];
    return rows.map(toInbound);
  }

  async numberOwner(number: string): Promise<string | undefined> {
    return (this.#sql(NUMBERS_SQL.owner).get({ number }) as { account_id: string } | undefined)?.account_id;
  }

  async getNumber(number: string): Promise<OwnedNumber | undefined> {
    const row = this.#sql('SELECT number, account_id, assigned_at FROM numbers WHERE number = ?').get(number) as NumberRow | undefined;
    return row && numberOf(row);
  }

  async assignNumber(n: OwnedNumber): Promise<void> {
    this.#sql('INSERT INTO numbers (number, account_id, assigned_at) VALUES (?, ?, ?) ON CONFLICT (number) DO UPDATE SET account_id = excluded.account_id, assigned_at = excluded.assigned_at').run(
      n.number, n.accountId, n.assignedAt,
    );
  }

  async releaseNumber(number: string): Promise<boolean> {
    return this.#sql('DELETE FROM numbers WHERE number = ?').run(number).changes > 0;
  }

  async listNumbers(accountId: string, after: string | undefined, limit: number): Promise<OwnedNumber[]> {
    const rows = this.#sql('SELECT number, account_id, assigned_at FROM numbers WHERE account_id = ? AND number > ? ORDER BY number LIMIT +?').all(accountId, after ?? '', limit) as NumberRow[];
    return rows.map(numberOf);
  }

  async usage(accountId: string, fromDay: number, toDay: number): Promise<UsageRecord[]> {
    return (this.#sql(NUMBERS_SQL.usage).all({ account: accountId, from: fromDay, to: toDay }) as UsageRow[]).map(usageOf);
  }

  async usageUnder(path: string, fromDay: number, toDay: number): Promise<UsageRecord[]> {
    return (this.#sql(NUMBERS_SQL.usageUnder).all({ path, from: fromDay, to: toDay }) as UsageRow[]).map(usageOf);
  }

  async qualityTotals(sinceHour: number, connection?: string, untilHour?: number): Promise<QualityRecord[]> {
    const args = { since: sinceHour, until: untilHour ?? null, connection: connection ?? null };
    return qualityOf(this.#sql(QUALITY_SQL.totals).all(args) as QualityRow[], this.#sql(QUALITY_SQL.errors).all(args) as QualityErrorRow[]);
  }

  async degradations(): Promise<Degradation[]> {
    return (this.#sql(QUALITY_SQL.degradations).all() as DegradationRow[]).map(degradationOf);
  }

  async setDegraded(change: DegradationChange): Promise<boolean> {
    return this.#db.transaction(() => {
      const d = change.degradation;
      const key = { connection: d.connection, country: d.country ?? '' };
      const statement = change.degraded ? this.#sql(QUALITY_SQL.degrade).run({ ...key, reason: d.reason, detail: JSON.stringify(d.detail), since: d.since }) : this.#sql(QUALITY_SQL.recover).run(key);
      if (statement.changes === 0) return false;
      const n = change.notice;
      this.#sql('INSERT INTO notices (account_id, at, type, message, detail) VALUES (?, ?, ?, ?, ?)').run(change.accountId, n.at, n.type, n.message, json(n.detail));
      this.#emit(change.accountId, d.connection, null, change.degraded ? 'connection.degraded' : 'connection.recovered', change.at, () => change.event);
      return true;
    }).immediate();
  }
}
