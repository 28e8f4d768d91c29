import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/app/clock.js';
import { infobipPlugin } from '../../src/providers/infobip/plugin.js';
import { FakeInfobip } from '../fakes/infobip.js';
import type { TestNode } from '../helpers.js';
import { assertRetryAfter, assertStopped, assertUnknownOutcome, client, providerNode } from './harness.js';

for (const version of [2, 3] as const) {
  describe(`Infobip connector (send API v${version}) against a local Infobip`, () => {
    let infobip: FakeInfobip;
    let node: TestNode;
    let base: string;
    let api: ReturnType<typeof client>;
    const token = 'infobip-report-token-123';
    const webhook = () => `${base}/v1/providers/infobip/ib/receipts?token=${token}`;
    before(async () => {
      infobip = new FakeInfobip('app-key');
      await infobip.listen();
      ({ node, base } = await providerNode((publicUrl) => infobipPlugin.create({ name: 'ib', provider: 'infobip', api_key: 'app-key', base_url: infobip.url, receipt_token: token, api_version: version, timeout_ms: 2000, tps: 100 }, { clock: systemClock, publicUrl })));
      api = client(node, 'InfoSMS');
    });
    after(async () => {
      await node.close();
      await infobip.close();
    });

    test('sends with the App key in the API’s own shape and applies the delivery report', async () => {
      const id = await api.send('+447400123456', 'Hi');
      const m = await api.until(id, 'delivered');
      const { path, auth, body } = infobip.requests.at(-1)!;
      assert.equal(auth, 'App app-key');
      const sent = body.messages[0]!;
      assert.deepEqual(sent.destinations, [{ to: '447400123456' }]);
      assert.match(m.provider_message_id, /^[0-9a-f-]{36}$/);
      if (version === 3) {
        assert.equal(path, '/sms/3/messages');
        assert.equal(sent.sender, 'InfoSMS');
        assert.deepEqual(sent.content, { text: 'Hi' });
        assert.deepEqual(sent.webhooks, { delivery: { url: webhook() }, contentType: 'application/json', callbackData: id });
        assert.equal((sent.options as { validityPeriod: { timeUnit: string } }).validityPeriod.timeUnit, 'MINUTES');
      } else {
        assert.equal(path, '/sms/2/text/advanced');
        assert.equal(sent.from, 'InfoSMS');
        assert.equal(sent.text, 'Hi');
        assert.equal(sent.callbackData, id);
        assert.equal(sent.notifyUrl, webhook());
      }
      assert.equal(m.events.at(-1).detail.provider_time, '2026-11-22T10:31:00.000Z');
    });

    test('an UNDELIVERABLE report with a handset error, and a REJECTED answer', async () => {
      const failed = await api.until(await api.send('+447400000005'), 'undelivered');
      // Read by its id in Infobip's general error codes, more precise than its group.
      assert.equal(failed.error.code, 'absent_subscriber');
      assert.equal(failed.error.provider.context, 'error-ids');
      assert.equal(failed.error.provider.code, '27');
      assert.match(failed.error.provider.message, /EC_ABSENT_SUBSCRIBER/);
      const rejected = await api.until(await api.send('+447400000001'), 'rejected');
      assert.equal(rejected.error.code, 'invalid_phone_number');
      assert.equal(rejected.error.provider.code, '52');
      assert.match(rejected.error.provider.message, /REJECTED_DESTINATION/);
    });

    test('request errors read by their own code: 401 is the credentials, 400 names the field', async () => {
      const unauthorized = await api.until(await api.send('+447400000007'), 'failed');
      assert.equal(unauthorized.error.code, 'provider_authentication_failed');
      assert.deepEqual(unauthorized.error.provider, {
        source: 'infobip',
        context: 'api-errors',
        code: version === 3 ? 'E401' : 'UNAUTHORIZED',
        message: 'Invalid login details',
      });
      const bad = await api.until(await api.send('+447400000006'), 'rejected');
      assert.equal(bad.error.code, 'invalid_parameter');
      assert.equal(bad.error.provider.message, 'Bad request; messages[0].destinations[0].to: Invalid destination address.');
    });

    test('429 TOO_MANY_REQUESTS waits for its Retry-After; a 500 is retried', async () => {
      const throttled = await api.event(await api.send('+447400000002'), 'retry_scheduled');
      assertRetryAfter(throttled.event, 2000);
      assert.equal(throttled.event.error.provider.code, version === 3 ? 'E429' : 'TOO_MANY_REQUESTS');
      const failing = await api.event(await api.send('+447400000003'), 'retry_scheduled');
      assert.equal(failing.event.error.code, 'provider_error');
      assert.equal(failing.event.error.provider.code, version === 3 ? 'E500' : 'GENERAL_ERROR');
    });

    test('no answer within the deadline leaves the outcome unknown, and nothing is resent', async () => {
      await assertUnknownOutcome(api, '+447400000004', () => infobip.requests.filter((r) => JSON.stringify(r.body).includes('447400000004')).length);
    });

    test('an incoming STOP is listed and opts the number out of the number it answered', async () => {
      const res = await infobip.deliverMo(webhook(), '447400123999', '447860099299', 'STOP');
      assert.equal(res.status, 200);
      await assertStopped(api, '+447400123999', '+447860099299');
    });

    test('a webhook without the notify URL token is refused', async () => {
      const res = await fetch(`${base}/v1/providers/infobip/ib/receipts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"results":[]}' });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_signature');
    });
  });
}
