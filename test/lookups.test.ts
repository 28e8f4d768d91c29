import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../src/app/clock.js';
import type { Route } from '../src/core/routing/router.js';
import { normalizeReading } from '../src/app/normalize.js';
import { Catalogue } from '../src/core/catalogue/catalogue.js';
import { readLookupAnswer } from '../src/providers/infobip/lookups.js';
import { PAYLOAD_READERS } from '../src/providers/readers.js';
import { PROVIDER_TABLES } from '../src/providers/tables.js';
import { infobipPlugin } from '../src/providers/infobip/plugin.js';
import { readInsightAnswer } from '../src/providers/vonage/lookups.js';
import { sandboxPlugin } from '../src/providers/sandbox/plugin.js';
import { vonagePlugin } from '../src/providers/vonage/plugin.js';
import { smspartnerPlugin } from '../src/providers/smspartner/plugin.js';
import { FakeInfobipLookup, FakeSmsPartnerHlr, FakeVonageInsight, SMSPARTNER_DEAD, VONAGE_BAD_NUMBER } from './fakes/number-lookups.js';
import { bearer, eventually, testNode, type TestNode } from './helpers.js';
import { providerNode } from './providers/harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// The providers' fakes answer their documented payloads (test/fakes/number-lookups.ts cites each):
// Infobip, https://www.infobip.com/docs/api/platform/number-lookup/number-context-lookup;
// Vonage, https://developer.vonage.com/number-insight/code-snippets/number-insight-advanced;
// SMSPartner, the "Verify the Validity of a Phone Number" page of its API documentation (HLR API).

const deps = { clock: systemClock, publicUrl: 'http://127.0.0.1:9' };
const sandbox = (name: string) => sandboxPlugin.create({ name, provider: 'sandbox', receipt_delay_ms: 10 }, deps);
const byNetwork = (name: string, network: string, ranges: string[], connection: string): Route => ({
  name,
  match: { networks: { [network]: ranges } },
  strategy: 'priority',
  resendUnknown: false,
  connections: [{ connection, priority: 1, weight: 1, price: null }],
});

describe('reading the providers\' lookup answers', () => {
  test('Infobip\'s documented request error ("Bad request", /number/1/query) is a refusal in its API error table', () => {
    const bad = readLookupAnswer(400, JSON.stringify({ requestError: { serviceException: { messageId: 'BAD_REQUEST', text: 'Bad request' } } }));
    assert.deepEqual(bad, { kind: 'refused', code: { provider: 'infobip', context: 'api-errors', code: 'BAD_REQUEST', message: 'Bad request' }, raw: { requestError: { serviceException: { messageId: 'BAD_REQUEST', text: 'Bad request' } } } });
    assert.deepEqual(readLookupAnswer(200, '<html>'), { kind: 'unknown', reason: 'HTTP 200 without results[]' });
  });

  test('Vonage\'s status 43-45 (live lookup not returned) still answers what is known; assumed_ported is ported', () => {
    const partial = readInsightAnswer('+447400123456', 200, JSON.stringify({ status: 43, status_message: 'Live mobile lookup not returned', ported: 'assumed_ported', current_carrier: { network_code: '23420' } }));
    assert.equal(partial.kind, 'answered');
    const [report] = partial.kind === 'answered' ? partial.reports : [];
    assert.deepEqual([report?.status, report?.network, report?.ported], [{ provider: 'vonage', context: 'number-insight-reachable', code: 'unknown' }, '23420', true]);
  });
});

describe('normalize reads lookup answers as pasted', () => {
  const catalogue = new Catalogue(PROVIDER_TABLES, 'http://127.0.0.1:8080');
  const read = (provider: string, kind: string, raw: string, contentType?: string) => PAYLOAD_READERS[provider]![kind]!(raw, contentType).flatMap((r) => normalizeReading(catalogue, r)) as Json[];

  test('an SMSPartner HLR notification (JSON or form), an Infobip Number Lookup answer, a Vonage Number Insight answer', () => {
    const form = 'phone=%2B33612345679&messageId=1234&mccMnc=20815&ported=0&errorGrpId=1&errorName=EC_UNKNOWN_SUBSCRIBER&errorDesc=Unknown+subscriber';
    const [dead] = read('smspartner', 'hlr', form, 'application/x-www-form-urlencoded');
    assert.deepEqual([dead!.number, dead!.reachability, dead!.error.code, dead!.error.permanent], ['+33612345679', 'unreachable', 'unknown_subscriber', true]);
    const results = [{ to: '41793026727', mccMnc: '22801', ported: false, status: { groupId: 3, groupName: 'DELIVERED', id: 5, name: 'DELIVERED_TO_HANDSET' }, error: { groupId: 0, groupName: 'Ok', id: 0, name: 'NO_ERROR' } }];
    assert.deepEqual(read('infobip', 'number-lookup', JSON.stringify({ results })).map((n) => [n.number, n.reachability, n.network]), [['+41793026727', 'reachable', '22801']]);
    const [refused] = read('infobip', 'number-lookup', JSON.stringify({ requestError: { serviceException: { messageId: 'UNAUTHORIZED', text: 'Unauthorized' } } }));
    assert.deepEqual([refused!.lookup_failed, refused!.error.code], [true, 'provider_authentication_failed']);
    const [absent] = read('vonage', 'number-insight', JSON.stringify({ status: 0, international_format_number: '447400123456', current_carrier: { network_code: '23420' }, reachable: 'absent', ported: 'not_ported' }));
    assert.deepEqual([absent!.number, absent!.reachability, absent!.network, absent!.ported, absent!.error.code], ['+447400123456', 'absent', '23420', false, 'absent_subscriber']);
  });
});

describe('number lookups', () => {
  let infobip: FakeInfobipLookup;
  let vonage: FakeVonageInsight;
  let node: TestNode;
  let shop: { id: string; key: string };
  const call = async (key: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Json) => {
    const res = await node.api.inject({ method, url, headers: bearer(key), ...(payload && { payload }) });
    return { status: res.statusCode, body: res.json() as Json };
  };
  const lookup = (key: string, payload: Json) => call(key, 'POST', '/v1/lookups', payload);

  before(async () => {
    infobip = new FakeInfobipLookup('ib-key');
    vonage = new FakeVonageInsight('key', 'secret');
    await infobip.listen();
    await vonage.listen();
    node = await testNode({
      connectors: [
        infobipPlugin.create({ name: 'infobip', provider: 'infobip', api_key: 'ib-key', base_url: infobip.url, receipt_token: 'a-long-receipt-token-0123' }, deps),
        vonagePlugin.create({ name: 'vonage', provider: 'vonage', api_key: 'key', api_secret: 'secret', accept_unsigned_receipts: true, insight_url: vonage.url }, deps),
        vonagePlugin.create({ name: 'vonage-wrong', provider: 'vonage', api_key: 'key', api_secret: 'wrong', accept_unsigned_receipts: true, insight_url: vonage.url }, deps),
        sandbox('o2'),
        sandbox('three'),
      ],
      routes: [byNetwork('o2-range', '23410', ['+447400'], 'o2'), byNetwork('three', '23420', ['+447500'], 'three')],
    });
    const created = await call(node.key, 'POST', '/v1/accounts', { name: 'Shop', prices: { default: '0.05', lookup: '0.01', entries: [] } });
    const id = created.body.id as string;
    await call(node.key, 'POST', `/v1/accounts/${id}/top-ups`, { amount: '0.02' });
    shop = { id, key: (await call(node.key, 'POST', `/v1/accounts/${id}/keys`, {})).body.key };
  });
  after(async () => {
    await node.close();
    await infobip.close();
    await vonage.close();
  });

  test('offline: the numbering plan\'s facts for one number or many, free, without any provider request', async () => {
    const one = await lookup(shop.key, { numbers: '+33612345678' });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.deepEqual(one.body.lookups, [{ number: '+33612345678', valid: true, type: 'mobile', country: 'FR', carrier: 'SFR', time_zones: ['Europe/Paris'], live: null, live_error: null }]);
    const many = await lookup(shop.key, { numbers: ['+33140000000', '+447400123456', '+447000'] });
    assert.deepEqual(
      many.body.lookups.map((l: Json) => [l.number, l.valid, l.type, l.country]),
      [['+33140000000', true, 'fixed_line', 'FR'], ['+447400123456', true, 'mobile', 'GB'], ['+447000', false, null, null]],
    );
    assert.equal(infobip.requests.length + vonage.requests.length, 0);
  });

  test('bad input answers the canonical error naming the number; more than 1,000 numbers are refused', async () => {
    const bad = await lookup(shop.key, { numbers: ['+33612345678', '0612345678'] });
    assert.equal(bad.status, 400);
    assert.deepEqual([bad.body.error.code, bad.body.error.param], ['invalid_phone_number', 'numbers[1]']);
    const many = await lookup(shop.key, { numbers: Array.from({ length: 1001 }, () => '+33612345678') });
    assert.deepEqual([many.status, many.body.error.code, many.body.error.param], [400, 'too_many_recipients', 'numbers']);
    const none = await lookup(shop.key, { numbers: [] });
    assert.deepEqual([none.status, none.body.error.code], [400, 'missing_parameter']);
    const connection = await lookup(node.key, { numbers: '+33612345678', live: true, connection: 'nowhere' });
    assert.deepEqual([connection.status, connection.body.error.code, connection.body.error.param], [400, 'invalid_parameter', 'connection']);
  });

  test('the sandbox answers live lookups for its magic numbers: unknown and absent subscribers, the rest reachable', async () => {
    const res = await lookup(node.key, { numbers: ['+447700900001', '+447700900002', '+447700900000'], live: true, connection: 'o2' });
    assert.deepEqual(
      res.body.lookups.map((l: Json) => [l.valid, l.live.reachability, l.live.error?.code ?? null]),
      [[false, 'unreachable', 'unknown_subscriber'], [false, 'absent', 'absent_subscriber'], [false, 'reachable', null]],
    );
  });

  test('Infobip: POST /number/1/query with the App key; reachable, ported (current MCC-MNC) and dead numbers read through the HLR tables', async () => {
    const res = await lookup(node.key, { numbers: ['+41793026727', '+41793026728', '+41793026834'], live: true, connection: 'infobip' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const sent = infobip.requests.at(-1)!;
    assert.deepEqual(sent, { path: '/number/1/query', auth: 'App ib-key', body: { to: ['41793026727', '41793026728', '41793026834'] } });
    const [ok, ported, dead] = res.body.lookups.map((l: Json) => l.live);
    assert.deepEqual([ok.reachability, ok.network, ok.ported, ok.roaming, ok.error, ok.provider, ok.cached], ['reachable', '22801', false, false, null, 'infobip', false]);
    assert.deepEqual([ported.reachability, ported.network, ported.ported], ['reachable', '22802', true]);
    assert.equal(ported.answer.portedNetwork.networkName, 'Sunrise', 'the provider\'s answer is kept');
    assert.equal(dead.reachability, 'unreachable');
    assert.deepEqual([dead.error.code, dead.error.permanent, dead.error.provider.source, dead.error.provider.context, dead.error.provider.code], ['unknown_subscriber', true, 'infobip', 'error-ids', '1']);
    const stored = await call(node.key, 'GET', `/v1/lookups/${dead.id}`);
    assert.equal(stored.status, 200);
    assert.deepEqual(stored.body.answer, dead.answer);
    assert.equal((await call(shop.key, 'GET', `/v1/lookups/${dead.id}`)).status, 404, 'another account\'s lookup is not found');
  });

  test('Vonage: GET /ni/advanced/json with Basic credentials; the current carrier\'s network, ported, bad_number; a refusal is the provider\'s error', async () => {
    const res = await lookup(node.key, { numbers: ['+447400123456', `+${VONAGE_BAD_NUMBER}`], live: true, connection: 'vonage' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      vonage.requests.slice(-2).map((r) => [r.path, r.auth, r.number]).sort(),
      [['/ni/advanced/json', `Basic ${Buffer.from('key:secret').toString('base64')}`, '447400123456'], ['/ni/advanced/json', `Basic ${Buffer.from('key:secret').toString('base64')}`, VONAGE_BAD_NUMBER]],
    );
    const [ported, bad] = res.body.lookups.map((l: Json) => l.live);
    assert.deepEqual([ported.reachability, ported.network, ported.ported, ported.roaming], ['reachable', '23420', true, false]);
    assert.deepEqual([bad.reachability, bad.error.code, bad.error.permanent, bad.error.provider.code], ['unreachable', 'unknown_subscriber', true, 'bad_number']);
    const refused = await lookup(node.key, { numbers: '+447500123456', live: true, connection: 'vonage-wrong' });
    assert.equal(refused.status, 424, JSON.stringify(refused.body));
    assert.deepEqual([refused.body.error.code, refused.body.error.provider.code, refused.body.error.provider.context], ['provider_authentication_failed', '4', 'number-insight-status']);
  });

  test('charged at the account\'s lookup price, cached within the TTL, refused without credit', async () => {
    const first = await lookup(shop.key, { numbers: '+41793026727', live: true, connection: 'infobip' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual([first.body.lookups[0].live.price, first.body.lookups[0].live.cached], ['0.010000', false]);
    const asked = infobip.requests.length;
    const again = await lookup(shop.key, { numbers: '+41793026727', live: true, connection: 'infobip' });
    assert.deepEqual([again.body.lookups[0].live.id, again.body.lookups[0].live.cached], [first.body.lookups[0].live.id, true]);
    assert.equal(infobip.requests.length, asked, 'a cache hit asks the provider nothing');
    const ledger = (await call(shop.key, 'GET', '/v1/ledger')).body.entries as Json[];
    assert.deepEqual(ledger.filter((e) => e.type === 'charge').map((e) => [e.amount, e.description]), [['-0.010000', '1 live lookup through infobip']]);
    const broke = await lookup(shop.key, { numbers: ['+41793026728', '+41793026834'], live: true, connection: 'infobip' });
    assert.deepEqual([broke.status, broke.body.error.code], [402, 'insufficient_credit']);
    assert.equal(infobip.requests.length, asked, 'no credit, no lookup');
    assert.equal((await call(shop.key, 'GET', '/v1/balance')).body.balance, '0.010000');
  });

  test('routing: a ported number goes to its current network\'s route once a fresh lookup found it', async () => {
    const send = async (key: string, to: string) => call(key, 'POST', '/v1/messages', { from: 'Shop', to, text: 'Hi' });
    const before = await send(node.key, '+447400123458');
    assert.equal(before.body.messages[0].connection, 'o2', 'by its range: the first network\'s');
    await lookup(node.key, { numbers: '+447400123458', live: true, connection: 'vonage' });
    const after = await send(node.key, '+447400123458');
    assert.equal(after.status, 202, JSON.stringify(after.body));
    assert.equal(after.body.messages[0].connection, 'three');
    const m = (await call(node.key, 'GET', `/v1/messages/${after.body.messages[0].id}`)).body;
    assert.match(JSON.stringify(m.events[0]), /network 23420 from a live lookup/);
  });

  test('an account that asks refuses a number a fresh lookup found dead, before it costs a message', async () => {
    await lookup(node.key, { numbers: `+${VONAGE_BAD_NUMBER}`, live: true, connection: 'vonage' });
    const send = () => call(shop.key, 'POST', '/v1/messages', { from: 'Shop', to: `+${VONAGE_BAD_NUMBER}`, text: 'Hi' });
    await call(node.key, 'POST', `/v1/accounts/${shop.id}/top-ups`, { amount: '1' });
    assert.equal((await send()).status, 202, 'off by default');
    const on = await call(node.key, 'PATCH', `/v1/accounts/${shop.id}`, { refuse_dead_numbers: true });
    assert.equal(on.body.refuse_dead_numbers, true);
    const balance = (await call(shop.key, 'GET', '/v1/balance')).body.balance;
    const refused = await send();
    assert.equal(refused.status, 402, JSON.stringify(refused.body));
    assert.deepEqual([refused.body.error.code, refused.body.error.param, refused.body.error.provider.code], ['unknown_subscriber', 'to', 'bad_number']);
    assert.equal((await call(shop.key, 'GET', '/v1/balance')).body.balance, balance, 'nothing was charged');
  });
});

describe('SMSPartner\'s HLR: the answers come later, to the connection\'s URL', () => {
  let hlr: FakeSmsPartnerHlr;
  let node: TestNode;
  before(async () => {
    hlr = new FakeSmsPartnerHlr('sp-key');
    await hlr.listen();
    ({ node } = await providerNode((publicUrl) =>
      smspartnerPlugin.create({ name: 'smspartner', provider: 'smspartner', api_key: 'sp-key', receipt_token: 'a-long-receipt-token-0123', base_url: hlr.url }, { clock: systemClock, publicUrl }),
    ));
  });
  after(async () => {
    await node.close();
    await hlr.close();
  });

  test('POST /v1/hlr/notify with the notify URL; pending, then each notification read through the HLR error groups (Permanent flag)', async () => {
    const res = await node.api.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(node.key), payload: { numbers: ['+33612345678', SMSPARTNER_DEAD], live: true } });
    assert.equal(res.statusCode, 200, res.body);
    const sent = hlr.requests.at(-1)!;
    assert.equal(sent.path, '/v1/hlr/notify');
    assert.deepEqual([sent.body.apiKey, sent.body.phoneNumbers], ['sp-key', `+33612345678,${SMSPARTNER_DEAD}`]);
    assert.match(sent.body.notifyUrl, /\/v1\/providers\/smspartner\/smspartner\/receipts\?token=a-long-receipt-token-0123$/);
    const [ok, dead] = res.json().lookups.map((l: Json) => l.live);
    assert.deepEqual([ok.reachability, dead.reachability, ok.answer.campaign_id], ['pending', 'pending', 'HLR000000']);
    const answered = (id: string) =>
      eventually(async () => {
        const l = (await node.api.inject({ method: 'GET', url: `/v1/lookups/${id}`, headers: bearer(node.key) })).json();
        return l.reachability === 'pending' ? undefined : l;
      });
    const [found, gone] = [await answered(ok.id), await answered(dead.id)];
    assert.deepEqual([found.reachability, found.network, found.ported, found.error], ['reachable', '20815', true, null]);
    assert.equal(found.answer.token, undefined, 'the connection\'s token is not kept');
    assert.deepEqual([gone.reachability, gone.error.code, gone.error.permanent, gone.error.provider.context], ['unreachable', 'unknown_subscriber', true, 'handset-errors-errorgrpid-1']);
  });
});

describe('switchboard lookup', () => {
  const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  const run = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, [CLI, 'lookup', ...args], { env: { ...process.env, ...env } }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  test('offline facts without a server; --live through the running server, with the key in SWITCHBOARD_KEY', async () => {
    const offline = await run(['+33612345678', '+33140000000']);
    assert.equal(offline.stdout, '+33612345678  valid  mobile  FR  SFR  Europe/Paris\n+33140000000  valid  fixed_line  FR  -  Europe/Paris\n');
    assert.equal((await run(['0612345678'])).code, 1, 'not E.164');
    const node = await testNode();
    try {
      const base = await node.api.listen({ host: '127.0.0.1', port: 0 });
      const live = await run(['+447700900001', '--live', '--json'], { SWITCHBOARD_KEY: node.key, SWITCHBOARD_PUBLIC_URL: base });
      assert.equal(live.code, 0, live.stderr);
      const [answer] = JSON.parse(live.stdout).lookups;
      assert.deepEqual([answer.live.reachability, answer.live.error.code], ['unreachable', 'unknown_subscriber']);
      const keyless = await run(['+447700900001', '--live'], { SWITCHBOARD_KEY: '', SWITCHBOARD_PUBLIC_URL: base });
      assert.match(keyless.stderr, /set SWITCHBOARD_KEY/);
    } finally {
      await node.close();
    }
  });
});
