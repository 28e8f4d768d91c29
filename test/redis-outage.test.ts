import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import { systemClock } from '../src/app/clock.js';
import { smppPlugin } from '../src/providers/smpp/plugin.js';
import { SmscSimulator } from '../src/providers/smpp/simulator.js';
import { bearer, eventually, freePort, testNode, TEST_REDIS_URL } from './helpers.js';

/** The machine's Redis behind a TCP relay that can be cut (connections dropped, new ones refused) and restored. */
async function cuttableRedis() {
  const redis = new URL(TEST_REDIS_URL);
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(redis.port || 6379), redis.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      }).listen(port, '127.0.0.1', resolve);
    });
  await listen();
  return {
    url: `redis://127.0.0.1:${port}`,
    async cut() {
      await new Promise((r) => {
        server!.close(r);
        for (const s of sockets) s.destroy();
      });
    },
    restore: listen,
    close() {
      return this.cut();
    },
  };
}

test('while Redis is out of reach, a connection paced through it holds its sends and a send needing a lock is refused (503); once it is back, every one goes', async () => {
  const redis = await cuttableRedis();
  const smsc = new SmscSimulator({ port: 0, receiptDelayMs: 10 });
  const port = await smsc.listen();
  const connector = smppPlugin.create(
    { name: 'carrier', provider: 'smpp', host: '127.0.0.1', port, system_id: 'sb', password: 'pw', window: 5, tps: 200, reconnect_min_ms: 50, reconnect_max_ms: 200 },
    { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
  );
  const node = await testNode({ connectors: [connector], env: { SWITCHBOARD_REDIS_URL: redis.url, SWITCHBOARD_REDIS_PREFIX: `outage_${process.pid}_${Date.now()}:` } });
  const status = async (id: string) => ((await node.api.inject({ url: `/v1/messages/${id}`, headers: bearer(node.key) })).json() as { status: string }).status;
  try {
    await eventually(async () => (smsc.sessions > 0 ? true : undefined));
    await redis.cut();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Outage', to: `+447400${String(100_000 + i)}`, text: 'Hi' } });
      assert.equal(res.statusCode, 202, res.body);
      ids.push((res.json() as { messages: { id: string }[] }).messages[0]!.id);
    }
    // Long enough for the pace's commands to be given up (after three tries to reconnect).
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(smsc.submitted.length, 0, 'nothing goes without its slot of the pace');
    // A send with an Idempotency-Key needs its lock: refused for now, as a service unavailable, not a fault.
    const once = { method: 'POST' as const, url: '/v1/messages', headers: { ...bearer(node.key), 'idempotency-key': 'outage-1' }, payload: { from: 'Outage', to: '+447400200000', text: 'Hi' } };
    const refused = await node.api.inject(once);
    assert.equal(refused.statusCode, 503, refused.body);
    assert.equal((refused.json() as { error: { code: string } }).error.code, 'service_unavailable');
    assert.equal(refused.headers['retry-after'], '1');

    await redis.restore();
    const retried = await node.api.inject(once);
    assert.equal(retried.statusCode, 202, retried.body);
    ids.push((retried.json() as { messages: { id: string }[] }).messages[0]!.id);
    await eventually(async () => ((await Promise.all(ids.map(status))).every((s) => s === 'delivered') ? true : undefined), 15_000);
    assert.equal(smsc.submitted.length, 21, 'each sent once');
  } finally {
    await node.close();
    await smsc.close();
    await redis.close();
  }
});
