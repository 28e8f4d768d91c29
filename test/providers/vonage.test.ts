import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/app/clock.js';
import { vonagePlugin } from '../../src/providers/vonage/plugin.js';
import { FakeVonage } from '../fakes/vonage.js';
import { bearer, eventually, freePort, testNode, type TestNode } from '../helpers.js';

describe('Vonage connector against a local SMS API', () => {
  let vonage: FakeVonage;
  let node: TestNode;
  let base: string;
  before(async () => {
    vonage = new FakeVonage('key', 'secret', 'signing-secret');
    await vonage.listen();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const connector = vonagePlugin.create(
      { name: 'vonage-uk', provider: 'vonage', api_key: 'key', api_secret: 'secret', signature_secret: 'signing-secret', base_url: vonage.url, tps: 100 },
      { clock: systemClock, publicUrl: base },
    );
    node = await testNode({ connectors: [connector], env: { SWITCHBOARD_PUBLIC_URL: base } });
    await node.api.listen({ host: '127.0.0.1', port });
  });
  after(async () => {
    await node.close();
    await vonage.close();
  });

  const send = async (to: string, text = 'Hello') => {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Switchboard', to, text } });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().messages[0].id as string;
  };
  const get = async (id: string) => (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
  const until = (id: string, status: string) => eventually(async () => ((await get(id)).status === status ? get(id) : undefined), 8000);

  test('sends /sms/json as the SDK does and applies the signed receipts of every part', async () => {
    const id = await send('+447400123456', 'ж'.repeat(100));
    const m = await until(id, 'delivered');
    const { auth, body } = vonage.requests.at(-1)!;
    assert.equal(auth, `Basic ${Buffer.from('key:secret').toString('base64')}`);
    assert.equal(body.to, '447400123456');
    assert.equal(body.from, 'Switchboard');
    assert.equal(body.type, 'unicode');
    assert.equal(body['status-report-req'], true);
    assert.equal(body['client-ref'], id);
    assert.equal(body.callback, `${base}/v1/providers/vonage/vonage-uk/receipts`);
    assert.equal(m.events.filter((e: { type: string }) => e.type === 'receipt').length, 2, JSON.stringify(m.events.map((e: { type: string; status: string; detail: unknown }) => [e.type, e.status, e.detail])));
    assert.equal(m.events.at(-1).at, '2026-11-22T10:31:00.000Z', 'the time is the receipt’s own');
  });

  test('a failed receipt reads its err-code through the catalogue', async () => {
    const m = await until(await send('+447400000005'), 'undelivered');
    assert.equal(m.error.provider.source, 'vonage');
    assert.equal(m.error.provider.code, '2');
    assert.equal(m.error.provider.context, 'delivery-receipt-errors');
  });

  test('a non-zero status refuses the message (7: barred); 1 (throttled) is retried', async () => {
    const barred = await until(await send('+447400000001'), 'rejected');
    assert.equal(barred.error.provider.code, '7');
    assert.equal(barred.error.provider.message, 'Number barred.');
    const id = await send('+447400000002');
    const m = await eventually(async () => {
      const r = await get(id);
      return r.events.some((e: { type: string }) => e.type === 'retry_scheduled') ? r : undefined;
    });
    assert.equal(m.events.find((e: { type: string }) => e.type === 'retry_scheduled').error.code, 'rate_limit_exceeded');
  });

  test('receipts unsigned, badly signed or stale are refused', async () => {
    const url = `${base}/v1/providers/vonage/vonage-uk/receipts`;
    const params = { messageId: 'X', status: 'delivered', msisdn: '447400123456' };
    const signed = vonage.signed(params);
    const cases: [Record<string, string>, RegExp][] = [
      [params, /no sig/],
      [{ ...signed, status: 'failed' }, /does not match/],
      [vonage.signed(params, Math.floor(Date.now() / 1000) - 3600), /replay/],
    ];
    for (const [body, why] of cases) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 401);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, why);
    }
    const asQuery = await fetch(`${url}?${new URLSearchParams(vonage.signed(params))}`);
    assert.equal(asQuery.status, 200, 'a signed GET receipt is taken');
  });
});
