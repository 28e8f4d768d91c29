import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Vonage } from '@vonage/server-sdk';
import { bearer, eventually, testNode, testNodeOn, type TestNode } from '../helpers.js';
import { FAST_WEBHOOKS, Receiver, type Json } from '../webhook-receiver.js';
import { operatorOf, type Credential } from './operator.js';

// Switchboard answering as Vonage's SMS API: real HTTP requests shaped as Vonage's reference and
// SDKs send them, answers read byte for byte, every status produced from real state, and
// receipts received by a local HTTP server in Vonage's format.


const SIGNED = ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'] as const;
/** Vonage's SDK's signature helper, as an application verifying our receipts calls it (its AlgorithmTypes values). */
const verify = (c: Credential, fields: Record<string, string>, algorithm: 'MD5HASH' | 'SHA512HMAC') =>
  new Vonage({ apiKey: c.key, apiSecret: c.secret }).sms.verifySignature(fields.sig!, fields, c.settings.signature_secret!, algorithm as never);
const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Vonage's signature as its documentation describes it, written apart from the server's own. */
function sign(params: Record<string, string>, secret: string, method: (typeof SIGNED)[number]): string {
  const data = Object.keys(params)
    .sort()
    .map((k) => `&${k}=${params[k]!.replace(/[&=]/g, '_')}`)
    .join('');
  return method === 'md5hash' ? createHash('md5').update(data + secret).digest('hex') : createHmac(method, secret).update(data).digest('hex');
}

describe('the Vonage SMS API face', () => {
  let node: TestNode;
  let base: string;
  let receiver: Receiver;
  /** A priced account with money, its key and its credentials. */
  let shop: { id: string; key: string };
  const creds = new Map<string, Credential>();

  const { admin, account, credential } = operatorOf(() => node, 'vonage');

  /** A request as a client sends it: JSON, a form, or the query string; HTTP status and body text. */
  async function sms(params: Record<string, string>, options: { as?: 'json' | 'form' | 'query'; path?: string; headers?: Record<string, string> } = {}) {
    const as = options.as ?? 'form';
    const path = options.path ?? '/sms/json';
    const query = as === 'query' ? `?${new URLSearchParams(params)}` : '';
    const body = as === 'json' ? JSON.stringify(params) : as === 'form' ? new URLSearchParams(params).toString() : undefined;
    const type = as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
    const res = await fetch(`${base}${path}${query}`, {
      method: as === 'query' ? 'GET' : 'POST',
      headers: { ...(body !== undefined && { 'content-type': type }), ...options.headers },
      ...(body !== undefined && { body }),
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }

  /** The status of a request's first entry, and its whole answer. */
  async function status(params: Record<string, string>, options?: Parameters<typeof sms>[1]): Promise<string> {
    const res = await sms(params, options);
    assert.equal(res.status, 200, res.text);
    return (JSON.parse(res.text) as Json).messages[0].status as string;
  }

  const auth = (c: Credential) => ({ api_key: c.key, api_secret: c.secret });

  before(async () => {
    receiver = await new Receiver().listen();
    node = await testNode({ env: FAST_WEBHOOKS });
    base = await node.api.listen({ host: '127.0.0.1', port: 0 });
    const routes = await admin('PUT', '/v1/routes', {
      routes: [
        { name: 'o2', match: { networks: ['23410'] }, connections: ['sandbox'] },
        { name: 'uk', match: { prefixes: ['+44'] }, connections: ['sandbox'] },
      ],
      networks: { '23410': ['+447700'] },
    });
    assert.equal(routes.statusCode, 200, routes.body);
    shop = await account({ name: 'Shop', prices: { entries: [{ prefix: '+44', price: '0.0333' }] } });
    assert.equal((await admin('POST', `/v1/accounts/${shop.id}/top-ups`, { amount: '15.5692' })).statusCode, 201);
    creds.set('plain', await credential(shop.id, { receipt_url: receiver.url }));
    for (const method of SIGNED) creds.set(method, await credential(shop.id, { signature_method: method }));
  });

  after(async () => {
    await node.close();
    await receiver.close();
  });

  test("an accepted message is answered as Vonage's documented example, byte for byte", async () => {
    const res = await sms({ ...auth(creds.get('plain')!), from: 'Shop', to: '447700900000', text: 'Hello' });
    assert.equal(res.status, 200);
    assert.match(res.type ?? '', /^application\/json/);
    const id = (JSON.parse(res.text) as Json).messages[0]['message-id'] as string;
    assert.equal(
      res.text,
      `{"message-count":"1","messages":[{"to":"447700900000","message-id":"${id}","status":"0","remaining-balance":"15.53590000","message-price":"0.03330000","network":"23410"}]}`,
    );
    // The same message everywhere: the native API reads it under the account, charged the same.
    const read = await admin('GET', `/v1/messages/${id}`, undefined, shop.key);
    assert.equal(read.statusCode, 200);
    assert.deepEqual([read.json().to, read.json().from, read.json().price], ['+447700900000', 'Shop', '0.033300']);
  });

  test('credentials in every style Vonage takes: in a form, JSON or the query string, as HTTP Basic, or signed by each method', async () => {
    const plain = creds.get('plain')!;
    const message = { from: 'Shop', to: '447700900000', text: 'Hi' };
    assert.equal(await status({ ...auth(plain), ...message }, { as: 'form' }), '0');
    assert.equal(await status({ ...auth(plain), ...message }, { as: 'json' }), '0');
    assert.equal(await status({ ...auth(plain), ...message }, { as: 'query' }), '0');
    const basic = `Basic ${Buffer.from(`${plain.key}:${plain.secret}`).toString('base64')}`;
    assert.equal(await status(message, { as: 'json', headers: { authorization: basic } }), '0');
    for (const method of SIGNED) {
      const c = creds.get(method)!;
      const params = { api_key: c.key, timestamp: String(Math.floor(Date.now() / 1000)), ...message };
      assert.equal(await status({ ...params, sig: sign(params, c.settings.signature_secret!, method) }), '0', method);
      assert.equal(await status({ ...params, sig: sign(params, c.settings.signature_secret!, method).toUpperCase() }, { as: 'query' }), '0', method);
    }
  });

  test('/sms/xml answers the same entries in XML', async () => {
    const res = await sms({ ...auth(creds.get('plain')!), from: 'Shop', to: '447700900000', text: 'Hello', 'client-ref': 'order-1' }, { path: '/sms/xml' });
    assert.match(res.type ?? '', /^text\/xml/);
    const id = /<messageId>([^<]+)<\/messageId>/.exec(res.text)?.[1];
    assert.ok(id?.startsWith('msg_'), res.text);
    assert.match(
      res.text,
      new RegExp(`<messages count="1"><message><to>447700900000</to><messageId>${id}</messageId><status>0</status><remainingBalance>[0-9.]+</remainingBalance><messagePrice>0.03330000</messagePrice><network>23410</network><clientRef>order-1</clientRef></message></messages>`),
    );
    const refused = await sms({ ...auth(creds.get('plain')!), from: 'Shop', text: 'Hello' }, { path: '/sms/xml' });
    assert.match(refused.text, /<message><status>2<\/status><errorText>Missing to param.<\/errorText><\/message>/);
  });

  test('a long message: one entry per segment, each with the one message id', async () => {
    const res = await sms({ ...auth(creds.get('plain')!), from: 'Shop', to: '447700900000', text: 'x'.repeat(200), 'client-ref': 'long' }, { as: 'json' });
    const answer = JSON.parse(res.text) as Json;
    assert.equal(answer['message-count'], '2');
    assert.equal(answer.messages.length, 2);
    assert.deepEqual(answer.messages[0], answer.messages[1]);
    assert.equal(answer.messages[0]['message-price'], '0.03330000');
    assert.equal(answer.messages[0]['client-ref'], 'long');
  });

  test('every status comes from Switchboard\'s own state', async () => {
    const plain = creds.get('plain')!;
    const send = { from: 'Shop', to: '447700900000', text: 'Hi' };
    // 2: missing parameters, credentials included.
    assert.equal(await status({ ...auth(plain), from: 'Shop', text: 'Hi' }), '2');
    assert.equal(await status({ api_secret: plain.secret, ...send }), '2');
    assert.equal(await status({ api_key: plain.key, ...send }), '2');
    // 3: invalid parameters.
    assert.equal(await status({ ...auth(plain), ...send, to: '1555' }), '3');
    assert.equal(await status({ ...auth(plain), ...send, type: 'binary', body: '0011', udh: '050003' }), '3');
    assert.equal(await status({ ...auth(plain), ...send, ttl: '5' }), '3');
    // 4: bad credentials.
    assert.equal(await status({ api_key: plain.key, api_secret: 'wrong', ...send }), '4');
    assert.equal(await status({ api_key: 'deadbeef', api_secret: plain.secret, ...send }), '4');
    // 6: a number no route takes.
    assert.equal(await status({ ...auth(plain), ...send, to: '33612345678' }), '6');
    // 7: a number opted out of this sender.
    assert.equal((await admin('POST', '/v1/opt-outs', { sender: 'Shop', number: '+447700900123' }, shop.key)).statusCode, 201);
    assert.equal(await status({ ...auth(plain), ...send, to: '447700900123' }), '7');
    // 12: too long.
    assert.equal(await status({ ...auth(plain), ...send, text: 'x'.repeat(1531) }), '12');
    // 14: a signature that does not verify, or too old; 32: signed and with a secret.
    const signer = creds.get('sha256')!;
    const signed = { api_key: signer.key, timestamp: String(Math.floor(Date.now() / 1000)), ...send };
    assert.equal(await status({ ...signed, sig: sign(signed, 'not-the-secret', 'sha256') }), '14');
    const old = { ...signed, timestamp: String(Math.floor(Date.now() / 1000) - 600) };
    assert.equal(await status({ ...old, sig: sign(old, signer.settings.signature_secret!, 'sha256') }), '14');
    assert.equal(await status({ ...signed, sig: sign(signed, signer.settings.signature_secret!, 'sha256'), api_secret: signer.secret }), '32');
    // 22: a network code that is not the number's; 23: a callback URL that is not one.
    assert.equal(await status({ ...auth(plain), ...send, 'network-code': '23415' }), '22');
    assert.equal(await status({ ...auth(plain), ...send, 'network-code': '23410' }), '0');
    assert.equal(await status({ ...auth(plain), ...send, callback: 'ftp://example.com/dlr' }), '23');
  });

  test('the account decides 8 (blocked), 9 (credit), 11 (protocols), 15 (senders), 29 (trial) and its IP allowlist (4); a revoked credential is 4', async () => {
    const send = { from: 'Shop', to: '447700900000', text: 'Hi' };
    const blocked = await account({ name: 'Blocked' });
    const blockedCred = await credential(blocked.id);
    assert.equal(await status({ ...auth(blockedCred), ...send }), '0');
    assert.equal((await admin('PATCH', `/v1/accounts/${blocked.id}`, { status: 'blocked' })).statusCode, 200);
    assert.equal(await status({ ...auth(blockedCred), ...send }), '8');

    const broke = await account({ name: 'Broke', prices: { default: '0.05', entries: [] } });
    assert.equal(await status({ ...auth(await credential(broke.id)), ...send }), '9');

    const apiOnly = await account({ name: 'API only', protocols: ['api'] });
    assert.equal(await status({ ...auth(await credential(apiOnly.id)), ...send }), '11');
    const smsOk = await admin('POST', '/v1/messages', { ...send, to: '+447700900000' }, apiOnly.key);
    assert.equal(smsOk.statusCode, 202, 'the native API is still allowed');
    const vonageOnly = await account({ name: 'Vonage only', protocols: ['vonage'] });
    const refused = await admin('POST', '/v1/messages', { ...send, to: '+447700900000' }, vonageOnly.key);
    assert.deepEqual([refused.statusCode, refused.json().error.code], [403, 'protocol_not_allowed']);

    const senders = await account({ name: 'Senders', allowed_senders: ['Shop'] });
    const senderCred = await credential(senders.id);
    assert.equal(await status({ ...auth(senderCred), ...send, from: 'Other' }), '15');
    assert.equal(await status({ ...auth(senderCred), ...send }), '0');

    // 29: an account in trial sends only to the numbers it verified.
    const trial = await account({ name: 'Trial', trial: true });
    const trialCred = await credential(trial.id);
    assert.equal(await status({ ...auth(trialCred), ...send }), '29');
    assert.equal((await admin('POST', '/v1/verified-numbers', { number: '+447700900000', account: trial.id })).statusCode, 201);
    assert.equal(await status({ ...auth(trialCred), ...send }), '0');

    // The account's IP allowlist holds for its credentials as for its keys: refused as credentials are, 4.
    const walled = await account({ name: 'Walled', ip_allowlist: ['203.0.113.0/24'] });
    assert.equal(await status({ ...auth(await credential(walled.id)), ...send }), '4');

    assert.equal((await admin('DELETE', `/v1/accounts/${senders.id}/credentials/${senderCred.id}`)).statusCode, 204);
    assert.equal(await status({ ...auth(senderCred), ...send }), '4');
  });

  test('the account rate limit is status 1', async () => {
    const limited = await testNode({ env: { SWITCHBOARD_RATE_LIMIT: '1', SWITCHBOARD_RATE_LIMIT_BURST: '1' } });
    try {
      const url = await limited.api.listen({ host: '127.0.0.1', port: 0 });
      const made = await limited.api.inject({ method: 'POST', url: '/v1/accounts/acct_default/credentials', headers: bearer(limited.key), payload: { protocol: 'vonage' } });
      const c = made.json() as Credential;
      const statuses: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${url}/sms/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...auth(c), from: 'Shop', to: '447700900000', text: 'Hi' }) });
        statuses.push(((await res.json()) as Json).messages[0].status as string);
      }
      assert.ok(statuses.includes('1'), statuses.join(','));
    } finally {
      await limited.close();
    }
  });

  test('a hostile or malformed request is answered in Vonage\'s format, never a crash', async () => {
    const plain = creds.get('plain')!;
    const bad = [
      await sms({ ...auth(plain), from: 'Shop', to: '447700900000', text: 'a\u0000b' }),
      await fetch(`${base}/sms/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"api_key": ' }).then(async (r) => ({ status: r.status, text: await r.text() })),
      await fetch(`${base}/sms/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to": {"a": 1}}' }).then(async (r) => ({ status: r.status, text: await r.text() })),
      await fetch(`${base}/sms/json?text=%FF`, { method: 'GET' }).then(async (r) => ({ status: r.status, text: await r.text() })),
      await fetch(`${base}/sms/json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from([0x74, 0x3d, 0xff]) }).then(async (r) => ({ status: r.status, text: await r.text() })),
      await sms({ ...auth(plain), from: 'Shop', to: '447700900000', text: 'x'.repeat(1024 * 1024) }),
    ];
    for (const res of bad) {
      assert.equal(res.status, 200, res.text);
      const answer = JSON.parse(res.text) as Json;
      assert.equal(answer['message-count'], '1');
      assert.ok(['2', '3'].includes(answer.messages[0].status), res.text);
      assert.equal(typeof answer.messages[0]['error-text'], 'string');
    }
  });

  test("a receipt reaches the credential's receipt URL in Vonage's format, signed so that Vonage's SDK verifies it", async () => {
    const plain = creds.get('plain')!;
    const res = await sms({ ...auth(plain), from: 'Shop', to: '447700900001', text: 'Hello', 'client-ref': 'order-7' }, { as: 'json' });
    const id = (JSON.parse(res.text) as Json).messages[0]['message-id'] as string;
    const request = await eventually(async () => receiver.requests.find((r) => r.body.includes(id)));
    assert.equal(request.method, 'POST');
    assert.match(request.headers['content-type']!, /^application\/json/);
    const dlr = JSON.parse(request.body) as Record<string, string>;
    assert.deepEqual(Object.keys(dlr), ['msisdn', 'to', 'network-code', 'messageId', 'price', 'status', 'scts', 'err-code', 'api-key', 'client-ref', 'message-timestamp', 'timestamp', 'nonce', 'sig']);
    assert.deepEqual(
      { msisdn: dlr.msisdn, to: dlr.to, network: dlr['network-code'], messageId: dlr.messageId, price: dlr.price, status: dlr.status, err: dlr['err-code'], key: dlr['api-key'], ref: dlr['client-ref'] },
      { msisdn: '447700900001', to: 'Shop', network: '23410', messageId: id, price: '0.03330000', status: 'failed', err: '3', key: plain.key, ref: 'order-7' },
    );
    assert.match(dlr.scts!, /^\d{10}$/);
    assert.match(dlr['message-timestamp']!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.ok(verify(plain, dlr, 'MD5HASH'), 'the SDK verifies the receipt');
    assert.ok(!verify(plain, { ...dlr, status: 'delivered' }, 'MD5HASH'));
  });

  test('a request\'s callback gets the receipt, as a query string or a form as the credential asks; status-report-req=0 asks for none', async () => {
    const byGet = await credential(shop.id, { receipt_method: 'GET', signature_method: 'sha512' });
    const byForm = await credential(shop.id, { receipt_method: 'POST' });
    const callback = `${receiver.url}?app=1`;
    const sent = async (c: Credential, extra: Record<string, string> = {}) =>
      (JSON.parse((await sms({ ...auth(c), from: '447700900999', to: '447700900000', text: 'Hi', callback, ...extra })).text) as Json).messages[0]['message-id'] as string;
    const getId = await sent(byGet);
    const formId = await sent(byForm);
    const silentId = await sent(byForm, { 'status-report-req': '0' });
    const viaGet = await eventually(async () => receiver.requests.find((r) => r.url.includes(getId)));
    assert.equal(viaGet.method, 'GET');
    const query = Object.fromEntries(new URL(viaGet.url, 'http://x').searchParams);
    assert.deepEqual([query.app, query.status, query['err-code'], query.to], ['1', 'delivered', '0', '447700900999']);
    const { app: _app, ...fields } = query;
    assert.ok(verify(byGet, fields as Record<string, string>, 'SHA512HMAC'));
    const viaForm = await eventually(async () => receiver.requests.find((r) => r.body.includes(formId)));
    assert.match(viaForm.headers['content-type']!, /^application\/x-www-form-urlencoded/);
    assert.equal(new URLSearchParams(viaForm.body).get('status'), 'delivered');
    // The silent one's message finished too, and nothing came for it.
    await eventually(async () => ((await admin('GET', `/v1/messages/${silentId}`, undefined, shop.key)).json().status === 'delivered' ? true : undefined));
    assert.ok(!receiver.requests.some((r) => r.url.includes(silentId) || r.body.includes(silentId)));
  });

  test("Vonage's own Node SDK sends through Switchboard and reads its answers", async () => {
    const plain = creds.get('plain')!;
    const vonage = new Vonage({ apiKey: plain.key, apiSecret: plain.secret }, { restHost: base });
    const sent = await vonage.sms.send({ to: '447700900000', from: 'Shop', text: 'From the SDK', clientRef: 'sdk-1' });
    assert.equal(sent.messageCount, '1');
    const [message] = sent.messages as unknown as Json[];
    assert.equal(message!.status, '0');
    assert.equal(message!.clientRef, 'sdk-1');
    assert.equal(message!.messagePrice, '0.03330000');
    const read = await admin('GET', `/v1/messages/${message!.messageId}`, undefined, shop.key);
    assert.equal(read.json().client_ref, 'sdk-1');
    await assert.rejects(vonage.sms.send({ to: '1555', from: 'Shop', text: 'Nope' }), (error: Json) => {
      assert.equal(error.response.messages[0].status, '3');
      return true;
    });
  });

  test('the operator makes, lists and revokes credentials from the terminal', () => {
    const env = { ...process.env, SWITCHBOARD_DATA_DIR: node.dir };
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, 'credentials', ...args], { encoding: 'utf8', env });
    const made = cli('create', '--protocol', 'vonage', '--account', shop.id, '--signature-method', 'sha1', '--json');
    assert.equal(made.status, 0, made.stderr);
    const created = JSON.parse(made.stdout) as Json;
    assert.deepEqual([created.accountId, created.settings.signature_method, created.secret.length], [shop.id, 'sha1', 16]);
    const listed = cli('list', '--account', shop.id);
    assert.match(listed.stdout, new RegExp(`${created.id}  vonage  ${created.key}  -  .*  active`));
    assert.doesNotMatch(listed.stdout, new RegExp(created.secret));
    assert.equal(cli('revoke', created.id, '--account', shop.id).status, 0);
    assert.match(cli('list', '--account', shop.id).stdout, new RegExp(`${created.id} .* revoked`));
    assert.equal(cli('create', '--protocol', 'telegram').status, 1, 'no such face');
  });

  test('credentials: listed without their secrets, an account\'s own or those under it, never another\'s', async () => {
    const listed = await admin('GET', `/v1/accounts/${shop.id}/credentials`, undefined, shop.key);
    assert.equal(listed.statusCode, 200);
    const first = listed.json().credentials[0] as Json;
    assert.equal(first.key, creds.get('plain')!.key);
    assert.equal(first.secret, undefined);
    assert.equal(first.settings.signature_secret, undefined);
    assert.equal(first.settings.receipt_method, 'POST-JSON');
    const own = await admin('POST', `/v1/accounts/${shop.id}/credentials`, { protocol: 'vonage' }, shop.key);
    assert.equal(own.statusCode, 201, 'an account makes its own');
    const other = await account({ name: 'Other' });
    assert.equal((await admin('GET', `/v1/accounts/${shop.id}/credentials`, undefined, other.key)).statusCode, 404);
    assert.equal((await admin('POST', `/v1/accounts/${shop.id}/credentials`, { protocol: 'vonage' }, other.key)).statusCode, 404);
    assert.equal((await admin('DELETE', `/v1/accounts/${shop.id}/credentials/${own.json().id}`, undefined, other.key)).statusCode, 404);
    const bad = await admin('POST', `/v1/accounts/${shop.id}/credentials`, { protocol: 'vonage', signature_method: 'sha3' });
    assert.deepEqual([bad.statusCode, bad.json().error.param], [400, 'signature_method']);
  });
});

describe('the Vonage SMS API face on PostgreSQL', () => {
  test('a send through the face is stored, sent and receipted as on SQLite', async () => {
    const receiver = await new Receiver().listen();
    const node = await testNodeOn('PostgreSQL', FAST_WEBHOOKS);
    try {
      const base = await node.api.listen({ host: '127.0.0.1', port: 0 });
      const made = await node.api.inject({ method: 'POST', url: '/v1/accounts/acct_default/credentials', headers: bearer(node.key), payload: { protocol: 'vonage', receipt_url: receiver.url, receipt_method: 'POST' } });
      const c = made.json() as Credential;
      const res = await fetch(`${base}/sms/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...{ api_key: c.key, api_secret: c.secret }, from: 'Shop', to: '447700900000', text: 'Hi' }) });
      const entry = ((await res.json()) as Json).messages[0] as Json;
      assert.equal(entry.status, '0');
      const request = await eventually(async () => receiver.requests.find((r) => r.body.includes(entry['message-id'] as string)));
      const dlr = new URLSearchParams(request.body);
      assert.deepEqual([dlr.get('status'), dlr.get('err-code'), dlr.get('api-key')], ['delivered', '0', c.key]);
    } finally {
      await node.close();
      await receiver.close();
    }
  });
});
