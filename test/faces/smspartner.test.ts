import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/app/clock.js';
import { Catalogue } from '../../src/core/catalogue/catalogue.js';
import { readLive } from '../../src/core/lookups/live.js';
import { PROVIDER_TABLES } from '../../src/providers/tables.js';
import { smspartnerReaders } from '../../src/providers/smspartner/normalize.js';
import { smspartnerPlugin } from '../../src/providers/smspartner/plugin.js';
import { parisStamp, readWebhook } from '../../src/providers/smspartner/wire.js';
import { bearer, eventually, testNode, testNodeOn, type TestNode } from '../helpers.js';
import { FakeSmsPartnerHlr, SMSPARTNER_DEAD } from '../fakes/number-lookups.js';
import { providerNode } from '../providers/harness.js';
import { FAST_WEBHOOKS, Receiver, type Json } from '../webhook-receiver.js';
import { operatorOf, type Credential } from './operator.js';

// Switchboard answering as SMSPartner's API: plain HTTP requests shaped as SMSPartner's
// reference shows them (JSON bodies with the apiKey, query strings for reads), answers read
// byte for byte, every control code produced from real state, and delivery reports received
// by a local HTTP server in SMSPartner's fields.

/** An HLR notification as Switchboard's own SMSPartner connector reads it: the number, and what it says of it. */
const catalogue = new Catalogue(PROVIDER_TABLES, 'http://127.0.0.1:8080');
function readNotification(body: string) {
  const [report] = readWebhook(Object.fromEntries(new URLSearchParams(body))).lookups!;
  const live = readLive(catalogue, report!);
  return [report!.number, live.reachability, live.error?.code ?? null];
}

type Answer = { status: number; type: string | null; text: string; json: Json };

describe('the SMSPartner API face', () => {
  let node: TestNode;
  let base: string;
  let receiver: Receiver;
  /** A priced account with money, its key, and its SMSPartner apiKey. */
  let shop: { id: string; key: string };
  let apiKey: string;
  let currency: string;

  const { admin, account, credential } = operatorOf(() => node, 'smspartner');

  /** A request as SMSPartner's examples send it: JSON for POST, the query string for GET (or `as`). */
  async function call(method: 'GET' | 'POST', path: string, params: Record<string, unknown>, as: 'json' | 'form' | 'query' = method === 'GET' ? 'query' : 'json'): Promise<Answer> {
    const query = as === 'query' ? `?${new URLSearchParams(params as Record<string, string>)}` : '';
    const body = as === 'json' ? JSON.stringify(params) : as === 'form' ? new URLSearchParams(params as Record<string, string>).toString() : undefined;
    const res = await fetch(`${base}${path}${query}`, {
      method,
      ...(body !== undefined && { body, headers: { 'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded' } }),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), text, json: text.startsWith('{') ? (JSON.parse(text) as Json) : {} };
  }
  const send = (params: Record<string, unknown>, key = apiKey) => call('POST', '/v1/send', { apiKey: key, sender: 'Shop', message: 'Hello', phoneNumbers: '+447700900000', ...params });
  /** The control code a send answers (after checking the answer's shape). */
  async function code(params: Record<string, unknown>, key = apiKey): Promise<number> {
    const res = await send(params, key);
    assert.equal(typeof res.json.success, 'boolean', res.text);
    assert.notEqual(res.status, 500, res.text);
    return res.json.code as number;
  }
  const read = async (id: string) => (await admin('GET', `/v1/messages/${id}`, undefined, shop.key)).json() as Json;

  before(async () => {
    receiver = await new Receiver().listen();
    node = await testNode({ env: FAST_WEBHOOKS });
    base = await node.api.listen({ host: '127.0.0.1', port: 0 });
    const routes = await admin('PUT', '/v1/routes', {
      routes: [
        { name: 'uk', match: { prefixes: ['+44'] }, connections: ['sandbox'] },
        { name: 'fr', match: { prefixes: ['+33'] }, connections: ['sandbox'] },
      ],
    });
    assert.equal(routes.statusCode, 200, routes.body);
    shop = await account({ name: 'Shop', prices: { entries: [{ prefix: '+44', price: '0.0333' }, { prefix: '+33', price: '0.05' }] } });
    assert.equal((await admin('POST', `/v1/accounts/${shop.id}/top-ups`, { amount: '20' })).statusCode, 201);
    apiKey = (await credential(shop.id)).secret;
    currency = (await admin('GET', `/v1/accounts/${shop.id}`)).json().currency as string;
  });

  after(async () => {
    await node.close();
    await receiver.close();
  });

  test("a send is answered as SMSPartner's documented example, byte for byte, and is the same message in the native API", async () => {
    const res = await send({ message: 'Total: 5 :euro::br:Merci' });
    assert.equal(res.status, 200);
    assert.match(res.type ?? '', /^application\/json/);
    const id = res.json.message_id as string;
    assert.equal(res.text, `{"success":true,"code":200,"message_id":"${id}","nb_sms":1,"cost":0.0333,"currency":"${currency}"}`);
    const m = await read(id);
    assert.deepEqual([m.to, m.from, m.text, m.price], ['+447700900000', 'Shop', 'Total: 5 €\nMerci', '0.033300']);
  });

  test('phoneNumbers takes several numbers, French national ones too; each is found by the one message_id and its number', async () => {
    const res = await send({ phoneNumbers: '0612345678, +447700900000' });
    assert.deepEqual([res.json.success, res.json.nb_sms, res.json.cost], [true, 2, 0.0833]);
    for (const [number, to] of [['0612345678', '+33612345678'], ['+447700900000', '+447700900000']] as const) {
      const status = await eventually(async () => {
        const s = await call('GET', '/v1/message-status', { apiKey, messageId: res.json.message_id, phoneNumber: number });
        return s.json.statut === 'Delivered' ? s : undefined;
      });
      assert.deepEqual(Object.keys(status.json), ['success', 'code', 'number', 'messageId', 'stopSms', 'date', 'statut', 'cost', 'countryCode', 'currency']);
      assert.deepEqual([status.json.number, status.json.messageId, status.json.stopSms, status.json.currency], [to, res.json.message_id, false, currency]);
      assert.match(status.json.date as string, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
    const missing = await call('GET', '/v1/message-status', { apiKey, messageId: res.json.message_id, phoneNumber: '+447700900555' });
    assert.deepEqual([missing.json.success, missing.json.code], [false, 4]);
    // The whole send by its message_id, each entry as SMSPartner's connector reads a status answer.
    const bulk = await call('GET', '/v1/bulk-status', { apiKey, messageId: res.json.message_id });
    assert.deepEqual((bulk.json.StatutResponse_List as Json[]).map((e) => [e.phoneNumber, e.status]), [['+33612345678', 'Delivered'], ['+447700900000', 'Delivered']]);
    const readings = smspartnerReaders.status!(bulk.text, 'application/json');
    assert.deepEqual(readings.map((r) => (r.kind === 'receipt' ? r.report.status.code : r.kind)), ['delivered', 'delivered']);
  });

  test('_format=xml answers the same fields in XML, refusals too', async () => {
    const res = await call('POST', '/v1/send?_format=xml', { apiKey, sender: 'Shop', message: 'Hi', phoneNumbers: '+447700900000' });
    assert.match(res.type ?? '', /^application\/xml/);
    const id = /<message_id>([^<]+)<\/message_id>/.exec(res.text)?.[1];
    assert.equal(res.text, `<?xml version="1.0" encoding="UTF-8"?>\n<result><success>true</success><code>200</code><message_id>${id}</message_id><nb_sms>1</nb_sms><cost>0.0333</cost><currency>${currency}</currency></result>`);
    const refused = await call('GET', '/v1/me', { apiKey: 'nope', _format: 'xml' });
    assert.match(refused.text, /<result><success>false<\/success><code>10<\/code><message>[^<]+<\/message><\/result>$/);
  });

  test('a scheduled send (Paris time, minutes in steps of 5) is canceled with its message_id; a sent one cannot be (7)', async () => {
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    const date = `${String(tomorrow.getUTCDate()).padStart(2, '0')}/${String(tomorrow.getUTCMonth() + 1).padStart(2, '0')}/${tomorrow.getUTCFullYear()}`;
    const res = await send({ scheduledDeliveryDate: date, time: 9, minute: 35 });
    assert.equal(res.json.success, true, res.text);
    const m = await read(res.json.message_id as string);
    assert.equal(m.status, 'scheduled');
    assert.equal(res.json.scheduledDeliveryDate, parisStamp(Date.parse(m.send_at as string)));
    assert.match(res.json.scheduledDeliveryDate as string, / 09:35:00$/);
    const canceled = await call('GET', '/v1/message-cancel', { apiKey, messageId: res.json.message_id });
    assert.deepEqual(canceled.json, { success: true, code: 200, message: 'The SMS sending has been canceled.' });
    assert.equal((await read(res.json.message_id as string)).status, 'canceled');
    const sent = await send({});
    await eventually(async () => ((await read(sent.json.message_id as string)).status === 'delivered' ? true : undefined));
    assert.equal((await call('GET', '/v1/message-cancel', { apiKey, messageId: sent.json.message_id })).json.code, 7);
    assert.equal((await call('GET', '/v1/message-cancel', { apiKey })).json.code, 3);
  });

  test("every control code of a send comes from Switchboard's own state", async () => {
    const date = '01/01/2099';
    assert.equal(await code({ apiKey: undefined }), 1);
    assert.equal(await code({}, 'f'.repeat(40)), 10);
    assert.equal(await code({ phoneNumbers: '' }), 2);
    assert.equal(await code({ message: '' }), 43);
    assert.equal(await code({ sender: '' }), 44);
    assert.equal(await code({ time: 9, minute: 5 }), 45);
    assert.equal(await code({ scheduledDeliveryDate: date, minute: 5 }), 46);
    assert.equal(await code({ scheduledDeliveryDate: date, time: 9, minute: 'ab' }), 47);
    assert.equal(await code({ scheduledDeliveryDate: date, time: 9, minute: 7 }), 48);
    assert.equal(await code({ scheduledDeliveryDate: '31/02/2099', time: 9, minute: 5 }), 49);
    assert.equal(await code({ scheduledDeliveryDate: '01/01/2020', time: 9, minute: 5 }), 49, 'in the past');
    assert.equal(await code({ phoneNumbers: Array.from({ length: 501 }, (_, i) => `+4477009${String(i).padStart(5, '0')}`).join(',') }), 50);
    assert.equal(await code({ message: 'x'.repeat(1600) }), 52);
    assert.equal(await code({ gamme: 2, message: 'x'.repeat(161) }), 42);
    assert.equal(await code({ gamme: 2, message: 'x'.repeat(160) }), 200);
    assert.equal(await code({ phoneNumbers: '+12025550123' }), 13, 'no route takes it');
    const invalid = await send({ phoneNumbers: '+4477' });
    assert.equal(invalid.status, 400);
    assert.deepEqual([invalid.json.code, invalid.json.errors[0].elementId], [9, 'children[phoneNumbers].data']);
    const malformed = await fetch(`${base}/v1/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"apiKey": "${apiKey}",` });
    assert.deepEqual([malformed.status, ((await malformed.json()) as Json).code], [400, 90]);
    // 14: the account's STOP list.
    const stop = await call('POST', '/v1/stop-sms/add', { apiKey, phoneNumber: '+447700900123' });
    assert.deepEqual(stop.json, { success: true, code: 200, stopId: 447700900123 });
    assert.equal(await code({ phoneNumbers: '+447700900123' }), 14);
    const list = await call('GET', '/v1/stop-sms/list', { apiKey });
    assert.ok((list.json.data as Json[]).some((e) => e.id === 447700900123 && e.phoneNumber === '+447700900123'), list.text);
    assert.deepEqual((await call('POST', '/v1/stop-sms/delete', { apiKey, id: 447700900123 })).json, { success: true, code: 200 });
    assert.equal(await code({ phoneNumbers: '+447700900123' }), 200);
    assert.equal((await call('POST', '/v1/stop-sms/delete', { apiKey, id: 447700900123 })).json.code, 4);
  });

  test('the account decides 11 (credit), 20 (disabled), 30 (blocked), 40 (protocols), 96 (its addresses) and 992 (its senders); a revoked key is 10', async () => {
    const keyOf = async (body: Json) => {
      const a = await account(body);
      return { id: a.id, key: (await credential(a.id)).secret };
    };
    assert.equal(await code({}, (await keyOf({ name: 'Broke', prices: { default: '0.05', entries: [] } })).key), 11);
    const disabled = await keyOf({ name: 'Disabled' });
    assert.equal(await code({}, disabled.key), 200);
    assert.equal((await admin('PATCH', `/v1/accounts/${disabled.id}`, { status: 'disabled' })).statusCode, 200);
    assert.equal(await code({}, disabled.key), 20);
    const blocked = await keyOf({ name: 'Blocked' });
    assert.equal((await admin('PATCH', `/v1/accounts/${blocked.id}`, { status: 'blocked' })).statusCode, 200);
    assert.equal(await code({}, blocked.key), 30);
    const apiOnly = await keyOf({ name: 'API only', protocols: ['api'] });
    assert.equal(await code({}, apiOnly.key), 40);
    assert.equal((await call('GET', '/v1/me', { apiKey: apiOnly.key })).json.code, 40, 'every endpoint, not only sends');
    assert.equal(await code({}, (await keyOf({ name: 'Walled', ip_allowlist: ['203.0.113.0/24'] })).key), 96);
    assert.equal(await code({}, (await keyOf({ name: 'Senders', allowed_senders: ['Other'] })).key), 992);
    const revoked = await account({ name: 'Revoked' });
    const c: Credential = await credential(revoked.id);
    assert.equal((await admin('DELETE', `/v1/accounts/${revoked.id}/credentials/${c.id}`)).statusCode, 204);
    assert.equal(await code({}, c.secret), 10);
  });

  test("the account's request rate is 429", async () => {
    const limited = await testNode({ env: { SWITCHBOARD_RATE_LIMIT: '1', SWITCHBOARD_RATE_LIMIT_BURST: '1' } });
    try {
      const url = await limited.api.listen({ host: '127.0.0.1', port: 0 });
      const made = await limited.api.inject({ method: 'POST', url: '/v1/accounts/acct_default/credentials', headers: bearer(limited.key), payload: { protocol: 'smspartner' } });
      const key = (made.json() as Credential).secret;
      const answers: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${url}/v1/me?apiKey=${key}`);
        answers.push(`${res.status} ${((await res.json()) as Json).code}`);
      }
      assert.ok(answers.includes('429 429'), answers.join(','));
    } finally {
      await limited.close();
    }
  });

  test('a hostile or malformed request is answered in SMSPartner\'s format, never a crash', async () => {
    const raw = (body: string | Buffer, type = 'application/json', path = '/v1/send') =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body }).then(async (r) => ({ status: r.status, text: await r.text() }));
    const bad = [
      await send({ message: 'a\u0000b' }),
      await raw('[1, 2]'),
      await raw(JSON.stringify({ apiKey, phoneNumbers: { a: 1 } })),
      await raw(Buffer.from([0x61, 0x70, 0x69, 0x4b, 0x65, 0x79, 0x3d, 0xff]), 'application/x-www-form-urlencoded'),
      await raw(JSON.stringify({ apiKey, SMSList: 'not a list', sender: 'Shop' }), 'application/json', '/v1/bulk/send'),
      await raw(`apiKey=${apiKey}&SMSList=%5B1%5D&sender=Shop`, 'application/x-www-form-urlencoded', '/v1/bulk/send'),
      await raw(JSON.stringify({ apiKey, type: 'simple', parameters: 'x' }), 'application/json', '/v1/subaccount/create'),
      await raw(JSON.stringify({ apiKey, SMSStatut_List: [null] }), 'application/json', '/v1/multi-status'),
      await raw(JSON.stringify({ apiKey, phoneNumbers: { a: 1 }, notifyUrl: ['http://x'] }), 'application/json', '/v1/hlr/notify'),
      await raw(JSON.stringify({ apiKey, phoneNumbers: '+447700900000', notifyUrl: `http://${'a'.repeat(3000)}.example` }), 'application/json', '/v1/hlr/notify'),
      await send({ message: 'x'.repeat(1024 * 1024) }),
      await fetch(`${base}/v1/message-status?apiKey=%FF`).then(async (r) => ({ status: r.status, text: await r.text() })),
    ];
    for (const res of bad) {
      assert.ok(res.status < 500, res.text);
      const answer = JSON.parse(res.text) as Json;
      assert.equal(answer.success, false, res.text);
      assert.equal(typeof answer.code, 'number');
      assert.equal(typeof answer.message, 'string');
    }
  });

  test("a delivery report reaches urlDlr in SMSPartner's fields, as Switchboard's own SMSPartner connector reads them", async () => {
    const delivered = await send({ urlDlr: receiver.url });
    const failed = await send({ urlDlr: receiver.url, phoneNumbers: '+447700900001' });
    for (const [res, statut] of [[delivered, 'Delivered'], [failed, 'Not delivered']] as const) {
      const id = res.json.message_id as string;
      const request = await eventually(async () => receiver.requests.find((r) => r.body.includes(id)));
      assert.equal(request.method, 'POST');
      assert.match(request.headers['content-type']!, /^application\/x-www-form-urlencoded/);
      const fields = Object.fromEntries(new URLSearchParams(request.body));
      assert.deepEqual(Object.keys(fields), ['messageId', 'phoneNumber', 'statut', 'date']);
      assert.deepEqual([fields.messageId, fields.statut], [id, statut]);
      const [report] = readWebhook(fields).receipts;
      assert.deepEqual([report!.providerMessageId, report!.status.code], [id, statut.toLowerCase()]);
      assert.equal(report!.occurredAt, Math.floor(Date.parse((await read(id)).updated_at as string) / 1000) * 1000, 'its date, in Paris time');
    }
  });

  test('number verification (/v1/hlr/notify): live lookups charged to the account, cached, each answer posted to notifyUrl as the SMSPartner connector reads it', async () => {
    const checker = await account({ name: 'Checker', prices: { default: '0.05', lookup: '0.005', entries: [] } });
    assert.equal((await admin('POST', `/v1/accounts/${checker.id}/top-ups`, { amount: '1' })).statusCode, 201);
    const key = (await credential(checker.id)).secret;
    const numbers = ['+447700900000', '+447700900001', '+447700900002'];
    const verify = () => call('POST', '/v1/hlr/notify', { apiKey: key, phoneNumbers: numbers.join(','), notifyUrl: `${receiver.url}/hlr` });
    const res = await verify();
    assert.deepEqual(Object.keys(res.json), ['success', 'code', 'campaign_id', 'number', 'cost', 'currency'], res.text);
    assert.deepEqual([res.json.success, res.json.code, res.json.number, res.json.cost, res.json.currency], [true, 200, 3, 0.015, currency]);
    const balance = async () => (await admin('GET', `/v1/balance?account=${checker.id}`)).json().balance as string;
    assert.equal(Number(await balance()), 0.985);
    const posted = await eventually(async () => (receiver.requests.filter((r) => r.url === '/hooks/hlr').length === 3 ? receiver.requests.filter((r) => r.url === '/hooks/hlr') : undefined));
    for (const r of posted) {
      assert.equal(r.method, 'POST');
      assert.match(r.headers['content-type']!, /^application\/x-www-form-urlencoded/);
    }
    const fields = posted.map((r) => Object.fromEntries(new URLSearchParams(r.body)));
    const dead = fields.find((f) => f.phone === '+447700900001')!;
    assert.deepEqual([dead.errorGrpId, dead.errorName], ['1', 'EC_UNKNOWN_SUBSCRIBER']);
    assert.match(dead.date!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    assert.deepEqual(
      posted.map((r) => readNotification(r.body)).sort(),
      [['+447700900000', 'reachable', null], ['+447700900001', 'unreachable', 'unknown_subscriber'], ['+447700900002', 'absent', 'absent_subscriber']],
    );
    // Each notification's messageId is the lookup, the same one the native API shows.
    const native = (await admin('GET', `/v1/lookups/${dead.messageId}`, undefined, checker.key)).json();
    assert.deepEqual([native.number, native.reachability, native.price], ['+447700900001', 'unreachable', '0.005000']);
    // Again within the cache's TTL: answered and notified, not charged again.
    const again = await verify();
    assert.deepEqual([again.json.number, again.json.cost], [3, 0]);
    assert.equal(Number(await balance()), 0.985);
    await eventually(async () => (receiver.requests.filter((r) => r.url === '/hooks/hlr').length === 6 ? true : undefined));
  });

  test("number verification's control codes come from the request and the account", async () => {
    const hlr = (params: Record<string, unknown>, key = apiKey) => call('POST', '/v1/hlr/notify', { apiKey: key, phoneNumbers: '+447700900000', ...params });
    const codeOf = async (params: Record<string, unknown>, key = apiKey) => {
      const res = await hlr(params, key);
      assert.equal(res.json.success, false, res.text);
      return res.json.code as number;
    };
    assert.equal(await codeOf({ apiKey: undefined }), 1);
    assert.equal(await codeOf({}, 'f'.repeat(40)), 10);
    assert.equal(await codeOf({ phoneNumbers: '' }), 2);
    assert.equal(await codeOf({ phoneNumbers: '+447700900000;+447700900001' }), 19);
    assert.equal(await codeOf({ phoneNumbers: '+447700900000 +447700900001' }), 19);
    assert.equal(await codeOf({ phoneNumbers: Array.from({ length: 501 }, (_, i) => `+4477009${String(i).padStart(5, '0')}`).join(',') }), 50);
    const invalid = await hlr({ phoneNumbers: '+447700900000,+4477' });
    assert.deepEqual([invalid.status, invalid.json.code, invalid.json.errors[0].elementId], [400, 9, 'children[phoneNumbers].data']);
    const url = await hlr({ notifyUrl: 'ftp://example.com/hlr' });
    assert.deepEqual([url.json.code, url.json.errors[0].elementId], [9, 'children[notifyUrl].data']);
    assert.equal(await codeOf({}), 13, 'the account has no lookup price');
    const broke = await account({ name: 'Broke checker', prices: { default: '0.05', lookup: '0.005', entries: [] } });
    assert.equal(await codeOf({}, (await credential(broke.id)).secret), 11);
  });

  test("Switchboard's own SMSPartner connector, pointed at this face, looks numbers up live through it", async () => {
    const checker = await account({ name: 'Upstream checker', prices: { default: '0.05', lookup: '0.005', entries: [] } });
    assert.equal((await admin('POST', `/v1/accounts/${checker.id}/top-ups`, { amount: '1' })).statusCode, 201);
    const key = (await credential(checker.id)).secret;
    const { node: client } = await providerNode((publicUrl) =>
      smspartnerPlugin.create({ name: 'partner', provider: 'smspartner', api_key: key, receipt_token: 'a-long-receipt-token-0123', base_url: base }, { clock: systemClock, publicUrl }),
    );
    try {
      // Numbers its numbering plan calls valid (the sandbox's reserved ones are not, off the sandbox): both reachable.
      const res = await client.api.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(client.key), payload: { numbers: ['+447400123456', '+33612345678'], live: true } });
      assert.equal(res.statusCode, 200, res.body);
      const pending = res.json().lookups.map((l: Json) => l.live);
      assert.deepEqual(pending.map((l: Json) => [l.reachability, l.answer.number]), [['pending', 2], ['pending', 2]]);
      const answered = (id: string) =>
        eventually(async () => {
          const l = (await client.api.inject({ method: 'GET', url: `/v1/lookups/${id}`, headers: bearer(client.key) })).json();
          return l.reachability === 'pending' ? undefined : l;
        });
      for (const l of pending) assert.deepEqual(((a) => [a.reachability, a.error])(await answered(l.id)), ['reachable', null]);
      assert.equal((await admin('GET', `/v1/balance?account=${checker.id}`)).json().balance, '0.990000');
    } finally {
      await client.close();
    }
  });

  test("through a connection that answers later (SMSPartner's own HLR), each answer is posted to notifyUrl when it comes", async () => {
    const hlr = new FakeSmsPartnerHlr('sp-key');
    await hlr.listen();
    const { node: relay, base: relayBase } = await providerNode(
      (publicUrl) => smspartnerPlugin.create({ name: 'partner', provider: 'smspartner', api_key: 'sp-key', receipt_token: 'a-long-receipt-token-0123', base_url: hlr.url }, { clock: systemClock, publicUrl }),
      FAST_WEBHOOKS,
    );
    try {
      const made = await relay.api.inject({ method: 'POST', url: '/v1/accounts/acct_default/credentials', headers: bearer(relay.key), payload: { protocol: 'smspartner' } });
      const body = JSON.stringify({ apiKey: (made.json() as Credential).secret, phoneNumbers: `+33612345678,${SMSPARTNER_DEAD}`, notifyUrl: `${receiver.url}/relayed` });
      const res = (await (await fetch(`${relayBase}/v1/hlr/notify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as Json;
      assert.deepEqual([res.success, res.number], [true, 2]);
      const posted = await eventually(async () => ((r) => (r.length === 2 ? r : undefined))(receiver.requests.filter((r) => r.url === '/hooks/relayed')));
      assert.deepEqual(posted.map((r) => readNotification(r.body)).sort(), [['+33612345678', 'reachable', null], [SMSPARTNER_DEAD, 'unreachable', 'unknown_subscriber']]);
      const fields = Object.fromEntries(new URLSearchParams(posted.find((r) => r.body.includes('NO_ERROR'))!.body));
      assert.deepEqual([fields.mccMnc, fields.ported], ['20815', '1']);
    } finally {
      await relay.close();
      await hlr.close();
    }
  });

  test('a bulk send takes each number with its own text, each answered on its own; at most 500', async () => {
    const res = await call('POST', '/v1/bulk/send', {
      apiKey,
      sender: 'Shop',
      SMSList: [
        { phoneNumber: '+447700900000', message: 'One' },
        { phoneNumber: '+4477', message: 'Two' },
        { phoneNumber: '0612345678', message: 'Three' },
      ],
    });
    assert.deepEqual([res.json.success, res.json.nb_sms, res.json.cost], [true, 2, 0.0833]);
    const [one, two, three] = res.json.SMSResponse_List as Json[];
    assert.deepEqual([one!.success, one!.code, one!.messageId, one!.cost], [true, 200, res.json.message_id, 0.0333]);
    assert.deepEqual([two!.success, two!.code, two!.phoneNumber], [false, 9, '+4477']);
    assert.equal((await read(three!.messageId as string)).text, 'Three');
    const many = Array.from({ length: 501 }, () => ({ phoneNumber: '+447700900000', message: 'x' }));
    assert.equal((await call('POST', '/v1/bulk/send', { apiKey, sender: 'Shop', SMSList: many })).json.code, 50);
    assert.equal((await call('POST', '/v1/bulk/send', { apiKey, sender: 'Shop', SMSList: [] })).json.code, 55);
    const none = await call('POST', '/v1/bulk-send', { apiKey, sender: 'Shop', SMSList: [{ phoneNumber: '+4477', message: 'x' }] });
    assert.deepEqual([none.json.success, none.json.code], [false, 9]);
  });

  test('multi-status answers each {phoneNumber, messageId}; one not found is code 4 in its entry', async () => {
    const sent = await send({});
    const res = await call('POST', '/v1/multi-status', {
      apiKey,
      SMSStatut_List: [
        { phoneNumber: '+447700900000', messageId: sent.json.message_id },
        { phoneNumber: '+447700900000', messageId: 'msg_01JZZZZZZZZZZZZZZZZZZZZZZZ' },
      ],
    });
    const [found, missing] = res.json.StatutResponse_List as Json[];
    assert.deepEqual([found!.success, found!.code, found!.messageId, found!.stopSms], [true, 200, sent.json.message_id, '0']);
    assert.ok(['Waiting', 'Delivered'].includes(found!.status as string));
    assert.match(found!.date as string, /^\d{10}$/);
    assert.deepEqual(missing, { success: false, code: 4, phoneNumber: '+447700900000', messageId: 'msg_01JZZZZZZZZZZZZZZZZZZZZZZZ', status: 'Number not found' });
    assert.equal((await call('POST', '/v1/multi-status', { apiKey, SMSStatut_List: [] })).json.code, 5);
    // The XML answer holds what the JSON one does, as the SMSPartner connector reads them (once
    // the message is final, so that both read the same state).
    const list = { apiKey, SMSStatut_List: [{ phoneNumber: '+447700900000', messageId: sent.json.message_id }] };
    await eventually(async () => ((await call('POST', '/v1/multi-status', list)).json.StatutResponse_List[0].status === 'Delivered' ? true : undefined));
    const xml = await call('POST', '/v1/multi-status?_format=xml', { apiKey, SMSStatut_List: [{ phoneNumber: '+447700900000', messageId: sent.json.message_id }] });
    const json = await call('POST', '/v1/multi-status', { apiKey, SMSStatut_List: [{ phoneNumber: '+447700900000', messageId: sent.json.message_id }] });
    assert.match(xml.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<result><success>true<\/success><code>200<\/code><StatutResponse_List><entry><success>true<\/success>/);
    const read = (text: string) => smspartnerReaders.status!(text).map((r) => (r.kind === 'receipt' ? [r.report.providerMessageId, r.report.status.code] : r.kind));
    assert.deepEqual(read(xml.text), read(json.text));
  });

  test('/v1/me tells the credit; sub-accounts are accounts under this one, credited by transfers', async () => {
    const balance = async (id: string) => (await admin('GET', `/v1/balance?account=${id}`)).json().balance as string;
    const me = await call('GET', '/v1/me', { apiKey });
    assert.deepEqual(me.json, { success: true, code: 200, user: { username: 'Shop' }, credits: { solde: await balance(shop.id), currency, balance: await balance(shop.id) } });
    const before = Number(await balance(shop.id));
    const made = await call('POST', '/v1/subaccount/create', { apiKey, type: 'simple', parameters: { email: 'branch@example.com', creditToAttribute: 2, firstname: 'Lyon' } });
    assert.equal(made.json.success, true, made.text);
    const { token, apiKey: subKey, email } = made.json.subaccount as Json;
    assert.equal(email, 'branch@example.com');
    assert.equal((await admin('GET', `/v1/accounts/${token}`)).json().parent_id, shop.id);
    assert.equal(Number(await balance(token)), 2);
    assert.equal(Number(await balance(shop.id)), before - 2);
    assert.equal(await code({}, subKey), 200, "the sub-account's apiKey sends, charged as its parent's prices say");
    assert.deepEqual((await call('POST', '/v1/subaccount/credit/add', { apiKey, credit: '1.5', tokenSubaccount: token })).json.success, true);
    const listed = await call('GET', '/v1/subaccount/list', { apiKey });
    const entry = (listed.json.subaccountList as Json[]).find((a) => a.token === token)!;
    assert.deepEqual([entry.name, Number(entry.solde), entry.currency], ['Lyon', 3.5 - 0.0333, currency]);
    assert.equal((await call('POST', '/v1/subaccount/credit/add', { apiKey, tokenSubaccount: token })).json.code, 3);
    assert.equal((await call('POST', '/v1/subaccount/credit/add', { apiKey, credit: '1' })).json.code, 4);
    assert.equal((await call('POST', '/v1/subaccount/credit/add', { apiKey, credit: '0', tokenSubaccount: token })).json.code, 5);
    assert.equal((await call('POST', '/v1/subaccount/credit/add', { apiKey, credit: '1', tokenSubaccount: 'acct_nope' })).json.code, 6);
    assert.equal((await call('POST', '/v1/subaccount/credit/add', { apiKey, credit: '1000', tokenSubaccount: token })).json.code, 11);
  });

  test('the credential: one apiKey of 40 hex digits, shown once; lists show its first 12 only', async () => {
    const made = await admin('POST', `/v1/accounts/${shop.id}/credentials`, { protocol: 'smspartner' }, shop.key);
    assert.equal(made.statusCode, 201);
    const c = made.json() as Credential;
    assert.match(c.secret, /^[0-9a-f]{40}$/);
    assert.equal(c.key, c.secret.slice(0, 12));
    const listed = await admin('GET', `/v1/accounts/${shop.id}/credentials`, undefined, shop.key);
    assert.ok(!listed.body.includes(c.secret));
    assert.equal((await call('GET', '/v1/me', { apiKey: c.key })).json.code, 10, 'the public half is not the key');
    assert.equal((await node.api.inject({ method: 'GET', url: `/v1/me?apiKey=${c.secret}`, headers: bearer(shop.key) })).json().success, true);
  });
});

describe('the SMSPartner API face on PostgreSQL', () => {
  test('number verification is charged once, answered from the cache after, and notified each time', async () => {
    const receiver = await new Receiver().listen();
    const node = await testNodeOn('PostgreSQL', FAST_WEBHOOKS);
    try {
      const base = await node.api.listen({ host: '127.0.0.1', port: 0 });
      const { admin, account, credential } = operatorOf(() => node, 'smspartner');
      const checker = await account({ name: 'Checker', prices: { default: '0.05', lookup: '0.005', entries: [] } });
      assert.equal((await admin('POST', `/v1/accounts/${checker.id}/top-ups`, { amount: '1' })).statusCode, 201);
      const body = JSON.stringify({ apiKey: (await credential(checker.id)).secret, phoneNumbers: '+447700900000,+447700900001', notifyUrl: receiver.url });
      const verify = async () => (await (await fetch(`${base}/v1/hlr/notify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as Json;
      const first = await verify();
      assert.deepEqual([first.success, first.number, first.cost], [true, 2, 0.01]);
      assert.deepEqual([(await verify()).cost], [0]);
      assert.equal((await admin('GET', `/v1/balance?account=${checker.id}`)).json().balance, '0.990000');
      const posted = await eventually(async () => (receiver.requests.length === 4 ? receiver.requests : undefined));
      assert.deepEqual(posted.map((r) => readNotification(r.body)).sort(), [
        ['+447700900000', 'reachable', null],
        ['+447700900000', 'reachable', null],
        ['+447700900001', 'unreachable', 'unknown_subscriber'],
        ['+447700900001', 'unreachable', 'unknown_subscriber'],
      ]);
    } finally {
      await node.close();
      await receiver.close();
    }
  });

  test('a send to two numbers is stored, found by its one message_id and each number, and reported as on SQLite', async () => {
    const receiver = await new Receiver().listen();
    const node = await testNodeOn('PostgreSQL', FAST_WEBHOOKS);
    try {
      const base = await node.api.listen({ host: '127.0.0.1', port: 0 });
      const made = await node.api.inject({ method: 'POST', url: '/v1/accounts/acct_default/credentials', headers: bearer(node.key), payload: { protocol: 'smspartner' } });
      const apiKey = (made.json() as Credential).secret;
      const body = JSON.stringify({ apiKey, sender: 'Shop', message: 'Hi', phoneNumbers: '+447700900000,+447700900010', urlDlr: receiver.url });
      const sent = (await (await fetch(`${base}/v1/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as Json;
      assert.deepEqual([sent.success, sent.nb_sms], [true, 2]);
      const status = await eventually(async () => {
        const res = (await (await fetch(`${base}/v1/message-status?apiKey=${apiKey}&messageId=${sent.message_id}&phoneNumber=%2B447700900010`)).json()) as Json;
        return res.statut === 'Delivered' ? res : undefined;
      });
      assert.equal(status.number, '+447700900010');
      const reports = await eventually(async () => (receiver.requests.length === 2 ? receiver.requests : undefined));
      assert.deepEqual(reports.map((r) => new URLSearchParams(r.body).get('statut')), ['Delivered', 'Delivered']);
    } finally {
      await node.close();
      await receiver.close();
    }
  });
});
