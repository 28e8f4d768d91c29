import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { startServer } from './server.js';

const MESSAGES = Number(process.env.BENCH_LOG_MESSAGES ?? 1_000_000);
const RUNS = 21;

/**
 * Fills the account's log with `MESSAGES` messages in one statement: 85 % delivered, 5 %
 * unknown_subscriber, 3 % absent_subscriber, 5 % sent, 2 % failed (carrier_rejected), to 10,000
 * numbers from 5 senders, one a second over the last days; 10 % of type otp on route codes, the
 * others on route rest; 25 % to France; each with a client_ref.
 */
function fill(file: string, accountId: string): void {
  const db = new BetterSqlite3(file);
  const now = Date.now();
  db.exec(`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MESSAGES}),
    m(i, code) AS (SELECT i, CASE WHEN i % 100 BETWEEN 85 AND 89 THEN 'unknown_subscriber' WHEN i % 100 BETWEEN 90 AND 92 THEN 'absent_subscriber' WHEN i % 100 >= 98 THEN 'carrier_rejected' END FROM n)
    INSERT INTO messages (id, account_id, "to", "from", text, encoding, segments, status, error_code, error, expires_at, created_at, updated_at, connection, route, client_ref)
    SELECT printf('msg_00%024d', i), '${accountId}', printf('+4477009%05d', i % 10000), 'Sender' || (i % 5), 'Your code is ' || i, 'GSM-7', 1,
      CASE WHEN i % 100 < 85 THEN 'delivered' WHEN i % 100 < 93 THEN 'undelivered' WHEN i % 100 < 98 THEN 'sent' ELSE 'failed' END, code,
      CASE WHEN code IS NOT NULL THEN json_object('type', 'delivery_error', 'code', code, 'message', code, 'doc_url', '/docs/errors/' || code, 'permanent', json('true'), 'retry', 'never') END,
      ${now} + 86400000, ${now - MESSAGES * 1000} + i * 1000, ${now - MESSAGES * 1000} + i * 1000, 'sandbox',
      CASE WHEN i % 10 = 0 THEN json_object('name', 'codes', 'chain', json_array('sandbox'), 'resendUnknown', json('false'), 'type', 'otp', 'country', CASE WHEN i % 4 = 0 THEN 'FR' ELSE 'GB' END)
        ELSE json_object('name', 'rest', 'chain', json_array('sandbox'), 'resendUnknown', json('false'), 'country', CASE WHEN i % 4 = 0 THEN 'FR' ELSE 'GB' END) END,
      'order-' || i
    FROM m`);
  db.close();
}

/** The message log's first page and each filter, on a SQLite store of a million messages, through the HTTP API on 127.0.0.1. */
export async function logSection(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-log-'));
  try {
    const first = await startServer({ SWITCHBOARD_DATA_DIR: dir });
    await first.stop();
    const filling = performance.now();
    fill(join(dir, 'switchboard.db'), 'acct_default');
    console.log(`\nThe message log on SQLite, ${MESSAGES.toLocaleString('en')} messages (filled in ${((performance.now() - filling) / 1000).toFixed(0)} s); GET /v1/messages?limit=50 on 127.0.0.1, median and max of ${RUNS} runs`);
    const server = await startServer({ SWITCHBOARD_DATA_DIR: dir, SWITCHBOARD_SANDBOX_TPS: '1' }, { key: first.key });
    try {
      const since = new Date(Date.now() - 6 * 3_600_000).toISOString();
      const queries: [string, string][] = [
        ['first page', ''],
        ['status=delivered (85 %)', 'status=delivered'],
        ['status=failed (2 %)', 'status=failed'],
        ['error_code=absent_subscriber (3 %)', 'error_code=absent_subscriber'],
        ['to=+447700900042 (1 in 10,000)', `to=${encodeURIComponent('+447700900042')}`],
        ['from=Sender3 (20 %)', 'from=Sender3'],
        ['since 6 hours ago', `since=${encodeURIComponent(since)}`],
        ['status=failed, error_code=absent_subscriber (none)', 'status=failed&error_code=absent_subscriber'],
        ['connection=sandbox (100 %)', 'connection=sandbox'],
        ['route=codes (10 %)', 'route=codes'],
        ['type=otp (10 %)', 'type=otp'],
        ['country=FR (25 %)', 'country=FR'],
        ['q=a message id', `q=msg_00${String(MESSAGES >> 1).padStart(24, '0')}`],
        ['q=a client_ref', `q=order-${MESSAGES >> 1}`],
        ['q=+4477009001 (number prefix, 1 %)', `q=${encodeURIComponent('+4477009001')}`],
      ];
      for (const [label, q] of queries) {
        const times: number[] = [];
        let count = 0;
        for (let run = 0; run < RUNS; run++) {
          const started = performance.now();
          const res = await fetch(`${server.url}/v1/messages?limit=50${q ? `&${q}` : ''}`, { headers: { authorization: `Bearer ${server.key}` } });
          const body = (await res.json()) as { messages?: unknown[] };
          if (!body.messages) throw new Error(`${label}: ${res.status} ${JSON.stringify(body)}`);
          count = body.messages.length;
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        console.log(`  ${label.padEnd(52)} median ${times[RUNS >> 1]!.toFixed(1).padStart(7)} ms   max ${times[RUNS - 1]!.toFixed(1).padStart(7)} ms   (${count} messages)`);
      }
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
