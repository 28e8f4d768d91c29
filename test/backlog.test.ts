import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../src/app/clock.js';
import { sandboxPlugin } from '../src/providers/sandbox/plugin.js';
import { bearer, eventually, testNode } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BACKLOG = 50_000;
const BATCH = 1000;
const SLOW = { tps: 20, window: 10 };

test('a backlog of 50,000 messages for a slow connection neither delays another nor is taken into memory', async () => {
  const sandbox = (name: string, extra: Json = {}) => sandboxPlugin.create({ name, provider: 'sandbox', receipt_delay_ms: 10, ...extra }, { clock: systemClock, publicUrl: '' });
  const node = await testNode({ connectors: [sandbox('slow', SLOW), sandbox('fast')] });
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: Json): Promise<Json> => {
    const res = await node.api.inject({ method, url, headers: bearer(node.key), ...(payload && { payload }) });
    assert.ok(res.statusCode < 300, res.body);
    return res.json();
  };
  try {
    await call('PUT', '/v1/routes', { routes: [{ name: 'bulk', match: { senders: ['Bulk'] }, connections: ['slow'] }, { name: 'rest', connections: ['fast'] }] });
    for (let from = 0; from < BACKLOG; from += BATCH) {
      const to = Array.from({ length: BATCH }, (_, i) => `+447400${String(from + i).padStart(6, '0')}`);
      await call('POST', '/v1/messages', { from: 'Bulk', to, text: 'Sale' });
    }

    const urgent = await call('POST', '/v1/messages', { from: 'Alerts', to: Array.from({ length: 50 }, () => '+447700900000'), text: 'Now' });
    const ids: string[] = urgent.messages.map((m: Json) => m.id);
    // The slow lane holds no more than its window of messages out of the queue at any time.
    const sendingOnSlow = async () => (await call('GET', '/v1/messages?from=Bulk&status=sending&limit=100')).messages.length as number;
    await eventually(async () => {
      assert.ok((await sendingOnSlow()) <= SLOW.window);
      const statuses = await Promise.all(ids.map(async (id) => (await call('GET', `/v1/messages/${id}`)).status as string));
      return statuses.every((s) => s === 'delivered') ? true : undefined;
    }, 20_000);

    const connections: Json[] = (await call('GET', '/v1/connections')).connections;
    const slow = connections.find((c) => c.name === 'slow')!;
    assert.ok(slow.queued > BACKLOG * 0.9, `${slow.queued} still queued for slow`);
    assert.ok((await sendingOnSlow()) <= SLOW.window);
    assert.equal(connections.find((c) => c.name === 'fast')!.queued, 0);
    // And the slow one keeps sending its backlog, at its pace.
    await eventually(async () => ((await call('GET', '/v1/messages?from=Bulk&status=delivered&limit=1')).messages.length > 0 ? true : undefined));
  } finally {
    await node.close();
  }
});
