import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTopology } from '../src/config/file.js';
import { PROVIDER_PLUGINS } from '../src/providers/registry.js';
import { bearer, testNode } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FILE = `connections:
  - name: o2
    provider: sandbox
  - name: other
    provider: sandbox
networks:
  "23410": ["+447700", "+447701"]
  "23415":
    - "+447800"
routes:
  - name: o2-direct
    match: { networks: ["23410"] }
    connections: [o2]
  - name: rest
    connections: [other]
`;

const parse = (text: string) => parseTopology(text, 'switchboard.yaml', PROVIDER_PLUGINS);

describe('routes matching on the destination network', () => {
  test('the file gives each network its number ranges, and a route matches on them', () => {
    const { routes } = parse(FILE);
    assert.deepEqual(routes[0]!.match, { networks: { '23410': ['+447700', '+447701'] } });
  });

  test('every problem of the networks table is named by its line', () => {
    assert.throws(() => parse(FILE.replace('["23410"]', '["23499"]')), /switchboard\.yaml:12: routes\[0\]\.match\.networks\[0\]: no network "23499" in the networks table/);
    assert.throws(() => parse(FILE.replace('"+447800"', '"+4477001"')), /switchboard\.yaml:9: networks\.23415\[0\]: \+4477001 lies within \+447700, a range of 23410/);
    assert.throws(() => parse(FILE.replace('"23415":', 'vodafone:')), /switchboard\.yaml:9: networks\.vodafone: a network is named by its MCC-MNC/);
    assert.throws(() => parse(FILE.replace('"+447800"', '"447800"')), /switchboard\.yaml:9: networks\.23415\[0\]: must match pattern/);
    assert.throws(() => parse(FILE.replace('["23410"]', '["O2"]')), /switchboard\.yaml:12: routes\[0\]\.match\.networks\[0\]: must match pattern/);
  });

  test('through the API: a message goes by its network when its number lies in a known range, else to the next route', async () => {
    const node = await testNode();
    try {
      const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: Json) => {
        const res = await node.api.inject({ method, url, headers: bearer(node.key), ...(payload && { payload }) });
        return { status: res.statusCode, body: res.json() as Json };
      };
      await call('PUT', '/v1/connections/o2', { provider: 'sandbox', receipt_delay_ms: 10 });
      const table = {
        routes: [
          { name: 'o2-direct', match: { networks: ['23410'] }, connections: ['o2'] },
          { name: 'rest', connections: ['sandbox'] },
        ],
        networks: { '23410': ['+447400', '+447401'], '23415': ['+447402'] },
      };
      const bad = await call('PUT', '/v1/routes', { ...table, networks: { ...table.networks, '23415': ['+4474001'] } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'invalid_parameter');
      assert.equal(bad.body.error.param, 'networks.23415[0]');
      const unknown = await call('PUT', '/v1/routes', { routes: table.routes });
      assert.equal(unknown.body.error.param, 'routes[0].match.networks[0]');

      const ok = await call('PUT', '/v1/routes', table);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body.networks, { '23410': ['+447400', '+447401'] });
      assert.deepEqual(ok.body.routes[0].match, { networks: ['23410'] });
      assert.deepEqual((await call('GET', '/v1/routes')).body, ok.body);

      const sent = await call('POST', '/v1/messages', { from: 'Shop', to: ['+447401123456', '+447402123456', '+447700900000'], text: 'Hi' });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      const messages = await Promise.all(sent.body.messages.map(async (m: Json) => (await call('GET', `/v1/messages/${m.id}`)).body));
      assert.deepEqual(messages.map((m) => m.connection), ['o2', 'sandbox', 'sandbox']);
      assert.match(messages[0].events[0].detail.reason, /network in 23410/);
    } finally {
      await node.close();
    }
  });
});
