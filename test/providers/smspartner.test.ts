import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/app/clock.js';
import { smspartnerPlugin } from '../../src/providers/smspartner/plugin.js';
import { FakeSmsPartner } from '../fakes/smspartner.js';
import { bearer, eventually, freePort, testNode, type TestNode } from '../helpers.js';

describe('SMSPartner connector against a local SMSPartner', () => {
  let smspartner: FakeSmsPartner;
  let node: TestNode;
  let base: string;
  const token = 'smspartner-report-token';
  before(async () => {
    smspartner = new FakeSmsPartner('partner-key');
    await smspartner.listen();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const connector = smspartnerPlugin.create(
      { name: 'fr', provider: 'smspartner', api_key: 'partner-key', receipt_token: token, base_url: smspartner.url, tps: 100 },
      { clock: systemClock, publicUrl: base },
    );
    node = await testNode({ connectors: [connector], env: { SWITCHBOARD_PUBLIC_URL: base } });
    await node.api.listen({ host: '127.0.0.1', port });
  });
  after(async () => {
    await node.close();
    await smspartner.close();
  });

  const send = async (to: string, text = 'Bonjour') => {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'MaBoutique', to, text } });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().messages[0].id as string;
  };
  const get = async (id: string) => (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
  const until = (id: string, status: string) =>
    eventually(async () => ((await get(id)).status === status ? get(id) : undefined)).catch(async (e: Error) => assert.fail(`${e.message}: ${JSON.stringify(await get(id))}`));

  test('sends /v1/send with the API key in the body and applies the delivery report', async () => {
    const m = await until(await send('+447400123456', 'Ça marche ✓'), 'delivered');
    const sent = smspartner.requests.at(-1)!;
    assert.equal(sent.apiKey, 'partner-key');
    assert.equal(sent.phoneNumbers, '+447400123456');
    assert.equal(sent.sender, 'MaBoutique');
    assert.equal(sent.message, 'Ça marche ✓');
    assert.equal(sent.isUnicode, 1);
    assert.equal(sent.gamme, 1);
    assert.equal(sent.urlDlr, `${base}/v1/providers/smspartner/fr/receipts?token=${token}`);
    assert.match(m.provider_message_id, /^\d+$/);
    assert.equal(m.events.at(-1).payload.statut, 'Delivered');
  });

  test('control codes at submit: STOP list and invalid number', async () => {
    const stop = await until(await send('+447400000001'), 'rejected');
    assert.equal(stop.error.code, 'destination_opted_out');
    assert.equal(stop.error.provider.code, '14');
    const invalid = await until(await send('+447400000002'), 'rejected');
    assert.equal(invalid.error.code, 'invalid_parameter');
    assert.match(invalid.error.provider.message, /not valid/);
  });

  test('"Not delivered" is a delivery failure, sent again until the retries are spent', async () => {
    const m = await until(await send('+447400000005'), 'undelivered');
    assert.equal(m.error.code, 'delivery_failed');
    assert.equal(m.attempts, 5);
  });

  test('a report without the token is refused', async () => {
    const res = await fetch(`${base}/v1/providers/smspartner/fr/receipts`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'messageId=1&statut=Delivered' });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_signature');
  });
});
