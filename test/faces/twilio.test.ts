import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import twilio from 'twilio';
import { bearer, eventually, testNode, testNodeOn, type TestNode } from '../helpers.js';
import { FAST_WEBHOOKS, Receiver, type Json } from '../webhook-receiver.js';
import { operatorOf, type Credential } from './operator.js';

// Switchboard answering as Twilio's Messages API: real HTTP requests shaped as Twilio's reference
// and SDK send them, answers read as Twilio's SDK reads them, every error code produced from real
// state, and status callbacks received by a local HTTP server, their signature checked apart.


const RFC2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

/** X-Twilio-Signature as Twilio's security guide describes it, written apart from the server's own. */
function signature(token: string, url: string, body: string): string {
  const params = [...new URLSearchParams(body)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha1', token).update(url + params.map(([k, v]) => k + v).join('')).digest('base64');
}

describe("the Twilio Messages API face", () => {
  let node: TestNode;
  let base: string;
  let receiver: Receiver;
  let shop: { id: string; key: string };
  let cred: Credential;

  const { admin, account, credential } = operatorOf(() => node, 'twilio');

  const basic = (c: Credential, sid = c.key, token = c.secret) => `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;

  /** A request as Twilio's clients send it: a form, HTTP Basic. */
  async function call(c: Credential, method: 'GET' | 'POST', path: string, form?: Record<string, string>, options: { sid?: string; authorization?: string | null } = {}) {
    const url = `${base}/2010-04-01/Accounts/${options.sid ?? c.key}/${path}`;
    const headers: Record<string, string> = {};
    if (options.authorization !== null) headers.authorization = options.authorization ?? basic(c);
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method, headers, ...(form && { body: new URLSearchParams(form).toString() }) });
    return { status: res.status, type: res.headers.get('content-type'), json: (await res.json()) as Json };
  }

  const send = (c: Credential, form: Record<string, string>) => call(c, 'POST', 'Messages.json', form);
  /** The Twilio error code and HTTP status of a refused send. */
  async function refusal(c: Credential, form: Record<string, string>): Promise<[number, number]> {
    const res = await send(c, form);
    assert.deepEqual(Object.keys(res.json), ['code', 'message', 'more_info', 'status'], JSON.stringify(res.json));
    assert.equal(res.json.status, res.status);
    assert.equal(res.json.more_info, `https://www.twilio.com/docs/errors/${res.json.code}`);
    return [res.json.code as number, res.status];
  }

  before(async () => {
    receiver = await new Receiver().listen();
    node = await testNode({ env: FAST_WEBHOOKS });
    base = await node.api.listen({ host: '127.0.0.1', port: 0 });
    const routes = await admin('PUT', '/v1/routes', { routes: [{ name: 'uk', match: { prefixes: ['+44'] }, connections: ['sandbox'] }] });
    assert.equal(routes.statusCode, 200, routes.body);
    shop = await account({ name: 'Shop', prices: { entries: [{ prefix: '+44', price: '0.0333' }] } });
    assert.equal((await admin('POST', `/v1/accounts/${shop.id}/top-ups`, { amount: '10' })).statusCode, 201);
    cred = await credential(shop.id);
  });

  after(async () => {
    await node.close();
    await receiver.close();
  });

  test("a credential is an Account SID and an Auth Token in Twilio's shapes", () => {
    assert.match(cred.key, /^AC[0-9a-f]{32}$/);
    assert.match(cred.secret, /^[0-9a-f]{32}$/);
  });

  test("a send is answered 201 with Twilio's Message resource, and is the same message in the native API", async () => {
    const res = await send(cred, { To: '+447700900000', From: 'Shop', Body: 'Hello' });
    assert.equal(res.status, 201);
    assert.match(res.type ?? '', /^application\/json/);
    const m = res.json;
    assert.deepEqual(Object.keys(m), [
      'body', 'num_segments', 'direction', 'from', 'date_updated', 'price', 'error_message', 'uri', 'account_sid', 'num_media', 'to', 'date_created',
      'status', 'sid', 'date_sent', 'messaging_service_sid', 'error_code', 'price_unit', 'api_version', 'subresource_uris',
    ]);
    assert.match(m.sid, /^SM[0-9a-f]{32}$/);
    assert.deepEqual(
      [m.body, m.num_segments, m.direction, m.from, m.to, m.status, m.price, m.error_code, m.error_message, m.account_sid, m.api_version, m.num_media],
      ['Hello', '1', 'outbound-api', 'Shop', '+447700900000', 'queued', '-0.033300', null, null, cred.key, '2010-04-01', '0'],
    );
    assert.equal(m.uri, `/2010-04-01/Accounts/${cred.key}/Messages/${m.sid}.json`);
    assert.match(m.date_created, RFC2822);
    const listed = await admin('GET', '/v1/messages?limit=1', undefined, shop.key);
    const native = listed.json().messages[0];
    assert.deepEqual([native.to, native.text, native.price], ['+447700900000', 'Hello', '0.033300']);
    const fetched = await call(cred, 'GET', `Messages/${m.sid}.json`);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.json.sid, m.sid);
    const read = await admin('GET', `/v1/messages/${native.id}`, undefined, shop.key);
    assert.equal(read.statusCode, 200);
  });

  test('a long message counts its segments; a scheduled one is scheduled, then canceled with Status=canceled', async () => {
    assert.equal((await send(cred, { To: '+447700900000', From: 'Shop', Body: 'x'.repeat(200) })).json.num_segments, '2');
    const at = new Date(Date.now() + 3600_000).toISOString();
    const scheduled = await send(cred, { To: '+447700900000', From: 'Shop', Body: 'Later', SendAt: at, ScheduleType: 'fixed' });
    assert.equal(scheduled.status, 201, JSON.stringify(scheduled.json));
    assert.equal(scheduled.json.status, 'scheduled');
    const canceled = await call(cred, 'POST', `Messages/${scheduled.json.sid}.json`, { Status: 'canceled' });
    assert.deepEqual([canceled.status, canceled.json.status], [200, 'canceled']);
    const again = await call(cred, 'POST', `Messages/${scheduled.json.sid}.json`, { Status: 'canceled' });
    assert.deepEqual([again.status, again.json.code], [400, 400]);
    assert.deepEqual(await refusal(cred, { To: '+447700900000', From: 'Shop', Body: 'x', SendAt: at }), [400, 400]);
  });

  test('auth: HTTP Basic with the Account SID and Auth Token, the path naming that SID; anything else is 20003', async () => {
    const other = await credential(shop.id);
    const form = { To: '+447700900000', From: 'Shop', Body: 'Hi' };
    for (const authorization of [null, basic(cred, cred.key, 'f'.repeat(32)), basic(cred, `AC${'0'.repeat(32)}`, cred.secret), 'Bearer x']) {
      const res = await call(cred, 'POST', 'Messages.json', form, { authorization });
      assert.deepEqual([res.status, res.json.code], [401, 20003], String(authorization));
    }
    const crossed = await call(cred, 'POST', 'Messages.json', form, { sid: other.key });
    assert.deepEqual([crossed.status, crossed.json.code], [401, 20003]);
    assert.equal((await admin('DELETE', `/v1/accounts/${shop.id}/credentials/${other.id}`)).statusCode, 204);
    assert.equal((await send(other, form)).json.code, 20003);
  });

  test("every error code comes from Switchboard's own state", async () => {
    const form = { To: '+447700900000', From: 'Shop', Body: 'Hi' };
    assert.deepEqual(await refusal(cred, { From: 'Shop', Body: 'Hi' }), [21604, 400]);
    assert.deepEqual(await refusal(cred, { To: '+447700900000', Body: 'Hi' }), [21603, 400]);
    assert.deepEqual(await refusal(cred, { To: '+447700900000', From: 'Shop' }), [21602, 400]);
    assert.deepEqual(await refusal(cred, { ...form, To: '1555' }), [21211, 400]);
    assert.deepEqual(await refusal(cred, { ...form, From: '!!' }), [21212, 400]);
    assert.deepEqual(await refusal(cred, { ...form, To: '+33612345678' }), [21408, 400]);
    assert.deepEqual(await refusal(cred, { ...form, ValidityPeriod: '0' }), [21624, 400]);
    assert.deepEqual(await refusal(cred, { ...form, StatusCallback: 'ftp://example.com/cb' }), [21609, 400]);
    assert.deepEqual(await refusal(cred, { ...form, Body: 'x'.repeat(1531) }), [21617, 400]);
    assert.equal((await admin('POST', '/v1/opt-outs', { sender: 'Shop', number: '+447700900123' }, shop.key)).statusCode, 201);
    assert.deepEqual(await refusal(cred, { ...form, To: '+447700900123' }), [21610, 400]);
    const missing = await call(cred, 'GET', `Messages/SM${'0'.repeat(32)}.json`);
    assert.deepEqual([missing.status, missing.json.code], [404, 20404]);
    assert.deepEqual([(await call(cred, 'GET', 'Messages/nope.json')).json.code], [20404]);
  });

  test('the account decides 20005 (blocked), 30002 (credit), 20403 (protocols, IP allowlist), 21606 (senders) and 21608 (trial)', async () => {
    const form = { To: '+447700900000', From: 'Shop', Body: 'Hi' };
    const blocked = await account({ name: 'Blocked' });
    const blockedCred = await credential(blocked.id);
    assert.equal((await send(blockedCred, form)).status, 201);
    assert.equal((await admin('PATCH', `/v1/accounts/${blocked.id}`, { status: 'blocked' })).statusCode, 200);
    assert.deepEqual(await refusal(blockedCred, form), [20005, 401]);
    const broke = await account({ name: 'Broke', prices: { default: '0.05', entries: [] } });
    assert.deepEqual(await refusal(await credential(broke.id), form), [30002, 400]);
    const apiOnly = await account({ name: 'API only', protocols: ['api'] });
    assert.deepEqual(await refusal(await credential(apiOnly.id), form), [20403, 403]);
    const walled = await account({ name: 'Walled', ip_allowlist: ['203.0.113.0/24'] });
    assert.deepEqual(await refusal(await credential(walled.id), form), [20403, 403]);
    const senders = await account({ name: 'Senders', allowed_senders: ['Shop'] });
    assert.deepEqual(await refusal(await credential(senders.id), { ...form, From: 'Other' }), [21606, 400]);
    const trial = await account({ name: 'Trial', trial: true });
    const trialCred = await credential(trial.id);
    assert.deepEqual(await refusal(trialCred, form), [21608, 400]);
    assert.equal((await admin('POST', '/v1/verified-numbers', { number: '+447700900000', account: trial.id })).statusCode, 201);
    assert.equal((await send(trialCred, form)).status, 201);
  });

  test('the account rate limit is 20429', async () => {
    const limited = await testNode({ env: { SWITCHBOARD_RATE_LIMIT: '1', SWITCHBOARD_RATE_LIMIT_BURST: '1' } });
    try {
      const url = await limited.api.listen({ host: '127.0.0.1', port: 0 });
      const c = (await limited.api.inject({ method: 'POST', url: '/v1/accounts/acct_default/credentials', headers: bearer(limited.key), payload: { protocol: 'twilio' } })).json() as Credential;
      const answers: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${url}/2010-04-01/Accounts/${c.key}/Messages.json`, {
          method: 'POST',
          headers: { authorization: basic(c), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ To: '+447700900000', From: 'Shop', Body: 'Hi' }).toString(),
        });
        answers.push(`${res.status}:${((await res.json()) as Json).code ?? ''}`);
      }
      assert.ok(answers.includes('429:20429'), answers.join(','));
    } finally {
      await limited.close();
    }
  });

  test("a hostile or malformed request is answered in Twilio's error format, never a crash", async () => {
    const raw = async (body: Buffer | string, type = 'application/x-www-form-urlencoded', path = 'Messages.json') => {
      const res = await fetch(`${base}/2010-04-01/Accounts/${cred.key}/${path}`, { method: 'POST', headers: { authorization: basic(cred), 'content-type': type }, body });
      return { status: res.status, json: (await res.json()) as Json };
    };
    for (const res of [
      await raw(Buffer.from([0x54, 0x6f, 0x3d, 0xff])),
      await raw('To=%FF'),
      await raw(new URLSearchParams({ To: '+447700900000', From: 'Shop', Body: 'a\u0000b' }).toString()),
      await raw(new URLSearchParams({ To: '+447700900000', From: 'Shop', Body: 'x'.repeat(1024 * 1024) }).toString()),
      await raw('{"To": ', 'application/json'),
      await raw('PageSize=0', undefined, 'Messages/SMx.json'),
    ]) {
      assert.ok(res.status >= 400 && res.status < 500, JSON.stringify(res.json));
      assert.deepEqual(Object.keys(res.json), ['code', 'message', 'more_info', 'status']);
    }
  });

  test('the list pages as Twilio pages, filtered by To', async () => {
    const listed = await account({ name: 'Lister' });
    const c = await credential(listed.id);
    const sids: string[] = [];
    for (let i = 0; i < 5; i++) sids.push((await send(c, { To: '+447700900000', From: 'Shop', Body: `n${i}` })).json.sid as string);
    await send(c, { To: '+447700900002', From: 'Shop', Body: 'other' });
    const seen: string[] = [];
    let page = await call(c, 'GET', 'Messages.json?To=%2B447700900000&PageSize=2');
    for (;;) {
      assert.equal(page.status, 200, JSON.stringify(page.json));
      seen.push(...(page.json.messages as Json[]).map((m) => m.sid as string));
      const next = page.json.next_page_uri as string | null;
      if (next === null) break;
      assert.match(next, /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json\?To=%2B447700900000&PageSize=2&Page=\d&PageToken=PASM[0-9a-f]{32}$/);
      const res = await fetch(`${base}${next}`, { headers: { authorization: basic(c) } });
      page = { status: res.status, type: null, json: (await res.json()) as Json };
    }
    assert.deepEqual(seen, [...sids].reverse());
    // Another account's message is not there, by SID or in the list.
    const shops = (await send(cred, { To: '+447700900000', From: 'Shop', Body: 'mine' })).json.sid as string;
    const foreign = await call(c, 'GET', `Messages/${shops}.json`);
    assert.deepEqual([foreign.status, foreign.json.code], [404, 20404]);
    assert.deepEqual((await call(c, 'POST', `Messages/${shops}.json`, { Status: 'canceled' })).json.code, 20404);
    assert.ok(!((await call(c, 'GET', 'Messages.json?PageSize=1000')).json.messages as Json[]).some((m) => m.sid === shops));
    assert.deepEqual([page.json.page, page.json.page_size, page.json.start, page.json.end], [2, 2, 4, 4]);
    const dated = await call(c, 'GET', 'Messages.json?DateSent%3E=2026-01-01');
    assert.deepEqual([dated.status, dated.json.code], [400, 400]);
  });

  test('status callbacks reach StatusCallback as Twilio posts them, signed so that an independent check and Twilio\'s validator accept them', async () => {
    const url = `${receiver.url}?app=1`;
    const failed = (await send(cred, { To: '+447700900001', From: 'Shop', Body: 'Hi', StatusCallback: url })).json.sid as string;
    const delivered = (await send(cred, { To: '+447700900000', From: '+447700900999', Body: 'Hi', StatusCallback: url })).json.sid as string;
    const final = (sid: string, status: string) => eventually(async () => receiver.requests.find((r) => r.body.includes(sid) && new URLSearchParams(r.body).get('MessageStatus') === status));
    const bad = await final(failed, 'undelivered');
    const good = await final(delivered, 'delivered');
    for (const request of [bad, good]) {
      assert.equal(request.method, 'POST');
      assert.match(request.headers['content-type']!, /^application\/x-www-form-urlencoded/);
      const sent = `http://127.0.0.1:${new URL(receiver.url).port}${request.url}`;
      assert.equal(request.headers['x-twilio-signature'], signature(cred.secret, sent, request.body));
      assert.ok(twilio.validateRequest(cred.secret, request.headers['x-twilio-signature']!, sent, Object.fromEntries(new URLSearchParams(request.body))));
      assert.ok(!twilio.validateRequest(cred.secret, request.headers['x-twilio-signature']!, sent, { ...Object.fromEntries(new URLSearchParams(request.body)), MessageStatus: 'failed' }));
    }
    const fields = Object.fromEntries(new URLSearchParams(bad.body));
    assert.deepEqual(fields, { SmsSid: failed, SmsStatus: 'undelivered', MessageStatus: 'undelivered', To: '+447700900001', MessageSid: failed, AccountSid: cred.key, From: 'Shop', ApiVersion: '2010-04-01', ErrorCode: '30005' });
    assert.equal(new URLSearchParams(good.body).get('ErrorCode'), null);
    const fetched = await call(cred, 'GET', `Messages/${failed}.json`);
    assert.deepEqual([fetched.json.status, fetched.json.error_code], ['undelivered', 30005]);
  });

  test("Twilio's own Node SDK sends, fetches and lists across pages through Switchboard", async () => {
    const listed = await account({ name: 'SDK' });
    const c = await credential(listed.id);
    const client = twilio(c.key, c.secret);
    client.api.baseUrl = base;
    const sent = await client.messages.create({ to: '+447700900000', from: 'Shop', body: 'From the SDK' });
    assert.match(sent.sid, /^SM[0-9a-f]{32}$/);
    assert.deepEqual([sent.status, sent.numSegments, sent.accountSid, sent.dateCreated instanceof Date], ['queued', '1', c.key, true]);
    const fetched = await client.messages(sent.sid).fetch();
    assert.equal(fetched.body, 'From the SDK');
    for (let i = 0; i < 4; i++) await client.messages.create({ to: '+447700900000', from: 'Shop', body: `n${i}` });
    const all = await client.messages.list({ pageSize: 2 });
    assert.equal(all.length, 5);
    assert.equal(all[4]!.sid, sent.sid);
    await assert.rejects(client.messages.create({ to: '1555', from: 'Shop', body: 'Nope' }), (error: Json) => {
      assert.deepEqual([error.status, error.code], [400, 21211]);
      return true;
    });
  });
});

describe('the Twilio Messages API face on PostgreSQL', () => {
  test('a send through the face is stored, sent and called back as on SQLite', async () => {
    const receiver = await new Receiver().listen();
    const node = await testNodeOn('PostgreSQL', FAST_WEBHOOKS);
    try {
      const base = await node.api.listen({ host: '127.0.0.1', port: 0 });
      const c = (await node.api.inject({ method: 'POST', url: '/v1/accounts/acct_default/credentials', headers: bearer(node.key), payload: { protocol: 'twilio' } })).json() as Credential;
      const res = await fetch(`${base}/2010-04-01/Accounts/${c.key}/Messages.json`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${c.key}:${c.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: '+447700900000', From: 'Shop', Body: 'Hi', StatusCallback: receiver.url }).toString(),
      });
      assert.equal(res.status, 201);
      const sid = ((await res.json()) as Json).sid as string;
      const request = await eventually(async () => receiver.requests.find((r) => r.body.includes(sid) && r.body.includes('MessageStatus=delivered')));
      assert.equal(new URLSearchParams(request.body).get('AccountSid'), c.key);
    } finally {
      await node.close();
      await receiver.close();
    }
  });
});
