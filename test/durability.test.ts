import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually, freePort, tempDir } from './helpers.js';

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

function startServer(dir: string, port: number, env: Record<string, string> = {}): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, SWITCHBOARD_DATA_DIR: dir, PORT: String(port), LOG_LEVEL: 'warn', SWITCHBOARD_LEASE_MS: '2000', SWITCHBOARD_RATE_LIMIT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const until = Date.now() + 15_000;
    const poll = async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) return resolve({ child, output: () => out });
      } catch {
        // not listening yet
      }
      if (Date.now() > until || child.exitCode !== null) return reject(new Error(`server did not start: ${out}`));
      setTimeout(poll, 50);
    };
    void poll();
  });
}

function createKey(dir: string): string {
  const res = spawnSync(process.execPath, [CLI, 'keys', 'create', '--json'], { env: { ...process.env, SWITCHBOARD_DATA_DIR: dir }, encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  return JSON.parse(res.stdout).key;
}

test('a crash loses nothing that was accepted: every queued message goes out after a restart', async () => {
  const dir = tempDir();
  const port = await freePort();
  try {
    // The first start prints one key; the CLI makes more, with the server stopped or running.
    // A slow carrier, so that most messages are still queued when the node dies.
    const first = await startServer(dir, port, { SWITCHBOARD_SANDBOX_TPS: '50' });
    assert.match(first.output(), /sk_[A-Za-z0-9_-]{32}/);
    const key = createKey(dir);
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const to = Array.from({ length: 50 }, (_, j) => `+447700900${String(1500 + i * 50 + j).slice(1)}`);
      const res = await fetch(`http://127.0.0.1:${port}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ from: 'Crash', to, text: `batch ${i}` }) });
      assert.equal(res.status, 202);
      ids.push(...((await res.json()) as { messages: { id: string }[] }).messages.map((m) => m.id));
    }
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await startServer(dir, port, { SWITCHBOARD_SANDBOX_RECEIPT_DELAY_MS: '10' });
    assert.doesNotMatch(second.output(), /First start/);
    try {
      const read = async () => {
        const seen = new Map<string, string>();
        let cursor = '';
        do {
          const res = await fetch(`http://127.0.0.1:${port}/v1/messages?from=Crash&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers });
          const page = (await res.json()) as { messages: { id: string; status: string }[]; next_cursor: string | null };
          for (const m of page.messages) seen.set(m.id, m.status);
          cursor = page.next_cursor ?? '';
        } while (cursor);
        return seen;
      };
      await eventually(async () => ([...(await read()).values()].some((s) => s === 'queued' || s === 'sending') ? undefined : true), 20_000);
      await new Promise((r) => setTimeout(r, 500)); // the last receipts (10 ms)
      const statuses = await read();
      assert.deepEqual([...statuses.keys()].sort(), [...ids].sort());
      // The sandbox carrier died with the node, and its receipts with it: what it had taken stays
      // sent until its validity ends. Everything still queued at the crash went out and was delivered.
      const delivered = [...statuses.values()].filter((s) => s === 'delivered').length;
      const sent = [...statuses.values()].filter((s) => s === 'sent').length;
      assert.equal(delivered + sent, ids.length);
      assert.ok(delivered > ids.length / 2, `only ${delivered} delivered`);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
