import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../src/app/clock.js';
import { smppPlugin } from '../src/providers/smpp/plugin.js';
import { SmscSimulator } from '../src/providers/smpp/simulator.js';
import { bearer, eventually, testNode, TEST_REDIS_URL } from './helpers.js';
import { relayTo } from './relay.js';

/**
 * A node whose Redis is reached through a relay the test cuts or freezes, with an SMPP
 * connection paced through Redis (200 TPS) to a simulator: it has sent 20 messages accepted
 * during the outage and one with an Idempotency-Key (which needs a lock) refused, then retried.
 */
async function throughOutage(outage: 'cut' | 'freeze', env: Record<string, string> = {}) {
  const url = new URL(TEST_REDIS_URL);
  const redis = await relayTo(url.hostname, Number(url.port || 6379));
  const smsc = new SmscSimulator({ port: 0, receiptDelayMs: 10 });
  const port = await smsc.listen();
  const connector = smppPlugin.create(
    { name: 'carrier', provider: 'smpp', host: '127.0.0.1', port, system_id: 'sb', password: 'pw', window: 5, tps: 200, reconnect_min_ms: 50, reconnect_max_ms: 200 },
    { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
  );
  const node = await testNode({ connectors: [connector], env: { SWITCHBOARD_REDIS_URL: `redis://127.0.0.1:${redis.port}`, SWITCHBOARD_REDIS_PREFIX: `outage_${process.pid}_${Date.now()}:`, ...env } });
  const status = async (id: string) => ((await node.api.inject({ url: `/v1/messages/${id}`, headers: bearer(node.key) })).json() as { status: string }).status;
  try {
    await eventually(async () => (smsc.sessions > 0 ? true : undefined));
    if (outage === 'cut') await redis.cut();
    else redis.freeze();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Outage', to: `+447400${String(100_000 + i)}`, text: 'Hi' } });
      assert.equal(res.statusCode, 202, res.body);
      ids.push((res.json() as { messages: { id: string }[] }).messages[0]!.id);
    }
    // Long enough for the pace's commands to be given up (after three tries to reconnect, or at the timeout).
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(smsc.submitted.length, 0, 'nothing goes without its slot of the pace');
    // A send with an Idempotency-Key needs its lock: refused for now, as a service unavailable, not a fault.
    const once = { method: 'POST' as const, url: '/v1/messages', headers: { ...bearer(node.key), 'idempotency-key': 'outage-1' }, payload: { from: 'Outage', to: '+447400200000', text: 'Hi' } };
    const refused = await node.api.inject(once);
    assert.equal(refused.statusCode, 503, refused.body);
    assert.equal((refused.json() as { error: { code: string } }).error.code, 'service_unavailable');
    assert.equal(refused.headers['retry-after'], '1');

    await redis.restore();
    const retried = await eventually(async () => {
      const res = await node.api.inject(once);
      return res.statusCode === 503 ? undefined : res;
    }, 10_000);
    assert.equal(retried.statusCode, 202, retried.body);
    ids.push((retried.json() as { messages: { id: string }[] }).messages[0]!.id);
    await eventually(async () => ((await Promise.all(ids.map(status))).every((s) => s === 'delivered') ? true : undefined), 15_000);
    assert.equal(smsc.submitted.length, 21, 'each sent once');
  } finally {
    await node.close();
    await smsc.close();
    await redis.close();
  }
}

test('while Redis is out of reach, a connection paced through it holds its sends and a send needing a lock is refused (503); once it is back, every one goes', async () => {
  await throughOutage('cut');
});

test('a Redis host gone silent (a hard failover: no reset, no refusal) gets a send needing a lock a 503 at the bound, not held; the node leaves the dead connection for a new one, and every message goes', async () => {
  await throughOutage('freeze', { SWITCHBOARD_REDIS_TIMEOUT_MS: '500' });
});
