import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/app/clock.js';
import { infobipPlugin } from '../../src/providers/infobip/plugin.js';
import { FakeInfobip } from '../fakes/infobip.js';
import { bearer, eventually, freePort, testNode, type TestNode } from '../helpers.js';

describe('Infobip connector against a local Infobip', () => {
  let infobip: FakeInfobip;
  let node: TestNode;
  let base: string;
  const token = 'infobip-report-token-123';
  before(async () => {
    infobip = new FakeInfobip('app-key');
    await infobip.listen();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const connector = infobipPlugin.create(
      { name: 'ib', provider: 'infobip', api_key: 'app-key', base_url: infobip.url, receipt_token: token, tps: 100 },
      { clock: systemClock, publicUrl: base },
    );
    node = await testNode({ connectors: [connector], env: { SWITCHBOARD_PUBLIC_URL: base } });
    await node.api.listen({ host: '127.0.0.1', port });
  });
  after(async () => {
    await node.close();
    await infobip.close();
  });

  const send = async (to: string) => {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'InfoSMS', to, text: 'Hi' } });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().messages[0].id as string;
  };
  const get = async (id: string) => (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
  const until = (id: string, status: string) => eventually(async () => ((await get(id)).status === status ? get(id) : undefined));

  test('sends /sms/2/text/advanced with the App key and applies the delivery report', async () => {
    const id = await send('+447400123456');
    const m = await until(id, 'delivered');
    const { auth, body } = infobip.requests.at(-1)!;
    assert.equal(auth, 'App app-key');
    const sent = body.messages[0]!;
    assert.deepEqual(sent.destinations, [{ to: '447400123456' }]);
    assert.equal(sent.from, 'InfoSMS');
    assert.equal(sent.callbackData, id);
    assert.equal(sent.notifyUrl, `${base}/v1/providers/infobip/ib/receipts?token=${token}`);
    assert.equal(m.events.at(-1).at, '2026-11-22T10:31:00.000Z');
  });

  test('an UNDELIVERABLE report with a handset error, and a REJECTED answer', async () => {
    const failed = await until(await send('+447400000005'), 'undelivered');
    // Read by its id in Infobip's general error codes, more precise than its group.
    assert.equal(failed.error.code, 'absent_subscriber');
    assert.equal(failed.error.provider.context, 'error-ids');
    assert.equal(failed.error.provider.code, '27');
    assert.match(failed.error.provider.message, /EC_ABSENT_SUBSCRIBER/);
    const rejected = await until(await send('+447400000001'), 'rejected');
    assert.equal(rejected.error.code, 'invalid_phone_number');
    assert.equal(rejected.error.provider.code, '52');
    assert.match(rejected.error.provider.message, /REJECTED_DESTINATION/);
  });

  test('a report without the notify URL token is refused', async () => {
    const res = await fetch(`${base}/v1/providers/infobip/ib/receipts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"results":[]}' });
    assert.equal(res.status, 401);
  });
});
