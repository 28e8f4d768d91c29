import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, testNode, type TestNode } from './helpers.js';

describe('POST /v1/messages', () => {
  let node: TestNode;
  before(async () => {
    node = await testNode();
  });
  after(() => node.close());

  const send = (body: unknown, headers: Record<string, string> = {}) =>
    node.api.inject({ method: 'POST', url: '/v1/messages', headers: { ...bearer(node.key), ...headers }, payload: body as object });

  test('accepts one recipient and answers 202 with the stored message', async () => {
    const res = await send({ from: 'Switchboard', to: '+447700900000', text: 'Hello', client_ref: 'order-1' });
    assert.equal(res.statusCode, 202);
    const [m] = res.json().messages;
    assert.match(m.id, /^msg_[0-9A-Z]{26}$/);
    assert.equal(m.to, '+447700900000');
    assert.equal(m.from, 'Switchboard');
    assert.equal(m.status, 'queued');
    assert.equal(m.encoding, 'GSM-7');
    assert.equal(m.segments, 1);
    assert.equal(m.client_ref, 'order-1');
    assert.ok(Date.parse(m.created_at));
    const stored = await node.store.getMessage('acct_default', m.id);
    assert.equal(stored?.text, 'Hello');
  });

  test('one object per recipient, in order, with encoding and segments', async () => {
    const to = ['+447700900000', '+447911123456', '+14155552671'];
    const res = await send({ from: '12345', to, text: 'Zürich ✓'.repeat(10) });
    assert.equal(res.statusCode, 202);
    const messages = res.json().messages;
    assert.deepEqual(messages.map((m: { to: string }) => m.to), to);
    assert.equal(messages[0].encoding, 'UCS-2');
    assert.equal(messages[0].segments, 2);
  });

  test('refuses a request with one bad recipient, naming it, and stores nothing', async () => {
    const before = (await node.store.listMessages('acct_default', {}, 1000)).length;
    const res = await send({ from: 'Switchboard', to: ['+447700900000', '+447911123456', '+447700900001', '+1555'], text: 'x' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().error, {
      type: 'invalid_request_error',
      code: 'invalid_phone_number',
      message: 'The phone number "+1555" is not in E.164 format (a + followed by 6 to 15 digits, e.g. +14155552671).',
      doc_url: 'http://127.0.0.1:8080/docs/errors/invalid_phone_number',
      param: 'to[3]',
    });
    assert.equal((await node.store.listMessages('acct_default', {}, 1000)).length, before);
  });

  const cases: [string, unknown, number, string, string | undefined][] = [
    ['missing to', { from: 'A1', text: 'x' }, 400, 'missing_parameter', 'to'],
    ['missing text', { from: 'A1', to: '+447700900000' }, 400, 'missing_parameter', 'text'],
    ['missing from', { to: '+447700900000', text: 'x' }, 400, 'missing_parameter', 'from'],
    ['empty text', { from: 'A1', to: '+447700900000', text: '' }, 400, 'missing_parameter', 'text'],
    ['broken Unicode', { from: 'A1', to: '+447700900000', text: 'a\ud800b' }, 400, 'invalid_encoding', 'text'],
    ['text too long', { from: 'A1', to: '+447700900000', text: 'a'.repeat(1531) }, 400, 'message_too_long', 'text'],
    ['bad sender', { from: 'Way too long sender', to: '+447700900000', text: 'x' }, 400, 'invalid_sender', 'from'],
    ['fixed line', { from: 'A1', to: '+442079460000', text: 'x' }, 400, 'not_mobile_number', 'to'],
    ['number as a number', { from: 'A1', to: 447700900000, text: 'x' }, 400, 'invalid_parameter', 'to'],
    ['unknown field', { from: 'A1', to: '+447700900000', text: 'x', colour: 'red' }, 400, 'invalid_parameter', 'colour'],
    ['too many recipients', { from: 'A1', to: Array(1001).fill('+447700900000'), text: 'x' }, 400, 'too_many_recipients', 'to'],
    ['bad send_at', { from: 'A1', to: '+447700900000', text: 'x', send_at: 'tomorrow' }, 400, 'invalid_schedule', 'send_at'],
    ['send_at on a day the month lacks', { from: 'A1', to: '+447700900000', text: 'x', send_at: '2027-02-30T10:00:00Z' }, 400, 'invalid_schedule', 'send_at'],
    ['send_at without a time zone', { from: 'A1', to: '+447700900000', text: 'x', send_at: '2027-02-03T10:00:00' }, 400, 'invalid_schedule', 'send_at'],
    ['past send_at', { from: 'A1', to: '+447700900000', text: 'x', send_at: '2020-01-01T00:00:00Z' }, 400, 'invalid_schedule', 'send_at'],
    ['bad validity', { from: 'A1', to: '+447700900000', text: 'x', validity: 5 }, 400, 'invalid_parameter', 'validity'],
    ['bad callback', { from: 'A1', to: '+447700900000', text: 'x', callback_url: 'ftp://x' }, 400, 'invalid_callback_url', 'callback_url'],
  ];
  for (const [name, body, status, code, param] of cases) {
    test(`refuses ${name} with ${code}`, async () => {
      const res = await send(body);
      assert.equal(res.statusCode, status);
      const { error } = res.json();
      assert.equal(error.code, code);
      assert.equal(error.param, param);
      assert.equal(error.doc_url, `http://127.0.0.1:8080/docs/errors/${code}`);
    });
  }

  test('invalid JSON gets invalid_json', async () => {
    const res = await node.api.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { ...bearer(node.key), 'content-type': 'application/json' },
      payload: '{"from": "A1",',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'invalid_json');
    assert.equal(res.json().error.type, 'invalid_request_error');
  });

  test('an empty body labelled JSON is no body: a send is refused as invalid_json, a cancel goes through', async () => {
    const headers = { ...bearer(node.key), 'content-type': 'application/json' };
    const send = await node.api.inject({ method: 'POST', url: '/v1/messages', headers, payload: '' });
    assert.equal(send.statusCode, 400);
    assert.equal(send.json().error.code, 'invalid_json');
    const [m] = (await node.api.inject({ method: 'POST', url: '/v1/messages', headers, payload: { from: 'A1', to: '+447700900000', text: 'x', send_at: new Date(Date.now() + 3_600_000).toISOString() } })).json().messages;
    const cancel = await node.api.inject({ method: 'POST', url: `/v1/messages/${m.id}/cancel`, headers, payload: '' });
    assert.equal(cancel.statusCode, 200, cancel.body);
    assert.equal(cancel.json().status, 'canceled');
  });

  test('a body that is not JSON gets unsupported_media_type', async () => {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: { ...bearer(node.key), 'content-type': 'text/plain' }, payload: 'hi' });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().error.code, 'unsupported_media_type');
  });

  test('a malformed URL and an overlong id get canonical errors', async () => {
    for (const url of ['/v1/messages/%ZZ', `/v1/messages/msg_${'A'.repeat(200)}`]) {
      const res = await node.api.inject({ method: 'GET', url, headers: bearer(node.key) });
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().error.code, 'invalid_parameter');
    }
  });

  test('no key, and a bad key, each get their own code', async () => {
    const none = await node.api.inject({ method: 'GET', url: '/v1/messages' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().error.code, 'missing_api_key');
    const bad = await node.api.inject({ method: 'GET', url: '/v1/messages', headers: bearer('sk_nope') });
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.json().error.code, 'invalid_api_key');
    assert.equal(bad.json().error.type, 'authentication_error');
  });

  test('the same Idempotency-Key and body returns the first answer and sends nothing twice', async () => {
    const body = { from: 'Switchboard', to: ['+447700900000', '+447700900002'], text: 'Once' };
    const headers = { 'idempotency-key': 'order-42' };
    const first = await send(body, headers);
    const second = await send(body, headers);
    assert.equal(first.statusCode, 202);
    assert.equal(second.statusCode, 202);
    assert.equal(second.body, first.body);
    const stored = await node.store.listMessages('acct_default', { from: 'Switchboard' }, 1000);
    assert.equal(stored.filter((m) => m.text === 'Once').length, 2);
    const reordered = await send({ text: 'Once', to: body.to, from: body.from }, headers);
    assert.equal(reordered.body, first.body, 'the same fields in another order are the same request');
    const other = await send({ ...body, text: 'Twice' }, headers);
    assert.equal(other.statusCode, 422);
    assert.equal(other.json().error.code, 'idempotency_key_reused');
  });

  test('concurrent requests with one Idempotency-Key store one set of messages', async () => {
    const body = { from: 'Racer', to: '+447700900000', text: 'Race' };
    const answers = await Promise.all([1, 2, 3].map(() => send(body, { 'idempotency-key': 'race-1' })));
    const ok = answers.filter((a) => a.statusCode === 202);
    assert.ok(ok.length >= 1);
    for (const a of answers.filter((a) => a.statusCode !== 202)) assert.equal(a.json().error.code, 'idempotency_key_in_use');
    const stored = await node.store.listMessages('acct_default', { from: 'Racer' }, 10);
    assert.equal(stored.length, 1);
  });
});
