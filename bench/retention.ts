import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/storage/sqlite/store.js';
import { measureSends, startRig, type PipelineFigures } from './webhooks.js';

const DAY = 86_400_000;

/** A migrated store at `file`, filled by `rows` (what `n` counts, from 0 to `size` - 1, made from `at` on). */
async function filled(file: string, size: number, rows: (n: string, at: number) => string): Promise<void> {
  const store = new SqliteStore({ file, synchronous: 'normal' });
  await store.migrate();
  await store.close();
  const db = new BetterSqlite3(file);
  try {
    db.exec(rows(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${size - 1})`, Date.now() - 40 * DAY));
  } finally {
    db.close();
  }
}

/**
 * A webhook log of `size` delivered events (their deliveries and attempts), 40 days old: what
 * a gateway upgraded to a release with retention finds at its first start.
 */
function oldLog(file: string, size: number): Promise<void> {
  const data = JSON.stringify({ id: 'msg_0', to: '+447400000001', from: 'Bench', status: 'delivered', text: 'Your code is 123456', segments: 1, price: { amount: 0.04, currency: 'EUR' } });
  return filled(file, size, (n, at) => `
      ${n} INSERT INTO webhook_events (id, account_id, message_id, type, created_at, data) SELECT printf('evt_%010d', i), 'acc', 'msg_' || i, 'message.delivered', ${at} + i, '${data}' FROM n;
      ${n} INSERT INTO webhook_deliveries (id, event_id, account_id, message_id, endpoint_id, target, url, status, attempts, created_at, last_attempt_at, last_status_code)
        SELECT printf('whd_%010d', i), printf('evt_%010d', i), 'acc', 'msg_' || i, 'we_old', 'we_old', 'https://example.com/h', 'delivered', 1, ${at} + i, ${at} + i, 204 FROM n;
      ${n} INSERT INTO webhook_attempts (delivery_id, at, status_code, latency_ms, response_excerpt) SELECT printf('whd_%010d', i), ${at} + i, 204, 1, '' FROM n;`);
}

/**
 * `size` messages delivered 40 days ago, each with its four events and its provider id: what a
 * gateway that kept every message finds when retention is turned on.
 */
function oldMessages(file: string, size: number): Promise<void> {
  const route = '{"name":"everything","chain":["carrier"],"resendUnknown":false,"reason":"bench","accepted":"carrier","country":"GB"}';
  // Ids that sort before any made now, in the order they were made, as a ULID's do.
  const id = `printf('msg_00%012d', i)`;
  return filled(file, size, (n, at) => `
      ${n} INSERT INTO messages (id, account_id, "to", "from", text, encoding, segments, status, expires_at, created_at, updated_at, connection, attempts, provider_message_id, route, sent_at)
        SELECT ${id}, 'acc', '+4474' || (10000000 + i), 'Bench', 'Your code is 123456', 'GSM-7', 1, 'delivered', ${at} + i + ${DAY}, ${at} + i, ${at} + i + 5, 'carrier', 1, 'p' || i, '${route}', ${at} + i + 2 FROM n;
      ${n}, e(t) AS (VALUES ('queued'), ('sending'), ('sent'), ('receipt'))
        INSERT INTO message_events (message_id, at, type, status, detail, payload) SELECT ${id}, ${at} + i, t, t, '{"connection":"carrier","attempt":1}', '{"stat":"DELIVRD"}' FROM n, e;
      ${n} INSERT INTO provider_ids (connection, provider_message_id, message_id, part, parts) SELECT 'carrier', 'p' || i, ${id}, 1, 1 FROM n;`);
}

/** The old log a retention run starts on: its rows, how to make it, and the setting that keeps it. */
export const OLD_LOGS = {
  webhooks: { what: 'deliveries', table: 'webhook_deliveries', make: oldLog, keep: { SWITCHBOARD_WEBHOOK_RETENTION_DAYS: '0' }, delete: {} },
  messages: { what: 'messages', table: 'messages', make: oldMessages, keep: {}, delete: { SWITCHBOARD_MESSAGE_RETENTION_DAYS: '30' } },
} as const;

function rowsIn(file: string, table: string): number {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * The webhooks pipeline on SQLite (`benchPipeline`'s), on a node that starts with `size` old rows
 * of a log (webhook deliveries, or messages): with retention on, its first run deletes them
 * meanwhile; with `keep`, none is deleted. Returns the figures and how many were deleted by the end.
 */
export async function benchRetention(log: keyof typeof OLD_LOGS, size: number, total: number, warmup: number, keep: boolean): Promise<PipelineFigures & { deleted: number }> {
  const old = OLD_LOGS[log];
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-retention-'));
  const file = join(dir, 'switchboard.db');
  try {
    await old.make(file, size);
    const rig = await startRig(0, true, { SWITCHBOARD_DATA_DIR: dir, ...(keep ? old.keep : old.delete) });
    let figures: PipelineFigures;
    try {
      figures = await measureSends(rig.nodes, total, warmup, async (count) => (await rig.receiver.stats()).delivered >= count, 50);
    } finally {
      await rig.stop();
    }
    // The messages sent, and their events, were added to the log: counted out.
    return { ...figures, deleted: size + warmup + total - rowsIn(file, old.table) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
