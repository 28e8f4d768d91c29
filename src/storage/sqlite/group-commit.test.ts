import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { groupCommitted, WalSync } from './group-commit.js';
import { SqliteStore } from './store.js';

/** A store whose log syncs are held until the test lets them finish. */
async function heldStore() {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-group-commit-'));
  const file = join(dir, 'db.sqlite');
  const raw = new SqliteStore({ file });
  await raw.migrate();
  const syncs: { release: () => void }[] = [];
  const sync = () => new Promise<void>((release) => syncs.push({ release }));
  const store = groupCommitted(raw, new WalSync(`${file}-wal`, () => raw.totalChanges(), sync));
  const settled = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  return { store, syncs, settled, close: async () => (syncs.forEach((s) => s.release()), await store.close(), rmSync(dir, { recursive: true, force: true })) };
}

const account = (id: string) => ({ id, parentId: 'acct_root', name: id, currency: 'EUR', prices: null, createdAt: 1 });

test('a write is answered only once a sync that started after it has finished', async () => {
  const { store, syncs, settled, close } = await heldStore();
  try {
    const root = store.ensureAccount('acct_root', 'Root', 1);
    await settled();
    syncs.splice(0).forEach((s) => s.release());
    await root;
    let answered = false;
    const write = store.createAccount(account('acct_a')).then(() => (answered = true));
    await settled();
    assert.equal(syncs.length, 1, 'the write asked for a sync');
    assert.equal(answered, false, 'and waits for it');
    syncs[0]!.release();
    await write;
    assert.equal(answered, true);
  } finally {
    await close();
  }
});

test('writes made while a sync runs share the next one; a read that saw them waits for it too', async () => {
  const { store, syncs, settled, close } = await heldStore();
  try {
    const root = store.ensureAccount('acct_root', 'Root', 1);
    await settled();
    assert.equal(syncs.length, 1);
    // The first sync is running: ten writes (and a read of one of them) come meanwhile.
    const writes = Array.from({ length: 10 }, (_, i) => store.createAccount(account(`acct_${i}`)));
    let read = false;
    const reading = store.getAccount('acct_3').then((a) => ((read = true), a));
    await settled();
    assert.equal(syncs.length, 1, 'no second sync while the first runs');
    syncs[0]!.release();
    await root;
    await settled();
    assert.equal(syncs.length, 2, 'one sync for all ten writes');
    assert.equal(read, false, 'the read saw writes not yet on disk');
    syncs[1]!.release();
    await Promise.all(writes);
    assert.equal((await reading)?.name, 'acct_3');
    assert.equal(syncs.length, 2);
  } finally {
    await close();
  }
});

test('a read with nothing new to sync is answered at once', async () => {
  const { store, syncs, settled, close } = await heldStore();
  try {
    assert.equal(await store.getAccount('acct_none'), undefined);
    await settled();
    assert.equal(syncs.length, 0);
  } finally {
    await close();
  }
});
