import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, parseTopology, routingToJson } from '../src/config/file.js';
import { PROVIDER_PLUGINS } from '../src/providers/registry.js';
import { bearer, eventually, tempDir, testNode } from './helpers.js';

const GOOD = `# two simulated carriers
connections:
  - name: fast
    provider: sandbox
    receipt_delay_ms: 10
  - name: slow
    provider: sandbox
    tps: 5
routes:
  - name: france
    match: { prefixes: ["+33"] }
    connections: [slow]
  - name: uk
    match: { countries: [GB] }
    connections: [fast]
`;

function problems(text: string): string {
  try {
    parseTopology(text, 'switchboard.yaml', PROVIDER_PLUGINS);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
  assert.fail('expected a ConfigError');
}

describe('the configuration file', () => {
  test('reads connections and routes', () => {
    const t = parseTopology(GOOD, 'switchboard.yaml', PROVIDER_PLUGINS);
    assert.deepEqual(t.connections.map((c) => c.name), ['fast', 'slow']);
    assert.deepEqual(t.routes[0], {
      name: 'france',
      match: { prefixes: ['+33'] },
      strategy: 'priority',
      resendUnknown: false,
      connections: [{ connection: 'slow', priority: 1, weight: 1, price: null }],
    });
  });

  test('a best route reads its floors and exploration, and writes them back as given', () => {
    const text = GOOD.replace('    connections: [slow]', '    strategy: best\n    min_delivery_rate: 0.9\n    max_receipt_latency: 60\n    exploration: 0.1\n    avoid_degraded: false\n    connections: [slow, fast]');
    const [france] = parseTopology(text, 'switchboard.yaml', PROVIDER_PLUGINS).routes;
    assert.deepEqual({ ...france, connections: undefined }, {
      name: 'france',
      match: { prefixes: ['+33'] },
      strategy: 'best',
      resendUnknown: false,
      minDeliveryRate: 0.9,
      maxReceiptLatencyMs: 60_000,
      exploration: 0.1,
      avoidDegraded: false,
      connections: undefined,
    });
    const written = routingToJson([france!]).routes[0]!;
    assert.equal(written.max_receipt_latency, 60);
    assert.equal(written.min_delivery_rate, 0.9);
    assert.match(problems(text.replace('min_delivery_rate: 0.9', 'min_delivery_rate: 1.5')), /:\d+: routes\[0\]\.min_delivery_rate/);
  });

  test('names the line of every problem', () => {
    const text = GOOD.replace('tps: 5', 'tps: fast').replace('receipt_delay_ms: 10', 'receipt_delay_ms: 10\n    colour: red').replace('connections: [fast]', 'connections: [nowhere]');
    const message = problems(text);
    assert.match(message, /switchboard\.yaml:6: connections\[0\]\.colour: unknown setting "colour"/);
    assert.match(message, /switchboard\.yaml:9: connections\[1\]\.tps: /);
    assert.match(message, /switchboard\.yaml:16: routes\[1\]\.connections\[0\]: no connection is named "nowhere"/);
  });

  test('reads the operator\'s compliance policies, and names the line of a window that ends before it starts', () => {
    const t = parseTopology(`${GOOD}compliance:\n  marketing:\n    windows: { mon: 08:00-22:00, sun: 10:00-24:00 }\n    caps: { day: 5 }\n`, 'switchboard.yaml', PROVIDER_PLUGINS);
    assert.deepEqual(t.compliance, { marketing: { windows: { mon: { from: 480, to: 1320 }, sun: { from: 600, to: 1440 } }, caps: { day: 5 } } });
    assert.deepEqual(parseTopology(GOOD, 'switchboard.yaml', PROVIDER_PLUGINS).compliance, {});
    assert.match(problems(`${GOOD}compliance:\n  marketing:\n    windows:\n      mon: 22:00-08:00\n`), /switchboard\.yaml:19: compliance\.marketing\.windows\.mon: a window ends after it starts/);
    assert.match(problems(`${GOOD}compliance:\n  marketing:\n    outside: later\n`), /:18: compliance\.marketing\.outside/);
  });

  test('unknown providers, duplicate names, bad prefixes and broken YAML are refused', () => {
    assert.match(problems(GOOD.replace('provider: sandbox\n    tps', 'provider: carrier-pigeon\n    tps')), /:7: connections\[1\]\.provider: unknown provider "carrier-pigeon"/);
    assert.match(problems(GOOD.replace('name: slow', 'name: fast')), /connections\[1\]\.name: another connection is already named "fast"/);
    assert.match(problems(GOOD.replace('"+33"', '"33"')), /:11: routes\[0\]\.match\.prefixes\[0\]/);
    assert.match(problems('connections: [\n'), /switchboard\.yaml:\d+: not valid YAML/);
  });

  test('a node routes by the file, and refuses what no route takes', async () => {
    const dir = tempDir();
    const file = join(dir, 'switchboard.yaml');
    writeFileSync(file, GOOD);
    const node = await testNode({ dir, env: { SWITCHBOARD_CONFIG: file } });
    try {
      const send = (to: string) => node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Switchboard', to, text: 'Hi' } });
      const uk = await send('+447400123456');
      assert.equal(uk.statusCode, 202, uk.body);
      assert.equal(uk.json().messages[0].connection, 'fast');
      const fr = await send('+33612345678');
      assert.equal(fr.json().messages[0].connection, 'slow');
      const us = await send('+14155552671');
      assert.equal(us.statusCode, 422);
      assert.equal(us.json().error.code, 'no_route');
      assert.equal(us.json().error.param, 'to');
      const id = uk.json().messages[0].id;
      const m = await eventually(async () => {
        const r = (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
        return r.status === 'delivered' ? r : undefined;
      });
      assert.equal(m.events[0].detail.route, 'uk');
      assert.match(m.events[0].detail.reason, /country in GB/);
    } finally {
      await node.close();
    }
  });

  test('tps 0 is no limit: an SMPP connection takes it, and shows tps null', async () => {
    const node = await testNode();
    try {
      const put = (name: string, body: object) => node.api.inject({ method: 'PUT', url: `/v1/connections/${name}`, headers: bearer(node.key), payload: body });
      const smpp = await put('carrier', { provider: 'smpp', host: '127.0.0.1', port: 9, system_id: 'sb', password: 'pw', tps: 0 });
      assert.equal(smpp.statusCode, 200, smpp.body);
      assert.equal(smpp.json().tps, null);
      const negative = await put('carrier', { provider: 'smpp', host: '127.0.0.1', port: 9, system_id: 'sb', password: 'pw', tps: -1 });
      assert.equal(negative.statusCode, 400);
      assert.equal(negative.json().error.param, 'tps');
    } finally {
      await node.close();
    }
  });
});
