import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { bearer, eventually, PROJECT_CI, tempDir, testNode } from './helpers.js';

/** A folder on a filesystem of its own, 4 MiB, that the test fills and then grows: mounting needs root. */
function smallDisk(): { dir: string; grow(): void; remove(): void } | string {
  const dir = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    if (PROJECT_CI) throw new Error('this CI runs as root: a small filesystem must mount');
    return 'mounting a small filesystem to fill needs root here';
  }
  return {
    dir,
    grow: () => execFileSync('mount', ['-o', 'remount,size=64m', dir]),
    remove: () => {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('a full disk: sends are refused with 503 service_unavailable saying so, the node lives on, and once there is room every message accepted is sent and delivered', async (t) => {
  const disk = smallDisk();
  if (typeof disk === 'string') return t.skip(disk);
  const node = await testNode({ dir: disk.dir });
  try {
    const send = (i: number) =>
      node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Full', to: `+4474005${String(i).padStart(5, '0')}`, text: 'x'.repeat(150) } });
    const accepted: string[] = [];
    let refused;
    for (let i = 0; i < 20_000 && !refused; i++) {
      const res = await send(i);
      if (res.statusCode === 202) accepted.push((res.json() as { messages: { id: string }[] }).messages[0]!.id);
      else refused = res;
    }
    assert.ok(refused, 'the disk never filled');
    assert.equal(refused.statusCode, 503, refused.body);
    const { error } = refused.json() as { error: { code: string; message: string } };
    assert.equal(error.code, 'service_unavailable');
    assert.match(error.message, /disk is full/);
    assert.equal(refused.headers['retry-after'], '5');
    assert.ok(accepted.length > 0);

    // The disk stays full a while: the submits' outcomes and the receipts due meanwhile meet it too.
    await new Promise((r) => setTimeout(r, 1000));
    disk.grow();
    const after = await eventually(async () => {
      const res = await send(20_000);
      return res.statusCode === 202 ? res : undefined;
    }, 10_000);
    accepted.push((after.json() as { messages: { id: string }[] }).messages[0]!.id);
    // Each one, whether its submit, its outcome or its receipt met the full disk.
    const status = async (id: string) => ((await node.api.inject({ url: `/v1/messages/${id}`, headers: bearer(node.key) })).json() as { status: string }).status;
    await eventually(async () => ((await Promise.all(accepted.map(status))).every((s) => s === 'delivered') ? true : undefined), 30_000);
  } finally {
    try {
      await node.close();
    } finally {
      disk.remove();
    }
  }
});

test('a node started on a full disk exits 1, saying so in a line', async (t) => {
  const disk = smallDisk();
  if (typeof disk === 'string') return t.skip(disk);
  try {
    try {
      writeFileSync(join(disk.dir, 'filler'), Buffer.alloc(8 << 20));
    } catch {
      // Full: what fitted stays.
    }
    const main = new URL('../src/main.js', import.meta.url);
    const started = spawnSync(process.execPath, [main.pathname], {
      env: { ...process.env, SWITCHBOARD_DATA_DIR: join(disk.dir, 'data'), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(started.status, 1, started.stderr);
    assert.match(started.stderr, /^switchboard: cannot start: .*disk is full/m);
  } finally {
    disk.remove();
  }
});
