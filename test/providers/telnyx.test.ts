import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/app/clock.js';
import { interpret } from '../../src/core/catalogue/interpret.js';
import { Catalogue } from '../../src/core/catalogue/catalogue.js';
import { PROVIDER_TABLES } from '../../src/providers/tables.js';
import { telnyxPlugin } from '../../src/providers/telnyx/plugin.js';
import { FakeTelnyx } from '../fakes/telnyx.js';
import { bearer, eventually, type TestNode } from '../helpers.js';
import { providerNode } from './harness.js';

describe('Telnyx connector against a local Telnyx', () => {
  let telnyx: FakeTelnyx;
  let node: TestNode;
  let base: string;
  before(async () => {
    telnyx = new FakeTelnyx('KEY-test');
    await telnyx.listen();
    ({ node, base } = await providerNode((publicUrl) => telnyxPlugin.create({ name: 'telnyx-us', provider: 'telnyx', api_key: 'KEY-test', public_key: telnyx.publicKey, base_url: telnyx.url, messaging_profile_id: 'mp-1', tps: 100 }, { clock: systemClock, publicUrl })));
  });
  after(async () => {
    await node.close();
    await telnyx.close();
  });

  const send = async (to: string) => {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: '+14155552671', to, text: 'Hi 👋' } });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().messages[0].id as string;
  };
  const get = async (id: string) => (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
  const until = (id: string, status: string) => eventually(async () => ((await get(id)).status === status ? get(id) : undefined), 8000);

  test('sends JSON with the Bearer key and follows the signed webhooks to delivered', async () => {
    const m = await until(await send('+447400123456'), 'delivered');
    const request = telnyx.requests.at(-1)!;
    assert.equal(request.auth, 'Bearer KEY-test');
    assert.deepEqual(request.body, {
      from: '+14155552671',
      to: '+447400123456',
      text: 'Hi 👋',
      messaging_profile_id: 'mp-1',
      webhook_url: `${base}/v1/providers/telnyx/telnyx-us/receipts`,
      use_profile_webhooks: false,
    });
    assert.match(m.provider_message_id, /^[0-9a-f-]{36}$/);
    assert.equal(m.events.at(-1).payload.data.event_type, 'message.finalized');
  });

  test('message.finalized with delivery_failed and errors[] reads through the catalogue', async () => {
    const m = await until(await send('+447400000005'), 'undelivered');
    assert.equal(m.error.code, 'delivery_failed');
    assert.equal(m.error.provider.source, 'telnyx');
    assert.equal(m.error.provider.code, '40008');
    assert.equal(m.error.provider.context, 'carrier-rejections');
  });

  test('an errors[] code not in the tables: the status decides, and the provider details say the code was not understood', async () => {
    const m = await until(await send('+447400000006'), 'undelivered');
    assert.equal(m.error.code, 'delivery_failed');
    assert.equal(m.error.provider.code, 'delivery_failed');
    assert.equal(m.error.provider.context, 'delivery-status');
    assert.match(m.error.provider.message, /Telnyx code 40999 \(.*\) is not in Switchboard's Telnyx tables/);
  });

  test("Telnyx's errors[] refuses the message with its code; 429 is retried after Retry-After", async () => {
    const stop = await until(await send('+447400000001'), 'rejected');
    assert.equal(stop.error.code, 'destination_opted_out');
    assert.equal(stop.error.provider.code, '40300');
    const id = await send('+447400000002');
    const m = await eventually(async () => {
      const r = await get(id);
      return r.events.some((e: { type: string }) => e.type === 'retry_scheduled') ? r : undefined;
    });
    const retry = m.events.find((e: { type: string }) => e.type === 'retry_scheduled');
    assert.equal(retry.error.code, 'rate_limit_exceeded');
    assert.ok(Date.parse(retry.detail.retry_at) - Date.parse(retry.at) >= 2000);
  });

  test("Telnyx's general API codes: a refused key (401, 10009) is an authentication failure, which fails over", async () => {
    const wrongKey = telnyxPlugin.create(
      { name: 'telnyx-wrong', provider: 'telnyx', api_key: 'KEY-wrong', public_key: telnyx.publicKey, base_url: telnyx.url },
      { clock: systemClock, publicUrl: base },
    );
    const result = await wrongKey.send({ id: 'msg_x', to: '+447400123456', from: '+14155552671', text: 'Hi', encoding: 'GSM-7', parts: ['Hi'], expiresAt: Date.now() + 60_000, attempt: 1 });
    assert.ok(result.kind === 'refused', result.kind);
    assert.deepEqual(result.code, { provider: 'telnyx', code: '10009', message: 'Authentication failed' });
    const catalogue = new Catalogue(PROVIDER_TABLES, base);
    const { error } = interpret(catalogue, result.code);
    assert.equal(error?.code, 'provider_authentication_failed');
    assert.equal(error?.provider?.context, 'api-error-codes');
    assert.equal(catalogue.canonical('provider_authentication_failed').failover, true);
  });

  test('webhooks with a bad, stale or missing signature are refused', async () => {
    const url = `${base}/v1/providers/telnyx/telnyx-us/receipts`;
    const body = JSON.stringify({ data: { event_type: 'message.finalized', payload: { id: 'x', to: [{ status: 'delivered' }] } } });
    const now = String(Math.floor(Date.now() / 1000));
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /missing/],
      [{ 'telnyx-timestamp': now, 'telnyx-signature-ed25519': telnyx.signature(now, `${body} `) }, /does not verify/],
      [{ 'telnyx-timestamp': String(Number(now) - 3600), 'telnyx-signature-ed25519': telnyx.signature(String(Number(now) - 3600), body) }, /replay/],
    ];
    for (const [headers, why] of cases) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      assert.equal(res.status, 401);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'invalid_signature');
      assert.match(error.message, why);
    }
  });
});
