import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { bearer, testNode, type TestNode } from './helpers.js';

const TOKEN = 'tok_3f9a0c7e5b2d4a61';
const SMPP_PASSWORD = 'pw7Xq2z';

describe('connection secrets are write-only', () => {
  let node: TestNode;
  const logged: string[] = [];
  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString());
        done();
      },
    });
    node = await testNode({ logger: pino({ level: 'debug' }, sink) });
  });
  after(() => node.close());

  const call = (method: 'GET' | 'PUT', url: string, payload?: object) => node.api.inject({ method, url, headers: bearer(node.key), ...(payload && { payload }) });

  test('no answer, error or log line gives back a token or password once set', async () => {
    const seen: string[] = [];
    const keep = async (p: Promise<{ statusCode: number; body: string }>) => {
      const res = await p;
      seen.push(res.body);
      return res;
    };
    const twilio = { provider: 'twilio', account_sid: `AC${'a'.repeat(32)}`, auth_token: TOKEN, base_url: 'http://127.0.0.1:9' };
    assert.equal((await keep(call('PUT', '/v1/connections/tw', twilio))).statusCode, 200);
    const smpp = { provider: 'smpp', host: '127.0.0.1', port: 9, system_id: 'sb', password: SMPP_PASSWORD };
    assert.equal((await keep(call('PUT', '/v1/connections/carrier', smpp))).statusCode, 200);
    // Refusals name the setting, never its value.
    assert.equal((await keep(call('PUT', '/v1/connections/tw', { ...twilio, account_sid: TOKEN }))).statusCode, 400);
    assert.equal((await keep(call('PUT', '/v1/connections/carrier', { ...smpp, password: `${SMPP_PASSWORD}toolong` }))).statusCode, 400);
    await keep(call('PUT', '/v1/routes', { routes: [{ name: 'all', connections: ['tw', 'carrier', 'sandbox'] }] }));
    const listed = await keep(call('GET', '/v1/connections'));
    assert.deepEqual(
      (JSON.parse(listed.body) as { connections: { name: string }[] }).connections.map((c) => c.name).sort(),
      ['carrier', 'sandbox', 'tw'],
      'the connections were set and are shown',
    );
    await keep(call('GET', '/v1/routes'));
    const sent = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Shop', to: '+447911123456', text: 'hi' } });
    await new Promise((r) => setTimeout(r, 300));
    await keep(call('GET', `/v1/messages/${sent.json().messages[0].id}`));
    const everything = [...seen, ...logged].join('\n');
    assert.ok(!everything.includes(TOKEN), 'the auth token never comes back');
    assert.ok(!everything.includes(SMPP_PASSWORD), 'the SMPP password never comes back');
  });
});
