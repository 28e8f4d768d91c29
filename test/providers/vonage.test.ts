import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/app/clock.js';
import { vonagePlugin } from '../../src/providers/vonage/plugin.js';
import { vonageSignature } from '../../src/providers/vonage/signature.js';
import { FakeVonage } from '../fakes/vonage.js';
import type { TestNode } from '../helpers.js';
import { assertRetryAfter, assertStopped, assertUnknownOutcome, client, providerNode } from './harness.js';

describe('Vonage connector against a local SMS API', () => {
  let vonage: FakeVonage;
  let node: TestNode;
  let base: string;
  let api: ReturnType<typeof client>;
  const receipts = () => `${base}/v1/providers/vonage/vonage-uk/receipts`;
  before(async () => {
    vonage = new FakeVonage('key', 'secret', 'signing-secret');
    await vonage.listen();
    ({ node, base } = await providerNode((publicUrl) => vonagePlugin.create({ name: 'vonage-uk', provider: 'vonage', api_key: 'key', signature_secret: 'signing-secret', base_url: vonage.url, timeout_ms: 2000, tps: 100 }, { clock: systemClock, publicUrl })));
    api = client(node, 'Switchboard');
  });
  after(async () => {
    await node.close();
    await vonage.close();
  });

  test('sends /sms/json as the SMS API reference has it, signed with sig, and applies the signed receipts of every part', async () => {
    const id = await api.send('+447400123456', 'ж'.repeat(100));
    const m = await api.until(id, 'delivered');
    const { auth, body } = vonage.requests.at(-1)!;
    assert.equal(auth, undefined, 'credentials go in the body, not in a header');
    assert.equal(body.api_key, 'key');
    assert.equal(body.api_secret, undefined, 'a signed request carries no api_secret');
    assert.equal(body.sig, vonageSignature(body, 'signing-secret', 'md5hash'));
    assert.ok(Math.abs(Number(body.timestamp) - Date.now() / 1000) < 60);
    assert.equal(body.to, '447400123456');
    assert.equal(body.from, 'Switchboard');
    assert.equal(body.type, 'unicode');
    assert.equal(body['status-report-req'], 'true');
    assert.equal(body['client-ref'], id);
    assert.equal(body.callback, receipts());
    assert.equal(m.events.filter((e: { type: string }) => e.type === 'receipt').length, 2);
    assert.equal(m.events.at(-1).detail.provider_time, '2026-11-22T10:31:00.000Z', 'the time is the receipt’s own');
  });

  test('without a signature secret, api_key and api_secret go in the body', async () => {
    const connector = vonagePlugin.create(
      { name: 'plain', provider: 'vonage', api_key: 'key', api_secret: 'secret', accept_unsigned_receipts: true, base_url: vonage.url },
      { clock: systemClock, publicUrl: base },
    );
    const result = await connector.send({ id: 'msg_1', to: '+447400123457', from: 'Shop', text: 'Hi', encoding: 'GSM-7', parts: ['Hi'], expiresAt: Date.now() + 3_600_000, attempt: 1 });
    assert.equal(result.kind, 'accepted');
    const { body } = vonage.requests.at(-1)!;
    assert.equal(body.api_key, 'key');
    assert.equal(body.api_secret, 'secret');
    assert.equal(body.sig, undefined);
    assert.throws(
      () => vonagePlugin.create({ name: 'x', provider: 'vonage', api_key: 'key', accept_unsigned_receipts: true }, { clock: systemClock, publicUrl: base }),
      /api_secret/,
    );
  });

  test('a failed receipt reads its err-code through the catalogue', async () => {
    const m = await api.until(await api.send('+447400000005'), 'undelivered');
    assert.equal(m.error.provider.source, 'vonage');
    assert.equal(m.error.provider.code, '2');
    assert.equal(m.error.provider.context, 'delivery-receipt-errors');
  });

  test('a non-zero status refuses the message (7: barred); 1 (throttled) is retried', async () => {
    const barred = await api.until(await api.send('+447400000001'), 'rejected');
    assert.equal(barred.error.provider.code, '7');
    assert.equal(barred.error.provider.message, 'Number barred.');
    const { event } = await api.event(await api.send('+447400000002'), 'retry_scheduled');
    assert.equal(event.error.code, 'rate_limit_exceeded');
    assert.equal(event.error.provider.code, '1');
  });

  test('an HTTP 429 waits for its Retry-After', async () => {
    const { event } = await api.event(await api.send('+447400000007'), 'retry_scheduled');
    assertRetryAfter(event, 2000);
    assert.deepEqual(event.error.provider, { source: 'http', context: 'status', code: '429', message: 'Too Many Requests' });
  });

  test('a 503 during an outage is retried, and the message goes once the API is back', async () => {
    vonage.down = true;
    const id = await api.send('+447400123458');
    const { event } = await api.event(id, 'retry_scheduled').finally(() => (vonage.down = false));
    assert.equal(event.error.code, 'provider_unavailable');
    assert.equal(event.error.provider.code, '503');
    await api.until(id, 'delivered');
  });

  test('no answer within the deadline leaves the outcome unknown, and nothing is resent', async () => {
    await assertUnknownOutcome(api, '+447400000009', () => vonage.requests.filter((r) => r.body.to === '447400000009').length);
  });

  test('a signed inbound STOP is listed and opts the number out of the virtual number it answered', async () => {
    const res = await vonage.deliverMo(receipts(), '447400123999', '447860099299', 'Stop');
    assert.equal(res.status, 200);
    await assertStopped(api, '+447400123999', '+447860099299');
  });

  test('webhooks unsigned, badly signed or stale are refused', async () => {
    const receipt = { messageId: 'X', status: 'delivered', msisdn: '447400123456' };
    const inbound = { msisdn: '447400123456', to: '447860099299', messageId: 'Y', text: 'STOP', type: 'text' };
    const cases: [Record<string, string>, RegExp][] = [
      [receipt, /no sig/],
      [{ ...vonage.signed(receipt), status: 'failed' }, /does not match/],
      [vonage.signed(receipt, Math.floor(Date.now() / 1000) - 3600), /replay/],
      [inbound, /no sig/],
      [{ ...vonage.signed(inbound), text: 'START' }, /does not match/],
    ];
    for (const [body, why] of cases) {
      const res = await fetch(receipts(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 401);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'invalid_signature');
      assert.match(error.message, why);
    }
    const asQuery = await fetch(`${receipts()}?${new URLSearchParams(vonage.signed(receipt))}`);
    assert.equal(asQuery.status, 200, 'a signed GET receipt is taken');
  });
});
