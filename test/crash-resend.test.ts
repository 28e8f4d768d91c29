import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SmscSimulator } from '../src/providers/smpp/simulator.js';
import { eventually, freePort, tempDir } from './helpers.js';
import { createKey, startServerProcess, type ServerProcess } from './processes.js';

const TOTAL = 3000;
const FINAL = new Set(['delivered', 'undelivered', 'failed', 'rejected', 'expired', 'canceled', 'unknown']);

interface Row {
  id: string;
  to: string;
  status: string;
  connection: string;
  error: { code: string } | null;
}

/** Every message of this test's sender, read page by page. */
async function readAll(node: ServerProcess, key: string): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor = '';
  do {
    const res = await fetch(`${node.url}/v1/messages?from=Crash&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${key}` } });
    const page = (await res.json()) as { messages: Row[]; next_cursor: string | null };
    rows.push(...page.messages);
    cursor = page.next_cursor ?? '';
  } while (cursor);
  return rows;
}

/** Sent, and waiting for a receipt because its submit may or may not have reached the carrier. */
function outcomeUnknown(m: Row): boolean {
  return m.status === 'sent' && (m.error?.code === 'outcome_unknown' || m.error?.code === 'provider_timeout');
}

/**
 * Streams TOTAL messages through SMPP connection `a` (with `b`, on its own SMSC, as its
 * failover), SIGKILLs the node mid-stream, restarts it and waits until every message is final
 * or waits for a receipt after an unknown outcome. Returns what each SMSC took, by destination.
 */
async function crashMidStream(resendUnknown: boolean) {
  // A carrier that takes 20 ms to answer: a window's worth of submits is in flight at the kill.
  const smscs = [new SmscSimulator({ port: 0, receiptDelayMs: 20, submitDelayMs: 20 }), new SmscSimulator({ port: 0, receiptDelayMs: 20, submitDelayMs: 20 })];
  const [portA, portB] = await Promise.all(smscs.map((s) => s.listen()));
  const dir = tempDir();
  const port = await freePort();
  const connection = (name: string, smscPort: number) => `  - { name: ${name}, provider: smpp, host: 127.0.0.1, port: ${smscPort}, system_id: sb, password: pw, window: 100, tps: 100000, reconnect_min_ms: 50, reconnect_max_ms: 200 }\n`;
  writeFileSync(
    join(dir, 'switchboard.yaml'),
    `connections:\n${connection('a', portA!)}${connection('b', portB!)}routes:\n  - { name: all, connections: [a, b], resend_unknown: ${resendUnknown} }\n`,
  );
  // A restart is no reason to hand a's messages to b: only an unknown outcome may move them.
  const env = { SWITCHBOARD_DATA_DIR: dir, SWITCHBOARD_CONFIG: join(dir, 'switchboard.yaml'), SWITCHBOARD_FAILOVER_AFTER_MS: '600000' };
  try {
    const first = await startServerProcess(port, env);
    const key = createKey(env);
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    for (let i = 0; i < TOTAL / 1000; i++) {
      const to = Array.from({ length: 1000 }, (_, j) => `+4474001${String(i * 1000 + j).padStart(5, '0')}`);
      const res = await fetch(`${first.url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ from: 'Crash', to, text: 'Your code is 123456' }) });
      assert.equal(res.status, 202);
    }
    await eventually(async () => (smscs[0]!.submitted.length >= TOTAL / 3 ? true : undefined), 60_000);
    await first.stop('SIGKILL');
    const atKill = smscs[0]!.submitted.length;

    const second = await startServerProcess(port, env);
    const restarted = Date.now();
    try {
      const messages = await eventually(async () => {
        const rows = await readAll(second, key);
        return rows.length === TOTAL && rows.every((m) => FINAL.has(m.status) || outcomeUnknown(m)) ? rows : undefined;
      }, 120_000);
      const recoverySeconds = (Date.now() - restarted) / 1000;
      const submits = new Map<string, number>();
      for (const s of smscs.flatMap((smsc) => smsc.submitted)) {
        const to = `+${String(s.pdu.body.destination_addr)}`;
        submits.set(to, (submits.get(to) ?? 0) + 1);
      }
      const figures = {
        submittedBeforeKill: atKill,
        duplicates: [...submits.values()].filter((n) => n > 1).length,
        // Recovered with an unknown outcome: waiting for a receipt, or resent through b.
        unknownOutcomes: messages.filter((m) => outcomeUnknown(m) || m.status === 'unknown' || m.connection === 'b').length,
        // Of those, the ones the SMSC never had: marked, and killed before the submit left.
        unknownNeverSubmitted: messages.filter((m) => outcomeUnknown(m) && !submits.has(m.to)).length,
        lost: messages.filter((m) => !submits.has(m.to) && !FINAL.has(m.status) && !outcomeUnknown(m)).length,
        delivered: messages.filter((m) => m.status === 'delivered').length,
        recoverySeconds,
      };
      console.log(`resend_unknown: ${resendUnknown}`, JSON.stringify(figures));
      return figures;
    } finally {
      await second.stop();
    }
  } finally {
    await Promise.all(smscs.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a node killed mid-stream sends no message twice after its restart, and loses none', async () => {
  const f = await crashMidStream(false);
  assert.equal(f.duplicates, 0);
  assert.equal(f.lost, 0);
});

test('with resend_unknown, only the messages whose submit may have gone out are sent again', async () => {
  const f = await crashMidStream(true);
  assert.ok(f.duplicates <= f.unknownOutcomes, `${f.duplicates} duplicates for ${f.unknownOutcomes} unknown outcomes`);
  assert.equal(f.lost, 0);
});
