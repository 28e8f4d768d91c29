import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/app/clock.js';
import { twilioSignature, formParams } from '../../src/providers/twilio/signature.js';
import { twilioPlugin } from '../../src/providers/twilio/plugin.js';
import { FakeTwilio } from '../fakes/twilio.js';
import { bearer, eventually, type TestNode } from '../helpers.js';
import { providerNode } from './harness.js';

const SID = `AC${'1'.repeat(32)}`;
const TOKEN = 'secret-token';

describe('Twilio connector against a local Twilio', () => {
  let twilio: FakeTwilio;
  let node: TestNode;
  let base: string;
  before(async () => {
    twilio = new FakeTwilio(SID, TOKEN);
    await twilio.listen();
    ({ node, base } = await providerNode((publicUrl) => twilioPlugin.create({ name: 'us', provider: 'twilio', account_sid: SID, auth_token: TOKEN, base_url: twilio.url, timeout_ms: 2000, tps: 100 }, { clock: systemClock, publicUrl })));
  });
  after(async () => {
    await node.close();
    await twilio.close();
  });

  const send = async (to: string, text = 'Hello from Switchboard') => {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: '+14155552671', to, text } });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().messages[0].id as string;
  };
  const get = async (id: string) => (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
  const until = (id: string, status: string) => eventually(async () => ((await get(id)).status === status ? get(id) : undefined), 8000);

  test('sends the real request and follows the signed status callbacks to delivered', async () => {
    const m = await until(await send('+447400123456', 'Zürich ✓'), 'delivered');
    const request = twilio.requests.at(-1)!;
    assert.equal(request.auth, `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    assert.equal(request.form.To, '+447400123456');
    assert.equal(request.form.From, '+14155552671');
    assert.equal(request.form.Body, 'Zürich ✓');
    assert.equal(request.form.StatusCallback, `${base}/v1/providers/twilio/us/receipts`);
    assert.ok(Number(request.form.ValidityPeriod) <= 36000);
    assert.match(m.provider_message_id, /^SM[0-9a-f]{32}$/);
    assert.deepEqual(m.events.map((e: { type: string }) => e.type), ['queued', 'sending', 'sent', 'receipt', 'receipt']);
    assert.equal(m.events.at(-1).payload.MessageStatus, 'delivered');
  });

  test('an undelivered callback with ErrorCode 30003 reads as absent_subscriber', async () => {
    const m = await until(await send('+447400000005'), 'undelivered');
    assert.equal(m.error.code, 'absent_subscriber');
    assert.deepEqual(m.error.provider, { source: 'twilio', code: '30003', context: 'error-codes', message: 'Unreachable destination handset' });
  });

  test('an ErrorCode not in the table: the status decides, and the provider details say the code was not understood', async () => {
    const m = await until(await send('+447400000008'), 'undelivered');
    assert.equal(m.error.code, 'delivery_failed');
    assert.deepEqual(m.error.provider, {
      source: 'twilio',
      code: 'undelivered',
      context: 'message-status',
      message: "undelivered; Twilio error 30099 is not in Switchboard's Twilio table",
    });
    assert.equal(m.events.at(-1).payload.ErrorCode, '30099');
  });

  test("Twilio's JSON error refuses the message with its code", async () => {
    const m = await until(await send('+447400000001'), 'rejected');
    assert.equal(m.error.code, 'destination_opted_out');
    assert.equal(m.error.provider.code, '21610');
    assert.equal(m.error.provider.message, 'Attempt to send to unsubscribed recipient');
  });

  test('a 400 is a refusal: a code of the table says why, another one reads through the HTTP status', async () => {
    const listed = await until(await send('+447400000006'), 'rejected');
    assert.equal(listed.error.code, 'invalid_parameter');
    assert.deepEqual(listed.error.provider, { source: 'twilio', code: '21656', context: 'error-codes', message: 'The ContentVariables Parameter is invalid' });
    const unlisted = await until(await send('+447400000007'), 'rejected');
    assert.equal(unlisted.error.code, 'invalid_parameter');
    assert.deepEqual(unlisted.error.provider, {
      source: 'http',
      code: '400',
      context: 'status',
      message: "Twilio error 29999 (A code no table lists) is not in Switchboard's Twilio table",
    });
  });

  test('429 with Retry-After is retried no sooner than asked', async () => {
    const id = await send('+447400000002');
    const m = await eventually(async () => {
      const r = await get(id);
      return r.events.some((e: { type: string }) => e.type === 'retry_scheduled') ? r : undefined;
    });
    const retry = m.events.find((e: { type: string }) => e.type === 'retry_scheduled');
    assert.equal(retry.error.code, 'rate_limit_exceeded');
    assert.ok(Date.parse(retry.detail.retry_at) - Date.parse(retry.at) >= 2000);
  });

  test('a 5xx without a Twilio error reads through the HTTP status', async () => {
    const id = await send('+447400000003');
    const m = await eventually(async () => {
      const r = await get(id);
      return r.events.some((e: { type: string }) => e.type === 'retry_scheduled') ? r : undefined;
    });
    const retry = m.events.find((e: { type: string }) => e.type === 'retry_scheduled');
    assert.equal(retry.error.code, 'provider_unavailable');
    assert.deepEqual(retry.error.provider, { source: 'http', code: '503', context: 'status', message: 'Service Unavailable' });
  });

  test('no answer within the deadline leaves the outcome unknown, and nothing is resent', async () => {
    const tries = () => twilio.requests.filter((r) => r.form.To === '+447400000004').length;
    const id = await send('+447400000004');
    const m = await eventually(async () => {
      const r = await get(id);
      return r.events.some((e: { type: string }) => e.type === 'submit_unknown') ? r : undefined;
    });
    assert.equal(m.status, 'sent');
    assert.equal(m.events.at(-1).error.code, 'provider_timeout');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(tries(), 1);
  });

  test('a signed incoming STOP is listed in /v1/inbound, and opts the number out of that sender', async () => {
    const res = await twilio.incoming(`${base}/v1/providers/twilio/us/receipts`, '+447400555111', '+14155552671', 'Stop');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: { receipts: 0, inbound: 1 } });
    const listed = (await node.api.inject({ method: 'GET', url: '/v1/inbound', headers: bearer(node.key) })).json();
    const mo = listed.messages.find((m: { from: string }) => m.from === '+447400555111');
    assert.equal(mo.to, '+14155552671');
    assert.equal(mo.text, 'Stop');
    assert.equal(mo.keyword, 'stop');
    assert.equal(mo.connection, 'us');
    assert.equal(mo.payload.SmsStatus, 'received');
    const refused = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: '+14155552671', to: '+447400555111', text: 'Sale!' } });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'destination_opted_out');
    const otherSender = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: '+14155550000', to: '+447400555111', text: 'Hi' } });
    assert.equal(otherSender.statusCode, 202);
  });

  test('status callbacks without a valid signature are refused, and change nothing', async () => {
    const url = `${base}/v1/providers/twilio/us/receipts`;
    const body = new URLSearchParams({ MessageSid: 'SMforged', MessageStatus: 'delivered' }).toString();
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    assert.equal(unsigned.status, 401);
    assert.equal(((await unsigned.json()) as { error: { code: string } }).error.code, 'invalid_signature');
    const wrong = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature('another-token', url, formParams(body)) },
      body,
    });
    assert.equal(wrong.status, 401);
    const unknownConnection = await fetch(`${base}/v1/providers/twilio/nope/receipts`, { method: 'POST', body });
    assert.equal(unknownConnection.status, 404);
  });
});
