import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/app/clock.js';
import type { WebhookRequest } from '../../src/app/connector.js';
import { genericHttpPlugin } from '../../src/providers/generic-http/plugin.js';
import { FakeRegional } from '../fakes/regional.js';
import { freePort, tempDir, testNode, type TestNode } from '../helpers.js';
import { assertRetryAfter, assertStopped, assertUnknownOutcome, client } from './harness.js';

describe('a provider added by configuration alone (generic-http)', () => {
  const provider = new FakeRegional();
  let node: TestNode;
  let base: string;
  let api: ReturnType<typeof client>;
  const token = 'a-long-shared-token-0123';
  before(async () => {
    await provider.listen();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const dir = tempDir();
    const file = join(dir, 'switchboard.yaml');
    writeFileSync(
      file,
      `connections:
  - name: regional
    provider: generic-http
    timeout_ms: 2000
    request:
      method: POST
      url: ${provider.url}/send
      headers: { content-type: application/x-www-form-urlencoded, authorization: "Basic dXNlcjpwYXNz" }
      body: "dst={{to_digits}}&src={{from|url}}&msg={{text|url}}&coding={{data_coding}}&dlr={{callback_url|url}}"
    response:
      success: "^OK "
      permanent_failure: "^ERR (12|13) "
      temporary_failure: "THROTTLED"
      message_id: { regex: "^OK (\\\\d+)" }
      permanent_error: invalid_phone_number
      temporary_error: rate_limit_exceeded
    receipts:
      id: msgid
      status: stat
      error: { field: err, codes: { "27": absent_subscriber } }
      occurred_at: done
      token: ${token}
      inbound: { from: src, to: dst, text: msg }
      statuses:
        DELIVRD: { state: delivered }
        UNDELIV: { state: undelivered, error: delivery_failed }
routes:
  - name: all
    connections: [regional]
`,
    );
    node = await testNode({ dir, env: { SWITCHBOARD_CONFIG: file, SWITCHBOARD_PUBLIC_URL: base } });
    await node.api.listen({ host: '127.0.0.1', port });
    api = client(node, 'My Shop');
  });
  after(async () => {
    await node.close();
    await provider.close();
  });

  test('the request is built from the template, the id read from the answer, the receipt’s time kept', async () => {
    const m = await api.until(await api.send('+447400123456', 'Code: 12&34'), 'delivered');
    const form = provider.requests.at(-1)!;
    assert.equal(form.get('dst'), '447400123456');
    assert.equal(form.get('src'), 'My Shop');
    assert.equal(form.get('msg'), 'Code: 12&34');
    assert.equal(form.get('coding'), '0');
    assert.equal(form.get('dlr'), `${base}/v1/providers/generic-http/regional/receipts?token=${token}`);
    assert.match(m.provider_message_id, /^\d+$/);
    assert.equal(m.events.at(-1).detail.provider_time, '2026-11-22T10:31:00.000Z');
  });

  test('a receipt’s error code reads through its table: absent subscriber is sent again', async () => {
    const { event } = await api.event(await api.send('+447400000005'), 'retry_scheduled');
    assert.equal(event.error.code, 'absent_subscriber');
    assert.deepEqual(event.error.provider, { source: 'generic-http', context: 'regional-receipt-errors', code: '27', message: 'Receipt error 27' });
  });

  test('the failure patterns decide: permanent refused, temporary retried', async () => {
    const invalid = await api.until(await api.send('+447400000001'), 'rejected');
    assert.equal(invalid.error.code, 'invalid_phone_number');
    const { event } = await api.event(await api.send('+447400000002'), 'retry_scheduled');
    assert.equal(event.error.code, 'rate_limit_exceeded');
  });

  test('a 503 is retried; a 429 waits for its Retry-After', async () => {
    const failing = await api.event(await api.send('+447400000003'), 'retry_scheduled');
    assert.equal(failing.event.error.code, 'provider_unavailable');
    assert.equal(failing.event.error.provider.code, '503');
    const throttled = await api.event(await api.send('+447400000007'), 'retry_scheduled');
    assertRetryAfter(throttled.event, 2000);
  });

  test('no answer within the deadline leaves the outcome unknown, and nothing is resent', async () => {
    await assertUnknownOutcome(api, '+447400000004', () => provider.requests.filter((f) => f.get('dst') === '447400000004').length);
  });

  test('a message a subscriber sends in is read by its fields, listed, and STOP opts the number out', async () => {
    const res = await fetch(`${base}/v1/providers/generic-http/regional/receipts?token=${token}&src=447400123999&dst=12345&msg=STOP`);
    assert.equal(res.status, 200);
    await assertStopped(api, '+447400123999', '12345');
  });

  test('a callback without the token is refused', async () => {
    const res = await fetch(`${base}/v1/providers/generic-http/regional/receipts?msgid=1&stat=DELIVRD`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_signature');
  });
});

describe('generic-http callbacks are authenticated unless the operator says otherwise', () => {
  const deps = { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' };
  const settings = (receipts: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    name: 'p',
    provider: 'generic-http',
    request: { url: 'http://127.0.0.1:9/send' },
    receipts: { id: 'id', status: 'stat', statuses: { DELIVRD: { state: 'delivered' } }, ...receipts },
    ...extra,
  });
  const call = (headers: Record<string, string> = {}): WebhookRequest => ({ method: 'GET', url: 'http://127.0.0.1:8080/v1/providers/generic-http/p/receipts?id=1&stat=DELIVRD', headers, body: Buffer.alloc(0) });

  test('receipts with neither a token nor a header are a configuration error', () => {
    assert.throws(() => genericHttpPlugin.create(settings({}), deps), /token or a header/);
    const open = genericHttpPlugin.create(settings({}, { receipts_unauthenticated: true }), deps);
    assert.equal(open.webhooks!(call()).receipts.length, 1);
  });

  test('a secret header: without it, or with another value, the call is refused with invalid_signature', () => {
    const connector = genericHttpPlugin.create(settings({ header: { name: 'X-Callback-Secret', value: 'sixteen-chars-secret' } }), deps);
    for (const headers of [{}, { 'x-callback-secret': 'another-secret-value' }] as Record<string, string>[]) {
      assert.throws(() => connector.webhooks!(call(headers)), (e: { code?: string }) => e.code === 'invalid_signature');
    }
    assert.equal(connector.webhooks!(call({ 'x-callback-secret': 'sixteen-chars-secret' })).receipts[0]!.providerMessageId, '1');
  });
});
