import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/app/clock.js';
import { webexConnectPlugin } from '../../src/providers/webex-connect/plugin.js';
import { FakeWebexConnect } from '../fakes/webex-connect.js';
import { bearer, eventually, type TestNode } from '../helpers.js';
import { providerNode } from './harness.js';

describe('Webex Connect connector against a local Webex Connect', () => {
  let webex: FakeWebexConnect;
  let node: TestNode;
  let base: string;
  const token = 'webex-callback-token-1';
  before(async () => {
    webex = new FakeWebexConnect('service-key');
    await webex.listen();
    ({ node, base } = await providerNode((publicUrl) => webexConnectPlugin.create({ name: 'wx', provider: 'webex-connect', service_key: 'service-key', base_url: webex.url, receipt_token: token, tps: 100 }, { clock: systemClock, publicUrl })));
  });
  after(async () => {
    await node.close();
    await webex.close();
  });

  const send = async (to: string, text = 'Hello') => {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: '+447700900123', to, text } });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().messages[0].id as string;
  };
  const get = async (id: string) => (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
  const until = (id: string, status: string) => eventually(async () => ((await get(id)).status === status ? get(id) : undefined));

  test('sends /v1/sms/messages with the service key and follows the 7501 and 7500 callbacks', async () => {
    const id = await send('+447400123456', 'Grüße ✓');
    const m = await until(id, 'delivered');
    const { auth, body } = webex.requests.at(-1)!;
    assert.equal(auth, 'service-key');
    assert.equal(body.from, '447700900123');
    assert.equal(body.to, '+447400123456');
    assert.equal(body.contentType, 'unicode');
    assert.equal(body.correlationId, id);
    assert.equal(body.callbackUrl, `${base}/v1/providers/webex-connect/wx/receipts?token=${token}`);
    assert.deepEqual(m.events.filter((e: { type: string }) => e.type === 'receipt').map((e: { payload: { deliveryInfoNotification: { deliveryInfo: { code: string } } } }) => e.payload.deliveryInfoNotification.deliveryInfo.code), ['7501', '7500']);
  });

  test('a 7203 callback is an unknown subscriber; a 7004 answer a refused request', async () => {
    const failed = await until(await send('+447400000005'), 'undelivered');
    assert.equal(failed.error.code, 'unknown_subscriber');
    assert.equal(failed.error.provider.code, '7203');
    const refused = await until(await send('+447400000002'), 'failed'); // Webex Connect's own state for 7004
    assert.equal(refused.error.code, 'invalid_parameter');
    assert.equal(refused.error.provider.context, 'sms');
  });

  test('an answer with a code not in the tables reads through its HTTP status, the code named', async () => {
    const m = await until(await send('+447400000008'), 'rejected');
    assert.equal(m.error.code, 'invalid_parameter');
    assert.deepEqual(m.error.provider, {
      source: 'http',
      code: '400',
      context: 'status',
      message: "Webex Connect code 7999 (A code no table lists) is not in Switchboard's Webex Connect SMS or common tables",
    });
  });

  test('7107 in an SMS callback reads through its SMS row: message too long, failed', async () => {
    const m = await until(await send('+447400000007'), 'failed');
    assert.equal(m.error.code, 'message_too_long');
    assert.deepEqual(m.error.provider, { source: 'webex-connect', code: '7107', context: 'sms', message: 'Message length exceeded' });
  });

  test('a callback without the token is refused', async () => {
    const res = await fetch(`${base}/v1/providers/webex-connect/wx/receipts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 401);
  });
});
