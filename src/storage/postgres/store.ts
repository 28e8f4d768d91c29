import pg from 'pg';
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
  callback_url, send_at, expires_at, created_at, updated_at, connection, attempts, provider_message_id, due_at, lease_owner, route`;

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
    const r = await this.#pool.query('INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [id, name, now]);
    return (r.rowCount ?? 0) > 0;
  }

  async insertApiKey(key: { id: string; accountId: string; hash: string; prefix: string; createdAt: number }): Promise<void> {
    await this.#pool.query('INSERT INTO api_keys (id, account_id, hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5)', [key.id, key.accountId, key.hash, key.prefix, key.createdAt]);
  }

  async findApiKey(hash: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.#rows<{ id: string; account_id: string }>('SELECT id, account_id FROM api_keys WHERE hash = $1 AND revoked_at IS NULL', [hash]);
    return row && { id: row.id, accountId: row.account_id };
  }

  async insertMessages(messages: readonly NewMessage[], idempotency: readonly IdempotencyWrite[] = []): Promise<void> {
    await this.#tx(async (c) => {
      if (messages.length > 0) {
        // One statement whatever the batch size: a column array per field.
        const columns: unknown[][] = Array.from({ length: 22 }, () => []);
        for (const m of messages) {
          const values = [
            m.id, m.accountId, m.to, m.from, m.text, m.encoding, m.segments, m.status, m.error?.code ?? null, json(m.error), m.clientRef,
            m.callbackUrl, m.sendAt, m.expiresAt, m.createdAt, m.updatedAt, m.connection, m.attempts, m.providerMessageId, m.dueAt, null, json(m.route),
          ];
          values.forEach((v, i) => columns[i]!.push(v));
        }
        const casts = ['text', 'text', 'text', 'text', 'text', 'text', 'int', 'text', 'text', 'text', 'text', 'text', 'bigint', 'bigint', 'bigint', 'bigint', 'text', 'int', 'text', 'bigint', 'text', 'text'];
        await c.query(`INSERT INTO messages (${MESSAGE_COLUMNS}) SELECT * FROM unnest(${casts.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`, columns);
        await insertEvents(c, messages.map((m) => [m.id, m.firstEvent]));
      }
      for (const i of idempotency) {
        await c.query('INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          i.accountId, i.key, i.requestHash, i.statusCode, i.response, i.createdAt,
        ]);
      }
    });
  }

  async getMessage(id: string): Promise<Message | undefined> {
    const [row] = await this.#rows<MessageRow>('SELECT * FROM messages WHERE id = $1', [id]);
    return row && toMessage(row);
  }

  async listEvents(messageId: string): Promise<MessageEvent[]> {
    return (await this.#rows<EventRow>('SELECT at, type, status, error, detail, payload FROM message_events WHERE message_id = $1 ORDER BY id', [messageId])).map(toEvent);
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
      // A few statements per round, whatever the batch size. A message written twice in one
      // batch (sent, then its receipt) has its second write in a later round: order holds.
      for (const round of rounds(writes)) {
        const transitions = round.filter((i) => 'transition' in writes[i]!);
        const done = await transitionAll(c, transitions.map((i) => (writes[i] as { transition: Transition }).transition));
        transitions.forEach((i, k) => (applied[i] = done[k]!));
        for (const i of round) if ('note' in writes[i]!) applied[i] = true;
        await insertEvents(
          c,
          round.filter((i) => applied[i]).map((i) => {
            const w = writes[i]!;
            return 'note' in w ? [w.note.messageId, w.note.event] : [w.transition.messageId, w.transition.event];
          }),
        );
      }
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
      const claimed = rows.map((row): ClaimedMessage => ({ ...toMessage(row), claimedFrom: row.claimed_from }));
      const started = claimed.filter((m) => m.status === 'sending' && m.claimedFrom !== 'sending');
      await insertEvents(
        c,
        started.flatMap((m) => claim.startEvents({ ...m, status: m.claimedFrom, attempts: m.attempts - 1 }).map((e): [string, MessageEvent] => [m.id, e])),
      );
      return claimed;
    });
  }

  async releaseLeases(now: number): Promise<number> {
    return (await this.#pool.query('UPDATE messages SET due_at = $1, lease_owner = NULL WHERE lease_owner IS NOT NULL', [now])).rowCount ?? 0;
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

  async takeParkedReceipts(connection: string, providerMessageIds: readonly string[]): Promise<ParkedReceipt[]> {
    if (providerMessageIds.length === 0) return [];
    const rows = await this.#rows<{ id: number; connection: string; provider_message_id: string; received_at: number; receipt: string }>(
      'DELETE FROM parked_receipts WHERE connection = $1 AND provider_message_id = ANY($2::text[]) RETURNING *',
      [connection, providerMessageIds],
    );
    return rows
      .sort((a, b) => a.id - b.id)
      .map((r) => ({ connection: r.connection, providerMessageId: r.provider_message_id, receivedAt: r.received_at, receipt: JSON.parse(r.receipt) as unknown }));
  }

  async getIdempotency(accountId: string, key: string): Promise<StoredIdempotency | undefined> {
    const [row] = await this.#rows<{ request_hash: string; status_code: number; response: string }>(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE account_id = $1 AND key = $2',
      [accountId, key],
    );
    return row && { requestHash: row.request_hash, statusCode: row.status_code, response: row.response };
  }

  async loadRoutes(): Promise<SavedRoutes | undefined> {
    const [row] = await this.#rows<{ file_hash: string; topology: string; updated_at: number }>('SELECT file_hash, topology, updated_at FROM topology WHERE id = 1');
    return row && { fileHash: row.file_hash, routes: (JSON.parse(row.topology) as { routes: Route[] }).routes, updatedAt: row.updated_at };
  }

  async saveRoutes(saved: SavedRoutes): Promise<void> {
    await this.#pool.query(
      `INSERT INTO topology (id, file_hash, topology, updated_at) VALUES (1, $1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET file_hash = excluded.file_hash, topology = excluded.topology, updated_at = excluded.updated_at`,
      [saved.fileHash, JSON.stringify({ routes: saved.routes }), saved.updatedAt],
    );
  }

  async insertInbound(m: InboundMessage): Promise<void> {
    await this.#pool.query('INSERT INTO inbound_messages (id, account_id, connection, "from", "to", text, received_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      m.id, m.accountId, m.connection, m.from, m.to, m.text, m.receivedAt, json(m.payload),
    ]);
  }

  async listInbound(accountId: string, before: string | undefined, limit: number): Promise<InboundMessage[]> {
    const rows = await this.#rows<{ id: string; account_id: string; connection: string; from: string; to: string; text: string; received_at: number; payload: string | null }>(
      'SELECT * FROM inbound_messages WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3',
      [accountId, before ?? '\uffff', limit],
    );
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

  /** Drops the schema this store lives in: for tests that made their own. */
  async dropSchema(): Promise<void> {
    if (this.#schema) await this.#pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.#schema)} CASCADE`);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
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
    const id = 'note' in w ? w.note.messageId : w.transition.messageId;
    const round = (seen.get(id) ?? -1) + 1;
    seen.set(id, round);
    (out[round] ??= []).push(i);
  });
  return out;
}

/** Applies transitions of distinct messages in one statement; returns which applied. */
async function transitionAll(c: Client, ts: readonly Transition[]): Promise<boolean[]> {
  if (ts.length === 0) return [];
  const ids = ts.flatMap((t) => t.providerIds ?? []);
  if (ids.length > 0) {
    await c.query(
      `INSERT INTO provider_ids (connection, provider_message_id, message_id, part, parts)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[]) ON CONFLICT DO NOTHING`,
      [ids.map((r) => r.connection), ids.map((r) => r.providerMessageId), ids.map((r) => r.messageId), ids.map((r) => r.part), ids.map((r) => r.parts)],
    );
  }
  const r = await c.query<{ id: string }>(
    `UPDATE messages m SET status = w.status, updated_at = w.at, due_at = w.due, lease_owner = NULL,
       error = CASE WHEN w.set_error THEN w.error ELSE m.error END,
       error_code = CASE WHEN w.set_error THEN w.error_code ELSE m.error_code END,
       connection = COALESCE(w.connection, m.connection),
       provider_message_id = COALESCE(w.provider_message_id, m.provider_message_id),
       attempts = m.attempts + w.increment
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::boolean[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[])
       AS w(id, status, at, due, set_error, error, error_code, connection, provider_message_id, increment, allowed)
     WHERE m.id = w.id AND m.status = ANY(string_to_array(w.allowed, ','))
     RETURNING m.id`,
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
      ts.map((t) => (t.incrementAttempts ? 1 : 0)),
      ts.map((t) => t.from.join(',')),
    ],
  );
  const applied = new Set(r.rows.map((row) => row.id));
  return ts.map((t) => applied.has(t.messageId));
}
