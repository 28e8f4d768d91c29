import { sql, type Kysely } from 'kysely';

// Migrations depend on nothing but Kysely: they must replay the same way forever.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('to', 'text', (c) => c.notNull())
    .addColumn('from', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('segments', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('error', 'text')
    .addColumn('client_ref', 'text')
    .addColumn('callback_url', 'text')
    .addColumn('send_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('connection', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('provider_message_id', 'text')
    .addColumn('due_at', 'bigint')
    .addColumn('lease_owner', 'text')
    .execute();
  // The message log: newest first per account (ids sort by creation time).
  await db.schema.createIndex('messages_account_id').on('messages').columns(['account_id', 'id']).execute();
  await db.schema.createIndex('messages_account_to').on('messages').columns(['account_id', 'to', 'id']).execute();
  // The dispatcher's work list: only messages with something left to do are indexed.
  await db.schema
    .createIndex('messages_due')
    .on('messages')
    .columns(['connection', 'due_at'])
    .where(sql.ref('due_at'), 'is not', null)
    .execute();

  await db.schema
    .createTable('message_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('error', 'text')
    .addColumn('detail', 'text')
    .addColumn('payload', 'text')
    .execute();
  await db.schema.createIndex('message_events_message').on('message_events').columns(['message_id', 'id']).execute();

  await db.schema
    .createTable('provider_ids')
    .addColumn('connection', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('parts', 'integer', (c) => c.notNull())
    .addColumn('state', 'text')
    .addPrimaryKeyConstraint('provider_ids_pk', ['connection', 'provider_message_id'])
    .execute();
  await db.schema.createIndex('provider_ids_message').on('provider_ids').columns(['message_id']).execute();

  await db.schema
    .createTable('parked_receipts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('connection', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('receipt', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('parked_receipts_id')
    .on('parked_receipts')
    .columns(['connection', 'provider_message_id'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['account_id', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['idempotency_keys', 'parked_receipts', 'provider_ids', 'message_events', 'messages', 'api_keys', 'accounts']) {
    await db.schema.dropTable(table).execute();
  }
}
