import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bearer, testNode, type TestNode } from './helpers.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

function cli(args: string[], input?: string) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, env: { ...process.env, SWITCHBOARD_PUBLIC_URL: 'https://sms.example.com' } });
}

describe('the catalogue through the API and the docs pages', () => {
  let node: TestNode;
  before(async () => {
    node = await testNode();
  });
  after(() => node.close());

  const get = (url: string) => node.api.inject({ method: 'GET', url, headers: bearer(node.key) });

  test('GET /v1/errors lists every canonical error; GET /v1/errors/{code} shows one', async () => {
    const list = (await get('/v1/errors')).json();
    assert.ok(list.errors.length >= 50);
    const one = (await get('/v1/errors/absent_subscriber')).json();
    assert.equal(one.type, 'delivery_error');
    assert.equal(one.permanent, false);
    assert.equal(one.retry, 'after_delay');
    assert.equal(one.doc_url, 'http://127.0.0.1:8080/docs/errors/absent_subscriber');
    const none = await get('/v1/errors/nope');
    assert.equal(none.statusCode, 404);
    assert.equal(none.json().error.code, 'not_found');
  });

  test('GET /v1/providers/{provider}/codes/{code} explains one provider code', async () => {
    const res = await get('/v1/providers/smspartner/codes/6?context=handset-errors-errorgrpid-1');
    assert.equal(res.statusCode, 200);
    const e = res.json();
    assert.equal(e.found, true);
    assert.equal(e.provider_name, 'EC_ABSENT_SUBSCRIBER_SM');
    assert.equal(e.provider_permanent, false);
    assert.equal(e.canonical.code, 'absent_subscriber');
    assert.equal(e.canonical.http_status, 402);
    const unknown = (await get('/v1/providers/smspartner/codes/99999?context=sending-sms')).json();
    assert.equal(unknown.found, false);
    assert.equal(unknown.canonical.code, 'unknown_error');
    const badProvider = await get('/v1/providers/nope/codes/1');
    assert.equal(badProvider.statusCode, 404);
    assert.equal(badProvider.json().error.param, 'provider');
    const badContext = await get('/v1/providers/smspartner/codes/1?context=nope');
    assert.equal(badContext.json().error.param, 'context');
  });

  test('each doc_url is a readable page listing the provider codes that mean it', async () => {
    const res = await node.api.inject({ method: 'GET', url: '/docs/errors/unknown_subscriber' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.match(res.body, /<h1>Unknown subscriber<\/h1>/);
    assert.match(res.body, /What to do/);
    assert.match(res.body, /EC_UNKNOWN_SUBSCRIBER/);
    assert.match(res.body, /7203/);
    const index = await node.api.inject({ method: 'GET', url: '/docs/errors' });
    assert.match(index.body, /href="\/docs\/errors\/rate_limit_exceeded"/);
  });
});

describe('npx switchboard explain', () => {
  test('readable by default', () => {
    const res = cli(['explain', 'webex-connect', '7302', '--context', 'sms']);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /rate_limit_exceeded/);
    assert.match(res.stdout, /What to do:/);
  });

  test('JSON with --json', () => {
    const res = cli(['explain', 'smspartner', '14', '--context', 'sending-sms', '--json']);
    const e = JSON.parse(res.stdout);
    assert.equal(e.provider, 'smspartner');
    assert.equal(e.context, 'sending-sms');
    assert.equal(e.code, '14');
    assert.equal(e.found, true);
    assert.equal(e.provider_message, 'The number is in the STOP SMS list');
    assert.deepEqual(Object.keys(e.canonical).sort(), ['code', 'doc_url', 'failover', 'http_status', 'permanent', 'resolution', 'retry', 'title', 'type']);
    assert.equal(e.canonical.code, 'destination_opted_out');
    assert.equal(e.canonical.doc_url, 'https://sms.example.com/docs/errors/destination_opted_out');
  });

  test('an ambiguous code without a context lists every match', () => {
    const e = JSON.parse(cli(['explain', 'webex-connect', '7302', '--json']).stdout);
    assert.ok(e.matches.length >= 3);
    assert.ok(e.matches.some((m: { context: string }) => m.context === 'sms'));
    assert.ok(e.matches.some((m: { context: string }) => m.context === 'instagram'));
  });

  test('JSON lines on stdin: one result per line, in order, a bad line answered not crashed', () => {
    const input = [
      '{"provider":"smspartner","code":"11","context":"sending-sms"}',
      'not json',
      '{"provider":"webex-connect","code":7203,"context":"sms"}',
      '{"provider":"smspartner","code":"424242"}',
    ].join('\n');
    const res = cli(['explain', '--json'], input);
    assert.equal(res.status, 0, res.stderr);
    const out = res.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, 4);
    assert.equal(out[0].canonical.code, 'insufficient_credit');
    assert.equal(out[1].found, false);
    assert.equal(out[2].canonical.code, 'unknown_subscriber');
    assert.equal(out[3].found, false);
    assert.equal(out[3].canonical.code, 'unknown_error');
  });

  test('an unknown provider is a usage error', () => {
    const res = cli(['explain', 'nope', '1']);
    assert.equal(res.status, 2);
    assert.match(res.stderr, /Unknown provider/);
  });
});
