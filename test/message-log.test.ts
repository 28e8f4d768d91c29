import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isFinal } from '../src/core/lifecycle.js';
import { bearer, eventually, testNode, type TestNode } from './helpers.js';

describe('GET /v1/messages and operations', () => {
  let node: TestNode;
  before(async () => {
    node = await testNode();
    const to = ['+447700900000', '+447700900001', '+447700900000', '+447700900005', '+447700900000'];
    for (const [i, number] of to.entries()) {
      const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: i % 2 ? 'Beta' : 'Alpha', to: number, text: `m${i}` } });
      assert.equal(res.statusCode, 202);
    }
    // Every message must have its final status: a wait for "none sent" also passed while some were still queued.
    await eventually(async () => ((await node.store.listMessages('acct_default', {}, 10)).every((m) => isFinal(m.status)) ? true : undefined));
  });
  after(() => node.close());

  // Streams need a real connection: the node listens once, for the tests that ask.
  let listening: Promise<string> | undefined;
  const listen = () => (listening ??= node.api.listen({ host: '127.0.0.1', port: 0 }));

  const list = async (query: string) => {
    const res = await node.api.inject({ method: 'GET', url: `/v1/messages?${query}`, headers: bearer(node.key) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };

  test('newest first, cursor-paginated, with no overlap', async () => {
    const first = await list('limit=2');
    assert.deepEqual(first.messages.map((m: { text: string }) => m.text), ['m4', 'm3']);
    const second = await list(`limit=2&cursor=${first.next_cursor}`);
    assert.deepEqual(second.messages.map((m: { text: string }) => m.text), ['m2', 'm1']);
    const third = await list(`limit=2&cursor=${second.next_cursor}`);
    assert.deepEqual(third.messages.map((m: { text: string }) => m.text), ['m0']);
    assert.equal(third.next_cursor, null);
  });

  test('filters by status, to, from, error code and time', async () => {
    assert.equal((await list('status=delivered')).messages.length, 3);
    assert.equal((await list('to=%2B447700900001')).messages[0].text, 'm1');
    assert.equal((await list('from=Beta')).messages.length, 2);
    assert.deepEqual((await list('error_code=destination_barred')).messages.map((m: { text: string }) => m.text), ['m3']);
    assert.equal((await list(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).messages.length, 0);
    assert.equal((await list(`until=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).messages.length, 5);
    assert.equal((await list(`since=${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)}`)).messages.length, 5, 'a date is read as UTC midnight');
  });

  test('bad query parameters get canonical errors', async () => {
    for (const [query, param] of [['limit=0', 'limit'], ['status=lost', 'status'], ['since=yesterday', 'since'], ['since=0', 'since'], ['until=2026-02-30', 'until'], ['cursor=xyz', 'cursor'], ['colour=red', 'colour']]) {
      const res = await node.api.inject({ method: 'GET', url: `/v1/messages?${query}`, headers: bearer(node.key) });
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json().error.code, 'invalid_parameter', query);
      assert.equal(res.json().error.param, param, query);
    }
  });

  test('healthz, metrics and the OpenAPI document', async () => {
    const health = await node.api.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(health.json(), { status: 'ok' });

    const metrics = await node.api.inject({ method: 'GET', url: '/metrics', headers: bearer(node.key) });
    assert.equal(metrics.statusCode, 200);
    assert.match(metrics.body, /switchboard_messages_accepted_total 5/);
    assert.match(metrics.body, /switchboard_messages_finished_total\{status="delivered",error_code=""\} 3/);
    assert.match(metrics.body, /switchboard_messages_finished_total\{status="rejected",error_code="destination_barred"\} 1/);
    assert.match(metrics.body, /switchboard_messages_dispatched_total\{connection="sandbox"\} 5/);
    assert.match(metrics.body, /switchboard_queue_depth/);
    assert.match(metrics.body, /switchboard_accept_duration_seconds_bucket/);

    const doc = (await node.api.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.equal(doc.openapi, '3.1.0');
    const send = doc.paths['/v1/messages'].post;
    assert.deepEqual(send.requestBody.content['application/json'].schema.required.sort(), ['from', 'text', 'to']);
    assert.ok(send.responses['202']);
    assert.ok(doc.paths['/v1/messages/{id}'].get);
    assert.ok(doc.paths['/v1/messages/{id}/cancel'].post);
    assert.ok(doc.paths['/v1/providers/{provider}/codes/{code}'].get);
  });

  test('an unknown route answers not_found in the canonical format (to a caller with a key)', async () => {
    const res = await node.api.inject({ method: 'GET', url: '/v2/nothing', headers: bearer(node.key) });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'not_found');
  });

  test("one message's stream tells its status at once: a change before the stream opened is not lost", { timeout: 10_000 }, async () => {
    const [m] = (await list('status=delivered&limit=1')).messages;
    const base = await listen();
    const aborted = new AbortController();
    const stream = await fetch(`${base}/v1/messages/${m.id}/stream`, { headers: { ...bearer(node.key), accept: 'text/event-stream' }, signal: aborted.signal });
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes('event: message')) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    aborted.abort();
    const data = JSON.parse(/data: (.*)\n/.exec(text)![1]!);
    assert.deepEqual([data.id, data.status], [m.id, 'delivered']);
  });

  test("the log's stream sends what changed since the page shown: a message sent in between is not missed, and the page is not sent again", { timeout: 10_000 }, async () => {
    const page = (await list('limit=50')).messages as { id: string; updated_at: string }[];
    const newest = page.map((m) => m.updated_at).sort().at(-1)!;
    const sent = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Alpha', to: '+447700900000', text: 'in between' } });
    const id = sent.json().messages[0].id as string;
    // Final before the stream opens: a stream that only sends later changes would never send it.
    await eventually(async () => ((await node.store.getMessage('acct_default', id))?.status === 'delivered' ? true : undefined));
    const base = await listen();
    const aborted = new AbortController();
    const stream = await fetch(`${base}/v1/messages/stream?changed_since=${encodeURIComponent(newest)}`, { headers: { ...bearer(node.key), accept: 'text/event-stream' }, signal: aborted.signal });
    assert.equal(stream.status, 200);
    const reader = stream.body!.getReader();
    const events: { id: string; status: string; updated_at: string }[] = [];
    let text = '';
    while (!events.some((e) => e.id === id)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      events.push(...[...text.matchAll(/data: (.*)\n/g)].slice(events.length).map((m) => JSON.parse(m[1]!)));
    }
    aborted.abort();
    assert.equal(events.find((e) => e.id === id)?.status, 'delivered');
    assert.ok(events.every((e) => e.updated_at >= newest), 'only what changed at or after the newest change shown');

    const bad = await node.api.inject({ method: 'GET', url: '/v1/messages/stream?changed_since=yesterday', headers: { ...bearer(node.key), accept: 'text/event-stream' } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual([bad.json().error.code, bad.json().error.param], ['invalid_parameter', 'changed_since']);
  });
});
