import { Migrator, sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type {
  ApiKeyRecord,
  ClaimedMessage,
  EventNote,
  IdempotencyWrite,
  MessageFilter,
  NewMessage,
  ParkedReceipt,
  ProviderIdRecord,
  Store,
  StoredIdempotency,
  Transition,
} from '../app/store.js';
import type { TextEncoding } from '../core/encoding/segments.js';
import type { MessageStatus } from '../core/lifecycle.js';
import type { Message, MessageError, MessageEvent } from '../core/message.js';
import { migrationProvider } from './migrations/index.js';
import type { Database, MessagesTable } from './schema.js';

/** SQL engines differ in a few places only; each dialect folder says how. */
export interface SqlDialectTraits {
  /** Lock rows being claimed so that concurrent claimers skip them (PostgreSQL: FOR UPDATE SKIP LOCKED). */
  readonly skipLocked: boolean;
  /** Rows per INSERT statement, under the engine's bound-parameter limit. */
  readonly maxInsertRows: number;
}

const DISPATCHABLE: readonly MessageStatus[] = ['queued', 'scheduled'];

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function parse<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    accountId: row.account_id,
    to: row.to,
    from: row.from,
    text: row.text,
    encoding: row.encoding as TextEncoding,
    segments: Number(row.segments),
    status: row.status as MessageStatus,
    error: parse<MessageError>(row.error),
    clientRef: row.client_ref,
    callbackUrl: row.callback_url,
    sendAt: row.send_at === null ? null : Number(row.send_at),
    expiresAt: Number(row.expires_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    connection: row.connection,
    attempts: Number(row.attempts),
    providerMessageId: row.provider_message_id,
  };
}

function eventRow(messageId: string, e: MessageEvent) {
  return {
    message_id: messageId,
    at: e.at,
    type: e.type,
    status: e.status,
    error: json(e.error),
    detail: json(e.detail),
    payload: json(e.payload),
  };
}

async function recordProviderIds(trx: Transaction<Database>, records: readonly ProviderIdRecord[]): Promise<void> {
  await trx
    .insertInto('provider_ids')
    .values(
      records.map((r) => ({
        connection: r.connection,
        provider_message_id: r.providerMessageId,
        message_id: r.messageId,
        part: r.part,
        parts: r.parts,
        state: null,
      })),
    )
    .onConflict((oc) => oc.columns(['connection', 'provider_message_id']).doNothing())
    .execute();
}

/** The Store contract over Kysely, shared by every SQL engine. */
export class SqlStore implements Store {
  constructor(
    readonly db: Kysely<Database>,
    private readonly traits: SqlDialectTraits,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async migrate(): Promise<void> {
    const { error, results } = await new Migrator({ db: this.db, provider: migrationProvider }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
    await this.onClose();
  }

  async ensureAccount(id: string, name: string, now: number): Promise<boolean> {
    const result = await this.db
      .insertInto('accounts')
      .values({ id, name, created_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async insertApiKey(key: { id: string; accountId: string; hash: string; prefix: string; createdAt: number }): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({ id: key.id, account_id: key.accountId, hash: key.hash, prefix: key.prefix, created_at: key.createdAt, revoked_at: null })
      .execute();
  }

  async findApiKey(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .select(['id', 'account_id'])
      .where('hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row && { id: row.id, accountId: row.account_id };
  }

  async insertMessages(messages: readonly NewMessage[], idempotency: readonly IdempotencyWrite[] = []): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const rows of chunk(messages, this.traits.maxInsertRows)) {
        await trx
          .insertInto('messages')
          .values(
            rows.map((m) => ({
              id: m.id,
              account_id: m.accountId,
              to: m.to,
              from: m.from,
              text: m.text,
              encoding: m.encoding,
              segments: m.segments,
              status: m.status,
              error_code: m.error?.code ?? null,
              error: json(m.error),
              client_ref: m.clientRef,
              callback_url: m.callbackUrl,
              send_at: m.sendAt,
              expires_at: m.expiresAt,
              created_at: m.createdAt,
              updated_at: m.updatedAt,
              connection: m.connection,
              attempts: m.attempts,
              provider_message_id: m.providerMessageId,
              due_at: m.dueAt,
              lease_owner: null,
            })),
          )
          .execute();
        await trx
          .insertInto('message_events')
          .values(rows.map((m) => eventRow(m.id, m.firstEvent)))
          .execute();
      }
      for (const i of idempotency) {
        await trx
          .insertInto('idempotency_keys')
          .values({
            account_id: i.accountId,
            key: i.key,
            request_hash: i.requestHash,
            status_code: i.statusCode,
            response: i.response,
            created_at: i.createdAt,
          })
          .execute();
      }
    });
  }

  async getMessage(id: string): Promise<Message | undefined> {
    const row = await this.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toMessage(row);
  }

  async getMessages(ids: readonly string[]): Promise<Message[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('messages').selectAll().where('id', 'in', ids).execute();
    return rows.map(toMessage);
  }

  async listEvents(messageId: string): Promise<MessageEvent[]> {
    const rows = await this.db
      .selectFrom('message_events')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      at: Number(r.at),
      type: r.type,
      status: r.status as MessageStatus | null,
      error: parse<MessageError>(r.error),
      detail: parse<Record<string, unknown>>(r.detail),
      payload: parse<unknown>(r.payload),
    }));
  }

  async listMessages(accountId: string, filter: MessageFilter, limit: number): Promise<Message[]> {
    let q = this.db.selectFrom('messages').selectAll().where('account_id', '=', accountId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.to) q = q.where('to', '=', filter.to);
    if (filter.from) q = q.where('from', '=', filter.from);
    if (filter.errorCode) q = q.where('error_code', '=', filter.errorCode);
    if (filter.since !== undefined) q = q.where('created_at', '>=', filter.since);
    if (filter.until !== undefined) q = q.where('created_at', '<', filter.until);
    if (filter.before) q = q.where('id', '<', filter.before);
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toMessage);
  }

  async applyTransitions(transitions: readonly Transition[], notes: readonly EventNote[] = []): Promise<boolean[]> {
    return this.db.transaction().execute(async (trx) => {
      const applied: boolean[] = [];
      for (const t of transitions) applied.push(await this.#transition(trx, t));
      if (notes.length > 0) {
        await trx
          .insertInto('message_events')
          .values(notes.map((n) => eventRow(n.messageId, n.event)))
          .execute();
      }
      return applied;
    });
  }

  async #transition(trx: Transaction<Database>, t: Transition): Promise<boolean> {
    if (t.providerIds && t.providerIds.length > 0) await recordProviderIds(trx, t.providerIds);
    const result = await trx
      .updateTable('messages')
      .set((eb) => ({
        status: t.to,
        updated_at: t.event.at,
        due_at: t.dueAt,
        lease_owner: null,
        ...(t.error !== undefined && { error: json(t.error), error_code: t.error?.code ?? null }),
        ...(t.connection !== undefined && { connection: t.connection }),
        ...(t.providerMessageId !== undefined && { provider_message_id: t.providerMessageId }),
        ...(t.incrementAttempts && { attempts: eb('attempts', '+', 1) }),
      }))
      .where('id', '=', t.messageId)
      .where('status', 'in', t.from)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await trx.insertInto('message_events').values(eventRow(t.messageId, t.event)).execute();
    return true;
  }

  async claimDue(connection: string, now: number, limit: number, owner: string, leaseUntil: number): Promise<ClaimedMessage[]> {
    return this.db.transaction().execute(async (trx) => {
      let pick = trx
        .selectFrom('messages')
        .select('id')
        .where('connection', '=', connection)
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(limit);
      if (this.traits.skipLocked) pick = pick.forUpdate().skipLocked();
      const ids = (await pick.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await trx
        .updateTable('messages')
        .set({ lease_owner: owner, due_at: leaseUntil })
        .where('id', 'in', ids)
        .returningAll()
        .execute();
      return rows.map((r) => ({ ...toMessage(r), claimedFrom: r.status as MessageStatus }));
    });
  }

  async releaseLeases(now: number): Promise<number> {
    const result = await this.db
      .updateTable('messages')
      .set({ due_at: now, lease_owner: null })
      .where('lease_owner', 'is not', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async queueDepth(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('messages')
      .select(['connection', (eb) => eb.fn.countAll<number>().as('n')])
      .where('due_at', 'is not', null)
      .where('status', 'in', DISPATCHABLE)
      .groupBy('connection')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.connection, Number(r.n)]));
  }

  async findProviderId(connection: string, providerMessageId: string): Promise<ProviderIdRecord | undefined> {
    const row = await this.db
      .selectFrom('provider_ids')
      .selectAll()
      .where('connection', '=', connection)
      .where('provider_message_id', '=', providerMessageId)
      .executeTakeFirst();
    return (
      row && {
        connection: row.connection,
        providerMessageId: row.provider_message_id,
        messageId: row.message_id,
        part: Number(row.part),
        parts: Number(row.parts),
      }
    );
  }

  async setPartState(connection: string, providerMessageId: string, state: MessageStatus): Promise<void> {
    await this.db
      .updateTable('provider_ids')
      .set({ state })
      .where('connection', '=', connection)
      .where('provider_message_id', '=', providerMessageId)
      .execute();
  }

  async partStates(messageId: string): Promise<{ part: number; parts: number; state: MessageStatus | null }[]> {
    const rows = await this.db
      .selectFrom('provider_ids')
      .select(['part', 'parts', 'state'])
      .where('message_id', '=', messageId)
      .orderBy('part')
      .execute();
    return rows.map((r) => ({ part: Number(r.part), parts: Number(r.parts), state: r.state as MessageStatus | null }));
  }

  async parkReceipt(receipt: ParkedReceipt): Promise<void> {
    await this.db
      .insertInto('parked_receipts')
      .values({
        connection: receipt.connection,
        provider_message_id: receipt.providerMessageId,
        received_at: receipt.receivedAt,
        receipt: JSON.stringify(receipt.receipt),
      })
      .execute();
  }

  async takeParkedReceipts(connection: string, providerMessageIds: readonly string[]): Promise<ParkedReceipt[]> {
    if (providerMessageIds.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .deleteFrom('parked_receipts')
        .where('connection', '=', connection)
        .where('provider_message_id', 'in', providerMessageIds)
        .returningAll()
        .execute();
      return rows
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((r) => ({
          connection: r.connection,
          providerMessageId: r.provider_message_id,
          receivedAt: Number(r.received_at),
          receipt: JSON.parse(r.receipt) as unknown,
        }));
    });
  }

  async getIdempotency(accountId: string, key: string): Promise<StoredIdempotency | undefined> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status_code', 'response'])
      .where('account_id', '=', accountId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && { requestHash: row.request_hash, statusCode: Number(row.status_code), response: row.response };
  }
}
