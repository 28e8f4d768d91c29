import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { bearer, tempDir, testNode, type TestNode } from './helpers.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

function cli(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'keys', ...args], { env: { ...process.env, SWITCHBOARD_DATA_DIR: dir }, encoding: 'utf8', cwd: dir });
}

describe('API keys: scopes, listing, revocation', () => {
  let a: TestNode;
  let b: TestNode;
  const dir = tempDir();
  before(async () => {
    a = await testNode({ dir });
    // A second node on the same store, as a restart or a second process would be.
    b = await testNode({ dir });
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  const call = (node: TestNode, key: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    node.api.inject({ method, url, headers: bearer(key), ...(payload && { payload }) });

  test('the first start makes an admin key; an ordinary key sends and reads but cannot touch connections, routes or keys', async () => {
    const made = await call(a, a.key, 'POST', '/v1/keys', { name: 'shop' });
    assert.equal(made.statusCode, 201);
    const { key, id, scopes, name } = made.json();
    assert.match(key, /^sk_/);
    assert.deepEqual(scopes, ['send', 'read', 'webhooks', 'opt_outs', 'lookups']);
    assert.equal(name, 'shop');

    const sent = await call(a, key, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900000', text: 'hi' });
    assert.equal(sent.statusCode, 202);
    assert.equal((await call(a, key, 'GET', `/v1/messages/${sent.json().messages[0].id}`)).statusCode, 200);
    for (const [method, url, body] of [
      ['PUT', '/v1/routes', { routes: [{ name: 'all', connections: ['sandbox'] }] }],
      ['PUT', '/v1/connections/evil', { provider: 'sandbox' }],
      ['GET', '/v1/connections', undefined],
      ['GET', '/v1/keys', undefined],
      ['POST', '/v1/keys', { name: 'more' }],
      ['DELETE', `/v1/keys/${id}`, undefined],
      ['GET', '/metrics', undefined],
    ] as const) {
      const res = await call(a, key, method, url, body);
      assert.equal(res.statusCode, 403, `${method} ${url}`);
      assert.equal(res.json().error.code, 'insufficient_scope');
      assert.match(res.json().error.message, /`admin` scope/);
    }
  });

  test('a key with only some scopes gets only those', async () => {
    const { key } = (await call(a, a.key, 'POST', '/v1/keys', { name: 'reader', scopes: ['read'] })).json();
    assert.equal((await call(a, key, 'GET', '/v1/messages')).statusCode, 200);
    const send = await call(a, key, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900000', text: 'hi' });
    assert.equal(send.statusCode, 403);
    assert.equal(send.json().error.code, 'insufficient_scope');
    const bad = await call(a, a.key, 'POST', '/v1/keys', { scopes: ['root'] });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.param, 'scopes[0]');
  });

  test('keys are listed without their secret, with when they were made and last used', async () => {
    const { key, id } = (await call(a, a.key, 'POST', '/v1/keys', { name: 'listed' })).json();
    await call(a, key, 'GET', '/v1/messages');
    const list = (await call(b, a.key, 'GET', '/v1/keys')).json().keys as Record<string, unknown>[];
    const entry = list.find((k) => k.id === id)!;
    assert.equal(entry.name, 'listed');
    assert.equal(entry.prefix, key.slice(0, 7));
    assert.ok(Date.parse(entry.created_at as string));
    assert.ok(Date.parse(entry.last_used_at as string), 'last used is recorded');
    assert.equal(entry.revoked_at, null);
    assert.ok(!JSON.stringify(list).includes(key), 'no secret in the list');
    assert.equal(list.find((k) => k.name === 'first start')?.scopes instanceof Array, true);
  });

  test('a key revoked on one node is refused by the other from its next request', async () => {
    const { key, id } = (await call(a, a.key, 'POST', '/v1/keys', { name: 'leaked' })).json();
    assert.equal((await call(b, key, 'GET', '/v1/messages')).statusCode, 200);
    assert.equal((await call(a, a.key, 'DELETE', `/v1/keys/${id}`)).statusCode, 204);
    const refused = await call(b, key, 'GET', '/v1/messages');
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().error.code, 'invalid_api_key');
    const again = await call(a, a.key, 'DELETE', `/v1/keys/${id}`);
    assert.equal(again.statusCode, 404);
    assert.equal((await call(a, a.key, 'GET', '/v1/keys')).json().keys.find((k: { id: string }) => k.id === id).revoked_at !== null, true);
  });

  test('the CLI makes, lists and revokes keys in the store the server uses, and running nodes obey at once', async () => {
    const made = cli(dir, 'create', '--name', 'from-cli', '--json');
    assert.equal(made.status, 0, made.stderr);
    const { key, id } = JSON.parse(made.stdout) as { key: string; id: string };
    assert.equal(made.stderr, '', 'no warning: the store was there');
    assert.equal((await call(b, key, 'GET', '/v1/messages')).statusCode, 200);
    const listed = cli(dir, 'list');
    assert.match(listed.stdout, new RegExp(`${id} .*from-cli .*send,read,webhooks,opt_outs,lookups .*active`));
    assert.equal(cli(dir, 'revoke', id).status, 0);
    assert.equal((await call(b, key, 'GET', '/v1/messages')).statusCode, 401);
    const admin = JSON.parse(cli(dir, 'create', '--admin', '--json').stdout) as { key: string };
    assert.equal((await call(a, admin.key, 'GET', '/v1/connections')).statusCode, 200);
    assert.equal(cli(dir, 'create', '--scopes', 'send,root').status, 2);
  });

  test('the CLI says where the key went, and warns when it had to make a new store', () => {
    const elsewhere = tempDir();
    const { SWITCHBOARD_DATA_DIR: _, ...env } = process.env;
    const res = spawnSync(process.execPath, [CLI, 'keys', 'create'], { env, cwd: elsewhere, encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /stored in .*data\/switchboard\.db/);
    assert.match(res.stderr, /Warning: there was no store at .*: a new, empty one was made/);
    rmSync(elsewhere, { recursive: true, force: true });
  });
});
