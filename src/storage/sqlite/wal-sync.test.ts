import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WalSync } from './wal-sync.js';

test('WalSync: every write waiting on the log is answered, those made during a sync by the next one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-wal-'));
  let written = 1;
  const wal = new WalSync(join(dir, 'db-wal'), () => written);
  try {
    writeFileSync(join(dir, 'db-wal'), 'frames');
    const first = wal.durable(1);
    assert.equal(wal.durable(1), first, 'a change the running sync covers waits for it');
    const during = Array.from({ length: 50 }, () => wal.durable(++written));
    // All made while the first sync runs: one sync after it covers them all.
    assert.equal(new Set(during).size, 1);
    assert.notEqual(during[0], first);
    await Promise.all([first, ...during]);
    let answered = false;
    const again = wal.durable(written).then(() => (answered = true));
    await Promise.resolve();
    assert.ok(answered, 'rows already on disk are answered at once');
    await again;
  } finally {
    await wal.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('WalSync: a log that cannot be synced fails the write waiting on it, and the next write tries again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-wal-'));
  const wal = new WalSync(join(dir, 'db-wal'), () => 1);
  try {
    await assert.rejects(wal.durable(1), { code: 'ENOENT' });
    writeFileSync(join(dir, 'db-wal'), 'frames');
    await wal.durable(1);
  } finally {
    await wal.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
