import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../src/app/clock.js';
import type { Connector } from '../src/app/connector.js';
import type { Route } from '../src/core/routing/router.js';
import { sandboxPlugin } from '../src/providers/sandbox/plugin.js';
import { smppPlugin } from '../src/providers/smpp/plugin.js';
import { SmscSimulator } from '../src/providers/smpp/simulator.js';
import { vonagePlugin } from '../src/providers/vonage/plugin.js';
import { FakeVonage } from './fakes/vonage.js';
import { bearer, eventually, freePort, testNode, type TestNode } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function route(connections: string[], extra: Partial<Route> = {}): Route {
  return {
    name: 'main',
    match: {},
    strategy: 'priority',
    resendUnknown: false,
    connections: connections.map((connection, i) => ({ connection, priority: i + 1, weight: 1, price: null })),
    ...extra,
  };
}

/** Failover and breaker settings short enough for a test to watch them work. */
const FAST = { SWITCHBOARD_FAILOVER_AFTER_MS: '300', SWITCHBOARD_BREAKER_FAILURES: '3', SWITCHBOARD_BREAKER_OPEN_MS: '400' };

function client(node: TestNode) {
  const send = async (to: string, body: Json = {}) => {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Switchboard', to, text: 'Hi', ...body } });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().messages[0].id as string;
  };
  const get = async (id: string): Promise<Json> => (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
  const until = (id: string, ...statuses: string[]) => eventually(async () => ((m) => (statuses.includes(m.status) ? m : undefined))(await get(id)), 10_000);
  const connections = async (): Promise<Record<string, Json>> => {
    const res = await node.api.inject({ method: 'GET', url: '/v1/connections', headers: bearer(node.key) });
    return Object.fromEntries(res.json().connections.map((c: Json) => [c.name, c]));
  };
  return { send, get, until, connections };
}

const types = (m: Json): string[] => m.events.map((e: Json) => e.type);

describe('failover between two HTTP providers', () => {
  let a: FakeVonage;
  let b: FakeVonage;
  let node: TestNode;
  let api: ReturnType<typeof client>;
  before(async () => {
    [a, b] = [new FakeVonage('key', 'secret', 'sig'), new FakeVonage('key', 'secret', 'sig')];
    await Promise.all([a.listen(), b.listen()]);
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const vonage = (name: string, url: string): Connector =>
      vonagePlugin.create({ name, provider: 'vonage', api_key: 'key', api_secret: 'secret', signature_secret: 'sig', base_url: url, tps: 200, timeout_ms: 2000 }, { clock: systemClock, publicUrl });
    node = await testNode({
      connectors: [vonage('a', a.url), vonage('b', b.url)],
      routes: [route(['a', 'b'], { name: 'careful', match: { senders: ['Careful'] } }), route(['a', 'b'], { resendUnknown: true })],
      // Open long enough (and no longer after a failed probe) that the checks made while it is open
      // see it open on a loaded machine, short enough that it probes a back within the wait below.
      env: { SWITCHBOARD_PUBLIC_URL: publicUrl, ...FAST, SWITCHBOARD_BREAKER_OPEN_MS: '3000', SWITCHBOARD_BREAKER_MAX_OPEN_MS: '3000' },
    });
    await node.api.listen({ host: '127.0.0.1', port });
    api = client(node);
  });
  after(async () => {
    await node.close();
    await Promise.all([a.close(), b.close()]);
  });

  test('a provider that goes down mid-run: every message is delivered through the other, and the breaker probes it back', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await api.send(`+4474001234${String(i).padStart(2, '0')}`));
    await Promise.all(ids.slice(0, 5).map((id) => api.until(id, 'delivered')));
    a.down = true;
    for (let i = 20; i < 40; i++) ids.push(await api.send(`+4474001234${String(i).padStart(2, '0')}`));
    const done = await Promise.all(ids.map((id) => api.until(id, 'delivered', 'failed', 'rejected')));
    assert.deepEqual(new Set(done.map((m) => m.status)), new Set(['delivered']));
    const movedOver = done.filter((m) => types(m).includes('failover'));
    assert.ok(movedOver.length > 0);
    // Refused with 503 and sent on at once, or held back while a's circuit was open.
    const failovers = movedOver.map((m) => m.events.find((e: Json) => e.type === 'failover'));
    assert.ok(failovers.every((e: Json) => e.detail.to_connection === 'b'));
    assert.ok(failovers.some((e: Json) => e.error?.code === 'provider_unavailable' && e.error.provider.code === '503'));
    assert.ok(movedOver.every((m) => m.connection === 'b'));
    assert.equal((await api.connections()).a!.breaker, 'open');
    // While a's circuit is open, new messages go straight to b.
    const direct = await api.until(await api.send('+447400123499'), 'delivered');
    assert.equal(direct.connection, 'b');
    assert.equal(types(direct).includes('failover'), false);

    a.down = false;
    const back = await eventually(async () => {
      const m = await api.until(await api.send('+447400123498'), 'delivered');
      return m.connection === 'a' ? m : undefined;
    }, 15_000);
    assert.equal(back.status, 'delivered');
    assert.equal((await api.connections()).a!.breaker, 'closed');
  });

  test('a permanent failure is neither retried nor failed over', async () => {
    const m = await api.until(await api.send('+447400000001'), 'rejected');
    assert.equal(m.error.code, 'destination_blocklisted');
    assert.equal(m.attempts, 1);
    assert.equal(m.connection, 'a');
    assert.equal(b.requests.some((r) => r.body.to === '447400000001'), false);
  });

  test('an unknown submit outcome is not resent elsewhere unless the route says so', async () => {
    const waiting = await api.until(await api.send('+447400000009', { from: 'Careful' }), 'sent');
    assert.equal(waiting.error.code, 'provider_timeout');
    assert.deepEqual(types(waiting), ['queued', 'sending', 'submit_unknown']);
    assert.equal(b.requests.some((r) => r.body.from === 'Careful'), false);

    // The catch-all route has resend_unknown: the message goes on to b, which never answers either.
    const id = await api.send('+447400000009');
    const resent = await eventually(async () => ((m) => (m.connection === 'b' ? m : undefined))(await api.get(id)));
    const failover = resent.events.find((e: Json) => e.type === 'failover');
    assert.equal(failover.detail.reason, 'resend_unknown');

    // No receipt ever tells what became of it: at its validity end it is unknown, not expired.
    node.clock.advance(49 * 3_600_000);
    try {
      const unknown = await api.until(waiting.id, 'unknown');
      assert.equal(unknown.error.code, 'provider_timeout');
      assert.equal(unknown.attempts, 1);
      assert.deepEqual(types(unknown), ['queued', 'sending', 'submit_unknown', 'unknown']);
    } finally {
      node.clock.offset = 0;
    }
  });
});

describe('a circuit breaker whose probe is throttled', () => {
  test('the probe is handed back: the next message probes, and its success closes the circuit', async () => {
    const a = new FakeVonage('key', 'secret', 'sig');
    await a.listen();
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const connector = vonagePlugin.create({ name: 'a', provider: 'vonage', api_key: 'key', api_secret: 'secret', signature_secret: 'sig', base_url: a.url, timeout_ms: 2000 }, { clock: systemClock, publicUrl });
    const node = await testNode({ connectors: [connector], env: { SWITCHBOARD_PUBLIC_URL: publicUrl, ...FAST } });
    try {
      await node.api.listen({ host: '127.0.0.1', port });
      const api = client(node);
      // Three submits that are never answered open the circuit of the only connection.
      const hung = await Promise.all(['1', '2', '3'].map(() => api.send('+447400000009')));
      await Promise.all(hung.map((id) => api.until(id, 'sent')));
      assert.notEqual((await api.connections()).a!.breaker, 'closed');
      // The first message after is the probe, and the provider throttles it.
      const throttled = await api.send('+447400000002');
      await eventually(async () => ((m) => (types(m).includes('retry_scheduled') ? m : undefined))(await api.get(throttled)));
      const next = await api.until(await api.send('+447400123400'), 'delivered');
      assert.equal(next.connection, 'a');
      assert.equal((await api.connections()).a!.breaker, 'closed');
    } finally {
      await node.close();
      await a.close();
    }
  });
});

describe('failover when a connection cannot bind, and throttling', () => {
  let smsc: SmscSimulator;
  let node: TestNode;
  let api: ReturnType<typeof client>;
  let waiting: string;
  before(async () => {
    smsc = new SmscSimulator({ port: 0, receiptDelayMs: 10, tps: 5 });
    const port = await smsc.listen();
    const nowhere = await freePort();
    const smpp = (name: string, p: number, tps: number) =>
      smppPlugin.create(
        { name, provider: 'smpp', host: '127.0.0.1', port: p, system_id: 'sb', password: 'pw', tps, reconnect_min_ms: 50, reconnect_max_ms: 200, test_numbers: true },
        { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
      );
    node = await testNode({
      connectors: [smpp('unbound', nowhere, 100), smpp('throttling', port, 1000), sandboxPlugin.create({ name: 'spare', provider: 'sandbox', receipt_delay_ms: 10 }, { clock: systemClock, publicUrl: '' })],
      routes: [route(['unbound', 'spare'], { name: 'bind', match: { senders: ['Bind'] } }), route(['throttling', 'spare'])],
      env: { ...FAST, SWITCHBOARD_FAILOVER_AFTER_MS: '1000' },
    });
    api = client(node);
    // Sent at once, while the connection may still come up: it waits for it.
    waiting = await api.send('+447700900000', { from: 'Bind' });
  });
  after(async () => {
    await node.close();
    await smsc.close();
  });

  test('messages waiting for a connection that stays down go to the next one', async () => {
    const m = await api.until(waiting, 'delivered');
    assert.equal(m.connection, 'spare');
    // Accepted while unbound could still come up, it waited and failed over; on a machine slow
    // enough that unbound was already down at accept, it went to spare at once. Both are right.
    const failover = m.events.find((e: Json) => e.type === 'failover');
    if (failover) {
      assert.equal(failover.detail.connection, 'unbound');
      assert.equal(failover.detail.reason, 'unbound is down');
    } else assert.equal(m.events.filter((e: Json) => e.type === 'sending').length, 1);
    assert.equal((await api.connections()).unbound!.up, false);
  });

  test('a throttling carrier: what it refuses goes through the other connection, and its circuit stays closed', async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, () => api.send('+447700900000')));
    const done = await Promise.all(ids.map((id) => api.until(id, 'delivered', 'failed').catch(async () => { const m = await api.get(id); throw new Error(JSON.stringify(m)); })));
    assert.deepEqual(new Set(done.map((m) => m.status)), new Set(['delivered']));
    const moved = done.filter((m) => m.connection === 'spare');
    assert.ok(moved.length > 0, 'the simulator throttles above 5 submits a second');
    for (const m of moved) assert.equal(m.events.find((e: Json) => e.type === 'failover').error.code, 'rate_limit_exceeded');
    assert.equal((await api.connections()).throttling!.breaker, 'closed');
  });
});

describe('routing at run time, and the account rate limit', () => {
  test('the routing table is read and replaced through the API, and kept over a restart', async () => {
    const spare = () => sandboxPlugin.create({ name: 'spare', provider: 'sandbox', receipt_delay_ms: 10 }, { clock: systemClock, publicUrl: '' });
    const main = () => sandboxPlugin.create({ name: 'main', provider: 'sandbox', receipt_delay_ms: 10 }, { clock: systemClock, publicUrl: '' });
    const routes = [route(['main'])];
    let node = await testNode({ connectors: [main(), spare()], routes });
    const dir = node.dir;
    try {
      const put = (payload: Json) => node.api.inject({ method: 'PUT', url: '/v1/routes', headers: bearer(node.key), payload });
      const bad = await put({ routes: [{ name: 'x', connections: ['main', 'nowhere'] }] });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'invalid_parameter');
      assert.equal(bad.json().error.param, 'routes[0].connections[1]');
      const shape = await put({ routes: [{ name: 'x', strategy: 'fastest', connections: ['main'] }] });
      assert.equal(shape.statusCode, 400);

      const table = {
        routes: [
          { name: 'france', match: { prefixes: ['+33'] }, strategy: 'cheapest', connections: [{ connection: 'main', price: 0.05 }, { connection: 'spare', price: 0.04 }] },
          { name: 'rest', connections: ['main'] },
        ],
      };
      const ok = await put(table);
      assert.equal(ok.statusCode, 200, ok.body);
      const api = client(node);
      const fr = await api.get(await api.send('+33612345678'));
      assert.equal(fr.connection, 'spare');
      assert.equal(fr.events[0].detail.route, 'france');
      assert.deepEqual(fr.events[0].detail.failover, ['main']);
      assert.match(fr.events[0].detail.reason, /cheapest/);
      const uk = await api.get(await api.send('+447700900000'));
      assert.equal(uk.connection, 'main');

      await node.stop();
      const key = node.key; // shown on the first start only
      node = await testNode({ connectors: [main(), spare()], routes, dir });
      const kept = await node.api.inject({ method: 'GET', url: '/v1/routes', headers: bearer(key) });
      assert.deepEqual(kept.json().routes.map((r: Json) => r.name), ['france', 'rest']);
      assert.equal(kept.json().routes[0].connections[1].price, 0.04);
    } finally {
      await node.close();
    }
    // The node was restarted on the same folder: testNode only removes folders it made.
    rmSync(dir, { recursive: true, force: true });
  });

  test('connections are added, changed and removed at run time, and kept over a restart', async () => {
    let node = await testNode();
    const dir = node.dir;
    const key = node.key;
    const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: Json) =>
      node.api.inject({ method, url, headers: bearer(key), ...(payload && { payload }) }).then((r) => ({ status: r.statusCode, body: r.body ? (r.json() as Json) : {} }));
    try {
      const bad = await call('PUT', '/v1/connections/extra', { provider: 'sandbox', tps: 'fast' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.param, 'tps');
      assert.equal((await call('PUT', '/v1/connections/extra', { provider: 'carrier-pigeon' })).body.error.param, 'provider');
      assert.equal((await call('PUT', '/v1/connections/codes', { provider: 'sandbox' })).body.error.param, 'name');

      const added = await call('PUT', '/v1/connections/extra', { provider: 'sandbox', receipt_delay_ms: 10, tps: 50 });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      assert.deepEqual([added.body.name, added.body.provider, added.body.tps, added.body.up], ['extra', 'sandbox', 50, true]);
      const routed = await call('PUT', '/v1/routes', { routes: [{ name: 'gb', match: { prefixes: ['+44'] }, connections: ['extra'] }, { name: 'rest', connections: ['sandbox'] }] });
      assert.equal(routed.status, 200);
      const api = client(node);
      assert.equal((await api.until(await api.send('+447700900000'), 'delivered')).connection, 'extra');

      const inUse = await call('DELETE', '/v1/connections/extra');
      assert.equal(inUse.status, 400);
      assert.match(inUse.body.error.message, /Route "gb"/);
      const changed = await call('PUT', '/v1/connections/extra', { provider: 'sandbox', receipt_delay_ms: 10, tps: 20 });
      assert.equal(changed.body.tps, 20);

      await node.stop();
      node = await testNode({ dir });
      const kept = (await call('GET', '/v1/connections')).body.connections.map((c: Json) => [c.name, c.tps]);
      assert.deepEqual(kept, [['sandbox', kept[0][1]], ['extra', 20]]);
      await call('PUT', '/v1/routes', { routes: [{ name: 'rest', connections: ['sandbox'] }] });
      assert.equal((await call('DELETE', '/v1/connections/extra')).status, 204);
      assert.deepEqual((await call('GET', '/v1/connections')).body.connections.map((c: Json) => c.name), ['sandbox']);
    } finally {
      await node.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a connection is removed only once no message waits for it; what it sent still expires at validity', async () => {
    const node = await testNode();
    const call = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: Json) =>
      node.api.inject({ method, url, headers: bearer(node.key), ...(payload && { payload }) }).then((r) => ({ status: r.statusCode, body: r.body ? (r.json() as Json) : {} }));
    try {
      await call('PUT', '/v1/connections/extra', { provider: 'sandbox', receipt_delay_ms: 10 });
      await call('PUT', '/v1/routes', { routes: [{ name: 'all', connections: ['extra'] }] });
      const api = client(node);
      // No final receipt ever comes for this one: it waits, sent, until its validity ends.
      const unreceipted = (await api.until(await api.send('+447700900004'), 'sent')).id as string;
      const later = await api.send('+447700900000', { send_at: new Date(node.clock.now() + 3_600_000).toISOString() });
      await call('PUT', '/v1/routes', { routes: [{ name: 'rest', connections: ['sandbox'] }] });

      const refused = await call('DELETE', '/v1/connections/extra');
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'invalid_parameter');
      assert.equal(refused.body.error.param, 'name');
      assert.match(refused.body.error.message, /^1 message is still queued or scheduled for extra/);
      assert.equal((await call('POST', `/v1/messages/${later}/cancel`)).status, 200);
      assert.equal((await call('DELETE', '/v1/connections/extra')).status, 204);

      node.clock.advance(49 * 3_600_000);
      const expired = await api.until(unreceipted, 'expired');
      assert.equal(expired.error.code, 'message_expired');
      assert.equal(expired.connection, 'extra');
    } finally {
      await node.close();
    }
  });

  test('an account over its request rate gets 429 rate_limit_exceeded with Retry-After', async () => {
    const node = await testNode({ env: { SWITCHBOARD_RATE_LIMIT: '2', SWITCHBOARD_RATE_LIMIT_BURST: '3' } });
    try {
      const codes: number[] = [];
      let refused: Awaited<ReturnType<typeof node.api.inject>> | undefined;
      for (let i = 0; i < 5; i++) {
        const res = await node.api.inject({ method: 'GET', url: '/v1/messages', headers: bearer(node.key) });
        codes.push(res.statusCode);
        if (res.statusCode === 429) refused = res;
      }
      assert.deepEqual(codes.slice(0, 3), [200, 200, 200]);
      assert.ok(refused, `codes: ${codes.join(', ')}`);
      assert.equal(refused.json().error.code, 'rate_limit_exceeded');
      assert.equal(refused.json().error.type, 'rate_limit_error');
      assert.equal(refused.headers['retry-after'], '1');
      node.clock.advance(1000);
      assert.equal((await node.api.inject({ method: 'GET', url: '/v1/messages', headers: bearer(node.key) })).statusCode, 200);
    } finally {
      await node.close();
    }
  });
});
