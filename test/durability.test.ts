import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { eventually, freePort, tempDir } from './helpers.js';
import { createKey, readLog, startServerProcess } from './processes.js';

test('a crash loses nothing that was accepted: every queued message goes out after a restart', async () => {
  const dir = tempDir();
  const port = await freePort();
  try {
    // The first start prints one key; the CLI makes more, with the server stopped or running.
    // A slow carrier, so that most messages are still queued when the node dies.
    const first = await startServerProcess(port, { SWITCHBOARD_DATA_DIR: dir, SWITCHBOARD_SANDBOX_TPS: '50' });
    assert.match(first.output(), /sk_[A-Za-z0-9_-]{32}/);
    const key = createKey({ SWITCHBOARD_DATA_DIR: dir });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const to = Array.from({ length: 50 }, (_, j) => `+447700900${String(1500 + i * 50 + j).slice(1)}`);
      const res = await fetch(`http://127.0.0.1:${port}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ from: 'Crash', to, text: `batch ${i}` }) });
      assert.equal(res.status, 202);
      ids.push(...((await res.json()) as { messages: { id: string }[] }).messages.map((m) => m.id));
    }
    await first.stop('SIGKILL');

    const second = await startServerProcess(port, { SWITCHBOARD_DATA_DIR: dir, SWITCHBOARD_SANDBOX_RECEIPT_DELAY_MS: '10' });
    assert.doesNotMatch(second.output(), /First start/);
    try {
      const read = () => readLog(second.url, key, 'Crash');
      const errorOf = async (id: string) =>
        ((await (await fetch(`${second.url}/v1/messages/${id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { error: { code: string } | null }).error?.code;
      // Everything still queued at the crash goes out; what the sandbox carrier had already taken
      // gets the receipt it still owed when the carrier starts again with the node. A submit the
      // node died in the middle of has an unknown outcome: it waits, and is not sent again.
      const statuses = await eventually(async () => {
        const now = await read();
        for (const [id, status] of now) if (status !== 'delivered' && !(status === 'sent' && (await errorOf(id)) === 'outcome_unknown')) return undefined;
        return now;
      }, 20_000);
      assert.deepEqual([...statuses.keys()].sort(), [...ids].sort());
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
