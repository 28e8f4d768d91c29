import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/app/clock.js';
import { smspartnerPlugin } from '../../src/providers/smspartner/plugin.js';
import { parisTime } from '../../src/providers/smspartner/wire.js';
import { FakeSmsPartner } from '../fakes/smspartner.js';
import type { TestNode } from '../helpers.js';
import { assertRetryAfter, assertUnknownOutcome, client, providerNode } from './harness.js';

describe('SMSPartner connector against a local SMSPartner', () => {
  let smspartner: FakeSmsPartner;
  let node: TestNode;
  let base: string;
  let api: ReturnType<typeof client>;
  const token = 'smspartner-report-token';
  const webhook = () => `${base}/v1/providers/smspartner/fr/receipts?token=${token}`;
  before(async () => {
    smspartner = new FakeSmsPartner('partner-key');
    await smspartner.listen();
    ({ node, base } = await providerNode((publicUrl) => smspartnerPlugin.create({ name: 'fr', provider: 'smspartner', api_key: 'partner-key', receipt_token: token, base_url: smspartner.url, timeout_ms: 2000, tps: 100 }, { clock: systemClock, publicUrl })));
    api = client(node, 'MaBoutique');
  });
  after(async () => {
    await node.close();
    await smspartner.close();
  });

  test('sends /v1/send with the API key in the body and applies the delivery report at its Paris time', async () => {
    const m = await api.until(await api.send('+447400123456', 'Ça marche ✓'), 'delivered');
    const sent = smspartner.requests.at(-1)!;
    assert.equal(sent.apiKey, 'partner-key');
    assert.equal(sent.phoneNumbers, '+447400123456');
    assert.equal(sent.sender, 'MaBoutique');
    assert.equal(sent.message, 'Ça marche ✓');
    assert.equal(sent.isUnicode, 1);
    assert.equal(sent.gamme, 1);
    assert.equal(sent.urlDlr, webhook());
    assert.equal(sent.urlResponse, webhook());
    assert.match(m.provider_message_id, /^\d+$/);
    assert.equal(m.events.at(-1).payload.statut, 'Delivered');
    assert.equal(m.events.at(-1).detail.provider_time, '2026-07-22T09:31:00.000Z', '11:31 in Paris in July is UTC+2');
    assert.ok(!JSON.stringify(m).includes(token), 'the report URL’s token, the connection’s secret, is not shown with the message');
  });

  test('line breaks and the euro sign are written as SMSPartner documents', async () => {
    await api.until(await api.send('+447400123457', 'Total: 5 €\nMerci\r\nA bientôt'), 'delivered');
    assert.equal(smspartner.requests.at(-1)!.message, 'Total: 5 :euro::br:Merci:br:A bientôt');
  });

  test('Paris time, winter and summer, and across the changes', () => {
    assert.equal(new Date(parisTime('2026-01-15 12:00:00')!).toISOString(), '2026-01-15T11:00:00.000Z');
    assert.equal(new Date(parisTime('2026-07-15 12:00:00')!).toISOString(), '2026-07-15T10:00:00.000Z');
    assert.equal(new Date(parisTime('2026-03-29 01:59:59')!).toISOString(), '2026-03-29T00:59:59.000Z');
    assert.equal(new Date(parisTime('2026-03-29 03:00:00')!).toISOString(), '2026-03-29T01:00:00.000Z');
    assert.equal(new Date(parisTime('2026-10-25 03:00:00')!).toISOString(), '2026-10-25T02:00:00.000Z');
    assert.equal(parisTime('22/11/2026'), null);
  });

  test('control codes at submit: STOP list and invalid number', async () => {
    const stop = await api.until(await api.send('+447400000001'), 'rejected');
    assert.equal(stop.error.code, 'destination_opted_out');
    assert.equal(stop.error.provider.code, '14');
    const invalid = await api.until(await api.send('+447400000002'), 'rejected');
    assert.equal(invalid.error.code, 'invalid_parameter');
    assert.match(invalid.error.provider.message, /not valid/);
  });

  test('"Not delivered" is a delivery failure, sent again until the retries are spent; its winter time is UTC+1', async () => {
    const m = await api.until(await api.send('+447400000005'), 'undelivered');
    assert.equal(m.error.code, 'delivery_failed');
    assert.equal(m.attempts, 5);
    assert.equal(m.events.at(-1).detail.provider_time, '2026-11-22T10:31:00.000Z');
  });

  test('success without a message_id is taken, and never sent again', async () => {
    const id = await api.send('+447400000006');
    const m = await api.until(id, 'sent');
    assert.equal(m.error, null);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(smspartner.requests.filter((r) => r.phoneNumbers === '+447400000006').length, 1);
    assert.equal((await api.get(id)).attempts, 1);
  });

  test('a 500 is retried; a 429 waits for its Retry-After', async () => {
    const failing = await api.event(await api.send('+447400000003'), 'retry_scheduled');
    assert.equal(failing.event.error.code, 'provider_error');
    assert.deepEqual(failing.event.error.provider, { source: 'http', context: 'status', code: '500', message: 'Internal Server Error' });
    const throttled = await api.event(await api.send('+447400000007'), 'retry_scheduled');
    assertRetryAfter(throttled.event, 2000);
  });

  test('no answer within the deadline leaves the outcome unknown, and nothing is resent', async () => {
    await assertUnknownOutcome(api, '+447400000004', () => smspartner.requests.filter((r) => r.phoneNumbers === '+447400000004').length);
  });

  test('replies: a long number’s is kept with its numbers; a STOP on the short number stops every sender', async () => {
    const long = await smspartner.reply(webhook(), { msisdn: '33612345678', to: '33757000001', messageId: '1235-1234', text: 'Merci', type: 'text', keyword: 'MERCI', 'message-timestamp': '2026-11-22 10:32:00' });
    assert.equal(long.status, 200);
    const [reply] = await api.inbound();
    assert.deepEqual([reply!.from, reply!.to, reply!.text], ['+33612345678', '+33757000001', 'Merci']);
    const stop = await smspartner.reply(webhook(), { type: 'stop', phone_number: '+33612345679', text: 'Stop', message_id: 301 });
    assert.equal(stop.status, 200);
    const [stopped] = await api.inbound();
    assert.deepEqual([stopped!.from, stopped!.to, stopped!.keyword], ['+33612345679', '*', 'stop']);
    for (const sender of ['MaBoutique', 'Other']) {
      const refused = await api.post('+33612345679', 'Promo', sender);
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, 'destination_opted_out');
    }
  });

  test('a report without the token is refused', async () => {
    const res = await fetch(`${base}/v1/providers/smspartner/fr/receipts`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'messageId=1&statut=Delivered' });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_signature');
  });
});
