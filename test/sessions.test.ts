import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, STORES, testNodeOn, type TestNode } from './helpers.js';

// Dashboard sessions as an attacker would probe them: the cookie's flags, writes without the CSRF
// token, guessing passwords, a viewer writing, a user made with more rights than its maker's.

const PASSWORD = 'correct horse battery staple';
const SEND = { from: 'Switchboard', to: '+447700900000', text: 'Hello' };

for (const storeName of STORES) {
  describe(`dashboard sessions (${storeName})`, () => {
    let node: TestNode;
    const user = async (email: string, role: string, key = node.key) => {
      const res = await node.api.inject({ method: 'POST', url: '/v1/users', headers: bearer(key), payload: { email, password: PASSWORD, role } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    const signIn = async (email: string, password = PASSWORD, remoteAddress = '127.0.0.1') => {
      const res = await node.api.inject({ method: 'POST', url: '/v1/session', payload: { email, password }, remoteAddress });
      const cookie = /^(sb_session=[^;]+)/.exec(String(res.headers['set-cookie'] ?? ''))?.[1] ?? '';
      return { res, cookie, csrf: res.statusCode === 201 ? (res.json().csrf_token as string) : '' };
    };
    before(async () => {
      node = await testNodeOn(storeName, {});
      await user('admin@example.com', 'admin');
      await user('dev@example.com', 'developer');
      await user('viewer@example.com', 'viewer');
    });
    after(() => node.close());

    test('signing in sets an HttpOnly, SameSite=Strict cookie; a wrong password and an unknown email answer alike', async () => {
      const { res, csrf } = await signIn('Admin@Example.com');
      assert.equal(res.statusCode, 201);
      const cookie = String(res.headers['set-cookie']);
      assert.match(cookie, /^sb_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
      assert.equal(res.json().user.role, 'admin');
      assert.ok(res.json().scopes.includes('admin'));
      assert.ok(csrf.length >= 32);
      const wrong = await signIn('admin@example.com', 'not the password');
      const unknown = await signIn('nobody@example.com', 'not the password');
      for (const r of [wrong.res, unknown.res]) {
        assert.equal(r.statusCode, 401);
        assert.equal(r.json().error.code, 'invalid_credentials');
        assert.equal(r.headers['set-cookie'], undefined);
      }
      assert.equal(wrong.res.json().error.message, unknown.res.json().error.message);
    });

    test('the API takes the session: reads need only the cookie, every write also its CSRF token', async () => {
      const { cookie, csrf } = await signIn('dev@example.com');
      const read = await node.api.inject({ method: 'GET', url: '/v1/messages', headers: { cookie } });
      assert.equal(read.statusCode, 200);
      for (const token of [undefined, 'x'.repeat(csrf.length), '']) {
        const headers: Record<string, string> = { cookie, ...(token !== undefined && { 'x-csrf-token': token }) };
        const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers, payload: SEND });
        assert.equal(res.statusCode, 403, `token ${token}`);
        assert.deepEqual([res.json().error.code, res.json().error.param], ['permission_denied', 'x-csrf-token']);
      }
      const sent = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: { cookie, 'x-csrf-token': csrf }, payload: SEND });
      assert.equal(sent.statusCode, 202, sent.body);
      const forged = await node.api.inject({ method: 'GET', url: '/v1/messages', headers: { cookie: 'sb_session=forged' } });
      assert.deepEqual([forged.statusCode, forged.json().error.code], [401, 'invalid_credentials']);
    });

    test('roles are scopes: a viewer reads and writes nothing; only the operator\'s admins touch routes and keys', async () => {
      const viewer = await signIn('viewer@example.com');
      const dev = await signIn('dev@example.com');
      const admin = await signIn('admin@example.com');
      const as = (s: { cookie: string; csrf: string }, method: 'POST' | 'PUT' | 'GET', url: string, payload?: object) =>
        node.api.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(payload && { payload }) });
      assert.equal((await as(viewer, 'GET', '/v1/messages')).statusCode, 200);
      for (const [s, method, url, payload] of [
        [viewer, 'POST', '/v1/messages', SEND],
        [viewer, 'POST', '/v1/webhooks/endpoints', { url: 'https://example.com/hook' }],
        [dev, 'PUT', '/v1/routes', { routes: [{ name: 'x', connections: [{ connection: 'sandbox' }] }] }],
        [dev, 'GET', '/v1/keys', undefined],
        [dev, 'POST', '/v1/users', { email: 'new@example.com', password: PASSWORD, role: 'admin' }],
      ] as const) {
        const res = await as(s, method, url, payload);
        assert.deepEqual([res.statusCode, res.json().error.code], [403, 'insufficient_scope'], `${method} ${url}`);
      }
      const bad = await as(admin, 'PUT', '/v1/routes', { routes: [{ name: 'x', connections: [{ connection: 'nowhere' }] }] });
      assert.deepEqual([bad.statusCode, bad.json().error.code], [400, 'invalid_parameter']);
      assert.equal((await as(admin, 'GET', '/v1/keys')).statusCode, 200);
    });

    test('nobody makes a user with more rights than their own: a key with `accounts` but not `admin` cannot make an operator admin', async () => {
      const key = await node.api.inject({ method: 'POST', url: '/v1/keys', headers: bearer(node.key), payload: { scopes: ['accounts', 'read'] } });
      const res = await node.api.inject({ method: 'POST', url: '/v1/users', headers: bearer(key.json().key), payload: { email: 'escalate@example.com', password: PASSWORD, role: 'admin' } });
      assert.deepEqual([res.statusCode, res.json().error.code, res.json().error.param], [403, 'insufficient_scope', 'role']);
      const viewer = await node.api.inject({ method: 'POST', url: '/v1/users', headers: bearer(key.json().key), payload: { email: 'fine@example.com', password: PASSWORD, role: 'viewer' } });
      assert.equal(viewer.statusCode, 201);
      const short = await node.api.inject({ method: 'POST', url: '/v1/users', headers: bearer(node.key), payload: { email: 'short@example.com', password: 'short', role: 'viewer' } });
      assert.deepEqual([short.statusCode, short.json().error.param], [400, 'password']);
    });

    test('five wrong passwords lock the user out for 15 minutes, the right one included; then it signs in again', async () => {
      await user('locked@example.com', 'viewer');
      for (let i = 0; i < 5; i++) assert.equal((await signIn('locked@example.com', `guess ${i}`)).res.statusCode, 401);
      const locked = await signIn('locked@example.com');
      assert.deepEqual([locked.res.statusCode, locked.res.json().error.code], [429, 'rate_limit_exceeded']);
      assert.ok(Number(locked.res.headers['retry-after']) > 800);
      node.clock.advance(15 * 60_000 + 1000);
      assert.equal((await signIn('locked@example.com')).res.statusCode, 201);
    });

    test('a user locked out from one address still signs in from another: wrong passwords lock the user out only where they came from', async () => {
      await user('target@example.com', 'viewer');
      for (let i = 0; i < 5; i++) assert.equal((await signIn('target@example.com', `guess ${i}`, '198.51.100.1')).res.statusCode, 401);
      const there = await signIn('target@example.com', PASSWORD, '198.51.100.1');
      assert.deepEqual([there.res.statusCode, there.res.json().error.code], [429, 'rate_limit_exceeded']);
      assert.match(there.res.json().error.message, /this user is locked out/);
      assert.equal((await signIn('target@example.com', PASSWORD, '198.51.100.2')).res.statusCode, 201);
      // IPv6: one subscriber holds a whole /64, which counts as one address.
      for (let i = 0; i < 5; i++) assert.equal((await signIn('target@example.com', `guess ${i}`, `2001:db8:1:2::${i + 1}`)).res.statusCode, 401);
      assert.equal((await signIn('target@example.com', PASSWORD, '2001:db8:1:2:ffff::9')).res.statusCode, 429);
      assert.equal((await signIn('target@example.com', PASSWORD, '2001:db8:1:3::1')).res.statusCode, 201);
    });

    test('an address that fails 20 sign-ins, whatever the emails, is refused every sign-in for 15 minutes; other addresses are not', async () => {
      await user('guessed@example.com', 'viewer');
      for (let i = 0; i < 20; i++) {
        const res = (await signIn(i % 2 === 0 ? `nobody${i}@example.com` : 'guessed@example.com', `guess ${i}`, '198.51.100.3')).res;
        assert.equal(res.statusCode, i % 2 === 1 && i >= 11 ? 429 : 401, `attempt ${i}`);
      }
      const refused = await signIn('admin@example.com', PASSWORD, '198.51.100.3');
      assert.deepEqual([refused.res.statusCode, refused.res.json().error.code], [429, 'rate_limit_exceeded']);
      assert.match(refused.res.json().error.message, /from this address/);
      assert.ok(Number(refused.res.headers['retry-after']) > 800);
      assert.equal((await signIn('guessed@example.com', PASSWORD, '198.51.100.4')).res.statusCode, 201);
      node.clock.advance(15 * 60_000 + 1000);
      assert.equal((await signIn('admin@example.com', PASSWORD, '198.51.100.3')).res.statusCode, 201);
    });

    test('wrong passwords from many addresses lock the user out everywhere only after 50', async () => {
      await user('spread@example.com', 'viewer');
      for (let i = 0; i < 50; i++) assert.equal((await signIn('spread@example.com', `guess ${i}`, `203.0.113.${Math.floor(i / 5)}`)).res.statusCode, 401, `attempt ${i}`);
      const locked = await signIn('spread@example.com', PASSWORD, '203.0.113.200');
      assert.deepEqual([locked.res.statusCode, locked.res.json().error.code], [429, 'rate_limit_exceeded']);
      node.clock.advance(15 * 60_000 + 1000);
      assert.equal((await signIn('spread@example.com', PASSWORD, '203.0.113.200')).res.statusCode, 201);
    });

    test("an account's admin deletes a user, whose sessions end at once; never one with more rights than the caller's, nor themselves", async () => {
      const gone = await user('leaving@example.com', 'developer');
      const leaving = await signIn('leaving@example.com');
      const admin = await signIn('admin@example.com');
      const adminId = admin.res.json().user.id as string;
      const as = (s: { cookie: string; csrf: string }, id: string) => node.api.inject({ method: 'DELETE', url: `/v1/users/${id}`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
      const dev = await signIn('dev@example.com');
      assert.deepEqual([(await as(dev, gone.id)).statusCode, (await as(dev, gone.id)).json().error.code], [403, 'insufficient_scope']);
      const self = await as(admin, adminId);
      assert.deepEqual([self.statusCode, self.json().error.param], [400, 'id']);
      // A key with `accounts` but not `admin` may not remove an operator's admin.
      const key = (await node.api.inject({ method: 'POST', url: '/v1/keys', headers: bearer(node.key), payload: { scopes: ['accounts', 'read'] } })).json().key as string;
      const beyond = await node.api.inject({ method: 'DELETE', url: `/v1/users/${adminId}`, headers: bearer(key) });
      assert.deepEqual([beyond.statusCode, beyond.json().error.code, beyond.json().error.param], [403, 'insufficient_scope', 'id']);
      assert.equal((await as(admin, gone.id)).statusCode, 204);
      assert.equal((await node.api.inject({ method: 'GET', url: '/v1/session', headers: { cookie: leaving.cookie } })).statusCode, 401);
      const again = await as(admin, gone.id);
      assert.deepEqual([again.statusCode, again.json().error.code], [404, 'not_found']);
      const listed = (await node.api.inject({ method: 'GET', url: '/v1/users', headers: bearer(node.key) })).json().users as { email: string }[];
      assert.ok(!listed.some((u) => u.email === 'leaving@example.com'));
      assert.equal((await signIn('leaving@example.com')).res.statusCode, 401);
    });

    test('signing out ends the session; signing out everywhere ends every session of the user', async () => {
      const one = await signIn('viewer@example.com');
      const two = await signIn('viewer@example.com');
      const three = await signIn('viewer@example.com');
      const out = await node.api.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie: one.cookie, 'x-csrf-token': one.csrf } });
      assert.equal(out.statusCode, 204);
      assert.match(String(out.headers['set-cookie']), /^sb_session=; .*Max-Age=0/);
      assert.equal((await node.api.inject({ method: 'GET', url: '/v1/session', headers: { cookie: one.cookie } })).statusCode, 401);
      assert.equal((await node.api.inject({ method: 'GET', url: '/v1/session', headers: { cookie: two.cookie } })).statusCode, 200);
      const unforged = await node.api.inject({ method: 'DELETE', url: '/v1/sessions', headers: { cookie: two.cookie } });
      assert.equal(unforged.statusCode, 403, 'sign-out everywhere is a write: it needs the CSRF token');
      assert.equal((await node.api.inject({ method: 'DELETE', url: '/v1/sessions', headers: { cookie: two.cookie, 'x-csrf-token': two.csrf } })).statusCode, 204);
      for (const s of [two, three]) assert.equal((await node.api.inject({ method: 'GET', url: '/v1/messages', headers: { cookie: s.cookie } })).statusCode, 401);
    });
  });
}

describe('the dashboard is served by the node', () => {
  let node: TestNode;
  before(async () => {
    node = await testNodeOn('SQLite', { SWITCHBOARD_TRUST_PROXY: '10.0.0.5' });
  });
  after(() => node.close());

  test('its page at / and /dashboard, its scripts, nothing else from disk, under a strict content policy', async () => {
    for (const url of ['/', '/dashboard']) {
      const res = await node.api.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /<script type="module" src="\/dashboard\/app.js">/);
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'.*frame-ancestors 'none'/);
    }
    const js = await node.api.inject({ method: 'GET', url: '/dashboard/app.js' });
    assert.deepEqual([js.statusCode, js.headers['content-type']], [200, 'text/javascript; charset=utf-8']);
    for (const url of ['/dashboard/../package.json', '/dashboard/%2e%2e/package.json', '/dashboard/nothing.js']) {
      const res = await node.api.inject({ method: 'GET', url });
      // A path that leaves /dashboard reaches no route: refused without a key, never read from disk.
      assert.ok([401, 404].includes(res.statusCode), `${url}: ${res.statusCode}`);
      assert.doesNotMatch(res.body, /"devDependencies"/);
    }
  });

  test('behind a trusted proxy, X-Forwarded-For names the client whose failed sign-ins are counted; from anyone else it is ignored', async () => {
    const password = 'correct horse battery staple';
    assert.equal((await node.api.inject({ method: 'POST', url: '/v1/users', headers: bearer(node.key), payload: { email: 'proxied@example.com', password, role: 'viewer' } })).statusCode, 201);
    const signIn = (pass: string, forwardedFor: string, remoteAddress: string) =>
      node.api.inject({ method: 'POST', url: '/v1/session', payload: { email: 'proxied@example.com', password: pass }, remoteAddress, headers: { 'x-forwarded-for': forwardedFor } });
    // The proxy (10.0.0.5, trusted) forwards a guesser at 198.51.100.7: it is locked out, not the proxy's other clients.
    for (let i = 0; i < 5; i++) assert.equal((await signIn(`guess ${i}`, '198.51.100.7', '10.0.0.5')).statusCode, 401);
    assert.equal((await signIn(password, '198.51.100.7', '10.0.0.5')).statusCode, 429);
    assert.equal((await signIn(password, '198.51.100.8', '10.0.0.5')).statusCode, 201);
    // An untrusted client cannot pick its address: its header is ignored.
    for (let i = 0; i < 5; i++) assert.equal((await signIn(`guess ${i}`, `192.0.2.${i}`, '198.51.100.9')).statusCode, 401);
    assert.equal((await signIn(password, '192.0.2.77', '198.51.100.9')).statusCode, 429);
  });

  test('a live stream ends once its session is signed out', async () => {
    const password = 'correct horse battery staple';
    assert.equal((await node.api.inject({ method: 'POST', url: '/v1/users', headers: bearer(node.key), payload: { email: 'live@example.com', password, role: 'viewer' } })).statusCode, 201);
    const signedIn = await node.api.inject({ method: 'POST', url: '/v1/session', payload: { email: 'live@example.com', password } });
    const cookie = /^(sb_session=[^;]+)/.exec(String(signedIn.headers['set-cookie']))![1]!;
    const base = await node.api.listen({ host: '127.0.0.1', port: 0 });
    const stream = await fetch(`${base}/v1/messages/stream`, { headers: { cookie, accept: 'text/event-stream' } });
    assert.equal(stream.status, 200);
    const reader = stream.body!.getReader();
    assert.match(new TextDecoder().decode((await reader.read()).value), /^: live/);
    const out = await node.api.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie, 'x-csrf-token': signedIn.json().csrf_token } });
    assert.equal(out.statusCode, 204);
    for (;;) if ((await reader.read()).done) break;
  });
});
