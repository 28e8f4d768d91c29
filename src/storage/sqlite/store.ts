import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type {
  ApiKeyRecord,
  Claim,
  ClaimedMessage,
  IdempotencyWrite,
  InboundMessage,
  MessageFilter,
  NewMessage,
  ParkedReceipt,
  ProviderIdRecord,
  SavedRoutes,
  Store,
  StoredIdempotency,
  StoreWrite,
  Transition,
} from '../../app/store.js';
import type { MessageStatus } from '../../core/lifecycle.js';
import type { Message, MessageEvent } from '../../core/message.js';
import type { Route } from '../../core/routing/router.js';
import { eventValues, json, parseJson, toEvent, toMessage, type EventRow, type MessageRow } from '../rows.js';
import { MIGRATIONS } from './migrations.js';

export interface SqliteOptions {
  /** Path of the database file; its folder is created if missing. */
  readonly file: string;
  /**
   * `full` (default) syncs the write-ahead log at every commit, so an accepted message survives
   * a power loss; `normal` survives a crash of the process only. Commits are batched either way.
   */
  readonly synchronous?: 'full' | 'normal';
}

const MESSAGE_COLUMNS = `id, account_id, "to", "from", text, encoding, segments, status, error_code, error, client_ref,
  callback_url, send_at, expires_at, created_at, updated_at, connection, attempts, provider_message_id, due_at, lease_owner, route`;

/**
 * The Store on an embedded SQLite file (WAL mode). better-sqlite3 is synchronous and a node owns
 * its file alone, so every method runs to completion at once, in a transaction where it writes
 * more than one row, with statements prepared once.
 */
export class SqliteStore implements Store {
  readonly #db: BetterSqlite3.Database;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(options: SqliteOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    this.#db = new BetterSqlite3(options.file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma(`synchronous = ${options.synchronous ?? 'full'}`);
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('foreign_keys = ON');
  }

  #sql(text: string): BetterSqlite3.Statement {
    let stmt = this.#statements.get(text);
    if (!stmt) {
      stmt = this.#db.prepare(text);
      this.#statements.set(text, stmt);
    }
    return stmt;
  }

  async migrate(): Promise<void> {
    this.#db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    const applied = new Set((this.#db.prepare('SELECT id FROM schema_migrations').all() as { id: number }[]).map((r) => r.id));
    for (const m of MIGRATIONS) {
      if (applied.has(m.id)) continue;
      this.#db.transaction(() => {
        this.#db.exec(m.sql);
        this.#db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, Date.now());
      }).immediate();
    }
  }

  async ping(): Promise<void> {
    this.#sql('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.#db.close();
  }

  async ensureAccount(id: string, name: string, now: number): Promise<boolean> {
    return this.#sql('INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING').run(id, name, now).changes > 0;
  }

  async insertApiKey(key: { id: string; accountId: string; hash: string; prefix: string; createdAt: number }): Promise<void> {
    this.#sql('INSERT INTO api_keys (id, account_id, hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)').run(key.id, key.accountId, key.hash, key.prefix, key.createdAt);
  }

  async findApiKey(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = this.#sql('SELECT id, account_id FROM api_keys WHERE hash = ? AND revoked_at IS NULL').get(hash) as { id: string; account_id: string } | undefined;
    return row && { id: row.id, accountId: row.account_id };
  }

  async insertMessages(messages: readonly NewMessage[], idempotency: readonly IdempotencyWrite[] = []): Promise<void> {
    const insertMessage = this.#sql(`INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (${Array(22).fill('?').join(', ')})`);
    const insertIdempotency = this.#sql(
      'INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#db.transaction(() => {
      for (const m of messages) {
        insertMessage.run(
          m.id, m.accountId, m.to, m.from, m.text, m.encoding, m.segments, m.status, m.error?.code ?? null, json(m.error), m.clientRef,
          m.callbackUrl, m.sendAt, m.expiresAt, m.createdAt, m.updatedAt, m.connection, m.attempts, m.providerMessageId, m.dueAt, null, json(m.route),
        );
        this.#insertEvent(m.id, m.firstEvent);
      }
      for (const i of idempotency) insertIdempotency.run(i.accountId, i.key, i.requestHash, i.statusCode, i.response, i.createdAt);
    })();
  }

  #insertEvent(messageId: string, event: MessageEvent): void {
    this.#sql('INSERT INTO message_events (message_id, at, type, status, error, detail, payload) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      ...eventValues(messageId, event),
    );
  }

  async getMessage(id: string): Promise<Message | undefined> {
    const row = this.#sql('SELECT * FROM messages WHERE id = ?').get(id) as MessageRow | undefined;
    return row && toMessage(row);
  }

  async listEvents(messageId: string): Promise<MessageEvent[]> {
    const rows = this.#sql('SELECT at, type, status, error, detail, payload FROM message_events WHERE message_id = ? ORDER BY id').all(messageId) as EventRow[];
    return rows.map(toEvent);
  }

  async listMessages(accountId: string, filter: MessageFilter, limit: number): Promise<Message[]> {
    const where = ['account_id = ?'];
    const params: unknown[] = [accountId];
    const add = (clause: string, value: unknown) => {
      where.push(clause);
      params.push(value);
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.to) add('"to" = ?', filter.to);
    if (filter.from) add('"from" = ?', filter.from);
    if (filter.errorCode) add('error_code = ?', filter.errorCode);
    if (filter.since !== undefined) add('created_at >= ?', filter.since);
    if (filter.until !== undefined) add('created_at < ?', filter.until);
    if (filter.before) add('id < ?', filter.before);
    const rows = this.#sql(`SELECT * FROM messages WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`).all(...params, limit) as MessageRow[];
    return rows.map(toMessage);
  }

  async applyWrites(writes: readonly StoreWrite[]): Promise<boolean[]> {
    return this.#db.transaction(() =>
      writes.map((w) => {
        if ('transition' in w) return this.#transition(w.transition);
        this.#insertEvent(w.note.messageId, w.note.event);
        return true;
      }),
    )();
  }

  #transition(t: Transition): boolean {
    if (t.providerIds && t.providerIds.length > 0) {
      const insert = this.#sql(
        'INSERT INTO provider_ids (connection, provider_message_id, message_id, part, parts) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      );
      for (const r of t.providerIds) insert.run(r.connection, r.providerMessageId, r.messageId, r.part, r.parts);
    }
    const changes = this.#sql(
      `UPDATE messages SET status = @to, updated_at = @at, due_at = @due, lease_owner = NULL,
         error = CASE WHEN @setError THEN @error ELSE error END,
         error_code = CASE WHEN @setError THEN @errorCode ELSE error_code END,
         connection = COALESCE(@connection, connection),
         provider_message_id = COALESCE(@providerMessageId, provider_message_id),
         attempts = attempts + @increment
       WHERE id = @id AND status IN (${t.from.map((_, i) => `@from${i}`).join(', ')})`,
    ).run({
      id: t.messageId,
      to: t.to,
      at: t.event.at,
      due: t.dueAt,
      setError: t.error === undefined ? 0 : 1,
      error: json(t.error),
      errorCode: t.error?.code ?? null,
      connection: t.connection ?? null,
      providerMessageId: t.providerMessageId ?? null,
      increment: t.incrementAttempts ? 1 : 0,
      ...Object.fromEntries(t.from.map((status, i) => [`from${i}`, status])),
    }).changes;
    if (changes === 0) return false;
    this.#insertEvent(t.messageId, t.event);
    return true;
  }

  async claimDue(claim: Claim): Promise<ClaimedMessage[]> {
    const { connection, now, limit, owner, leaseUntil } = claim;
    return this.#db.transaction(() => {
      const mode = claim.mode ?? 'send';
      const expired = mode === 'expired' ? ' AND expires_at <= @now' : '';
      const picked = this.#sql(`SELECT id, status FROM messages WHERE connection = @connection AND due_at <= @now${expired} ORDER BY due_at LIMIT @limit`).all({
        connection,
        now,
        limit,
      }) as {
        id: string;
        status: MessageStatus;
      }[];
      if (picked.length === 0) return [];
      const before = new Map(picked.map((r) => [r.id, r.status]));
      // One statement leases them all and starts those ready to send.
      const rows = this.#sql(
        `UPDATE messages SET lease_owner = @owner, due_at = @leaseUntil,
           attempts = attempts + (CASE WHEN @send AND status IN ('queued', 'scheduled') AND expires_at > @now THEN 1 ELSE 0 END),
           updated_at = CASE WHEN @send AND status IN ('queued', 'scheduled') AND expires_at > @now THEN @now ELSE updated_at END,
           status = CASE WHEN @send AND status IN ('queued', 'scheduled') AND expires_at > @now THEN 'sending' ELSE status END
         WHERE id IN (SELECT value FROM json_each(@ids)) RETURNING *`,
      ).all({ owner, leaseUntil, now, send: mode === 'send' ? 1 : 0, ids: JSON.stringify(picked.map((r) => r.id)) }) as MessageRow[];
      return rows.map((row): ClaimedMessage => {
        const message = toMessage(row);
        const claimedFrom = before.get(message.id)!;
        if (message.status === 'sending' && claimedFrom !== 'sending') {
          for (const e of claim.startEvents({ ...message, status: claimedFrom, attempts: message.attempts - 1 })) this.#insertEvent(message.id, e);
        }
        return { ...message, claimedFrom };
      });
    }).immediate();
  }

  async releaseLeases(now: number): Promise<number> {
    return this.#sql('UPDATE messages SET due_at = ?, lease_owner = NULL WHERE lease_owner IS NOT NULL').run(now).changes;
  }

  async queueDepth(): Promise<Record<string, number>> {
    const rows = this.#sql(
      "SELECT connection, count(*) AS n FROM messages WHERE due_at IS NOT NULL AND status IN ('queued', 'scheduled') GROUP BY connection",
    ).all() as { connection: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.connection, r.n]));
  }

  async findProviderId(connection: string, providerMessageId: string): Promise<ProviderIdRecord | undefined> {
    const row = this.#sql('SELECT message_id, part, parts FROM provider_ids WHERE connection = ? AND provider_message_id = ?').get(connection, providerMessageId) as
      | { message_id: string; part: number; parts: number }
      | undefined;
    return row && { connection, providerMessageId, messageId: row.message_id, part: row.part, parts: row.parts };
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

  async takeParkedReceipts(connection: string, providerMessageIds: readonly string[]): Promise<ParkedReceipt[]> {
    if (providerMessageIds.length === 0) return [];
    const rows = this.#sql(
      `DELETE FROM parked_receipts WHERE connection = ? AND provider_message_id IN (${providerMessageIds.map(() => '?').join(', ')}) RETURNING *`,
    ).all(connection, ...providerMessageIds) as { id: number; connection: string; provider_message_id: string; received_at: number; receipt: string }[];
    return rows
      .sort((a, b) => a.id - b.id)
      .map((r) => ({ connection: r.connection, providerMessageId: r.provider_message_id, receivedAt: r.received_at, receipt: JSON.parse(r.receipt) as unknown }));
  }

  async getIdempotency(accountId: string, key: string): Promise<StoredIdempotency | undefined> {
    const row = this.#sql('SELECT request_hash, status_code, response FROM idempotency_keys WHERE account_id = ? AND key = ?').get(accountId, key) as
      | { request_hash: string; status_code: number; response: string }
      | undefined;
    return row && { requestHash: row.request_hash, statusCode: row.status_code, response: row.response };
  }

  async loadRoutes(): Promise<SavedRoutes | undefined> {
    const row = this.#sql('SELECT file_hash, topology, updated_at FROM topology WHERE id = 1').get() as { file_hash: string; topology: string; updated_at: number } | undefined;
    return row && { fileHash: row.file_hash, routes: (JSON.parse(row.topology) as { routes: Route[] }).routes, updatedAt: Number(row.updated_at) };
  }

  async saveRoutes(saved: SavedRoutes): Promise<void> {
    this.#sql(
      `INSERT INTO topology (id, file_hash, topology, updated_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET file_hash = excluded.file_hash, topology = excluded.topology, updated_at = excluded.updated_at`,
    ).run(saved.fileHash, JSON.stringify({ routes: saved.routes }), saved.updatedAt);
  }

  async insertInbound(m: InboundMessage): Promise<void> {
    this.#sql('INSERT INTO inbound_messages (id, account_id, connection, "from", "to", text, received_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      m.id, m.accountId, m.connection, m.from, m.to, m.text, m.receivedAt, json(m.payload),
    );
  }

  async listInbound(accountId: string, before: string | undefined, limit: number): Promise<InboundMessage[]> {
    const rows = this.#sql(
      `SELECT * FROM inbound_messages WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
    ).all(accountId, before ?? '\uffff', limit) as { id: string; account_id: string; connection: string; from: string; to: string; text: string; received_at: number; payload: string | null }[];
    return rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      connection: r.connection,
      from: r.from,
      to: r.to,
      text: r.text,
      receivedAt: r.received_at,
      payload: parseJson<unknown>(r.payload),
    }));
  }
}
