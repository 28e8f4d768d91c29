import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/storage/sqlite/store.js';
import { measureSends, startRig, type PipelineFigures } from './webhooks.js';

const DAY = 86_400_000;

/**
 * A webhook log of `size` delivered events (their deliveries and attempts), 40 days old: what
 * a gateway upgraded to a release with retention finds at its first start.
 */
async function oldLog(file: string, size: number): Promise<void> {
  const store = new SqliteStore({ file, synchronous: 'normal' });
  await store.migrate();
  await store.close();
  const db = new BetterSqlite3(file);
  const at = Date.now() - 40 * DAY;
  const data = JSON.stringify({ id: 'msg_0', to: '+447400000001', from: 'Bench', status: 'delivered', text: 'Your code is 123456', segments: 1, price: { amount: 0.04, currency: 'EUR' } });
  const n = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${size - 1})`;
  try {
    db.exec(`
      ${n} INSERT INTO webhook_events (id, account_id, message_id, type, created_at, data) SELECT printf('evt_%010d', i), 'acc', 'msg_' || i, 'message.delivered', ${at} + i, '${data}' FROM n;
      ${n} INSERT INTO webhook_deliveries (id, event_id, account_id, message_id, endpoint_id, target, url, status, attempts, created_at, last_attempt_at, last_status_code)
        SELECT printf('whd_%010d', i), printf('evt_%010d', i), 'acc', 'msg_' || i, 'we_old', 'we_old', 'https://example.com/h', 'delivered', 1, ${at} + i, ${at} + i, 204 FROM n;
      ${n} INSERT INTO webhook_attempts (delivery_id, at, status_code, latency_ms, response_excerpt) SELECT printf('whd_%010d', i), ${at} + i, 204, 1, '' FROM n;`);
  } finally {
    db.close();
  }
}

function deliveriesIn(file: string): number {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM webhook_deliveries').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * The webhooks pipeline on SQLite (`benchPipeline`'s), on a node that starts with a log of
 * `size` old deliveries: with the default retention, its first run deletes them meanwhile;
 * with `keep`, none is deleted. Returns the figures and how many were deleted by the end.
 */
export async function benchRetention(size: number, total: number, warmup: number, keep: boolean): Promise<PipelineFigures & { deleted: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-retention-'));
  const file = join(dir, 'switchboard.db');
  try {
    await oldLog(file, size);
    const rig = await startRig(0, true, { SWITCHBOARD_DATA_DIR: dir, ...(keep && { SWITCHBOARD_WEBHOOK_RETENTION_DAYS: '0' }) });
    let figures: PipelineFigures;
    try {
      figures = await measureSends(rig.nodes, total, warmup, async (count) => (await rig.receiver.stats()).delivered >= count, 50);
    } finally {
      await rig.stop();
    }
    // Events of the messages sent were added to the log: counted out.
    return { ...figures, deleted: size + warmup + total - deliveriesIn(file) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
