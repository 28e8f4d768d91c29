import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../src/app/clock.js';
import { smppPlugin } from '../src/providers/smpp/plugin.js';
import { SmscSimulator } from '../src/providers/smpp/simulator.js';
import { bearer, dropTestSchema, eventually, STORES, TEST_DATABASE_URL, testNode, testNodeOn, type TestNode } from './helpers.js';
import { FAST_WEBHOOKS, Receiver, type Json } from './webhook-receiver.js';

/** Few slots, so that a test can fill them: 20 posts in flight from the node, 4 per target. */
const SLOTS = { SWITCHBOARD_WEBHOOK_CONCURRENCY: '20', SWITCHBOARD_WEBHOOK_TARGET_CONCURRENCY: '4' };

function api(node: TestNode) {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Json) => {
    const res = await node.api.inject({ method, url, headers: bearer(node.key), ...(payload && { payload }) });
    return { status: res.statusCode, body: res.body ? (res.json() as Json) : {} };
  };
  const send = async (payload: Json) => {
    const res = await call('POST', '/v1/messages', { from: 'Switchboard', text: 'Hi', ...payload });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return res.body.messages[0].id as string;
  };
  return { call, send };
}

describe('webhooks out', () => {
  let node: TestNode;
  let client: ReturnType<typeof api>;
  before(async () => {
    node = await testNode({ env: { ...FAST_WEBHOOKS, ...SLOTS } });
    client = api(node);
  });
  after(() => node.close());

  test('every status change reaches a registered endpoint, signed, in order; failures carry the canonical error', async () => {
    const receiver = await new Receiver().listen();
    try {
      const created = await client.call('POST', '/v1/webhooks/endpoints', { url: receiver.url, events: ['message.queued', 'message.sent', 'message.delivered', 'message.undelivered'] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.match(created.body.secret, /^whsec_/);
      const ok = await client.send({ to: '+447700900000' });
      const bad = await client.send({ to: '+447700900001' });
      const events = await eventually(async () => {
        const all = receiver.verified(created.body.secret);
        return all.filter((e) => e.data.message.id === bad).length === 3 && all.filter((e) => e.data.message.id === ok).length === 3 ? all : undefined;
      });
      assert.deepEqual(events.filter((e) => e.data.message.id === ok).map((e) => e.type), ['message.queued', 'message.sent', 'message.delivered']);
      const failure = events.find((e) => e.type === 'message.undelivered')!;
      assert.equal(failure.data.message.id, bad);
      assert.equal(failure.data.error.code, 'unknown_subscriber');
      assert.equal(failure.data.error.provider.source, 'sandbox');
      assert.match(failure.timestamp, /^\d{4}-\d\d-\d\dT/);
      // The webhook-id is the event's id: the same on every attempt, so receivers can skip repeats.
      assert.equal(receiver.requests.find((r) => r.body.includes('"message.undelivered"'))!.headers['webhook-id'], failure.id);
      // Where its deliveries stand, on the API and in the metrics.
      const shown = await eventually(async () => ((e) => (e.body.backlog.delivered_total === 6 ? e.body : undefined))(await client.call('GET', `/v1/webhooks/endpoints/${created.body.id}`)));
      assert.deepEqual(shown.backlog, { pending: 0, in_flight: 0, oldest_pending_at: null, failures_in_a_row: 0, delivered_total: 6, failed_total: 0 });
      const listed = (await client.call('GET', '/v1/webhooks/endpoints')).body.endpoints.find((e: Json) => e.id === created.body.id);
      assert.equal(listed.backlog.delivered_total, 6);
      const metrics = (await node.api.inject({ method: 'GET', url: '/metrics', headers: bearer(node.key) })).body;
      assert.match(metrics, new RegExp(`^switchboard_webhook_delivered\\{endpoint="${created.body.id}"\\} 6$`, 'm'));
      assert.match(metrics, new RegExp(`^switchboard_webhook_pending\\{endpoint="${created.body.id}"\\} 0$`, 'm'));
      await client.call('DELETE', `/v1/webhooks/endpoints/${created.body.id}`);
    } finally {
      await receiver.close();
    }
  });

  test('a receiver that fails 3 times gets the event on the 4th try; every attempt is readable', async () => {
    const receiver = await new Receiver([500, 503, 500]).listen();
    try {
      const created = await client.call('POST', '/v1/webhooks/endpoints', { url: receiver.url });
      const id = await client.send({ to: '+447700900000' });
      const events = await eventually(async () => ((all) => (all.length >= 6 ? all : undefined))(receiver.verified(created.body.secret)));
      // The first event was tried four times, and the later ones waited for it.
      assert.deepEqual(events.map((e) => e.type), ['message.queued', 'message.queued', 'message.queued', 'message.queued', 'message.sent', 'message.delivered']);
      const list = await client.call('GET', `/v1/webhooks/deliveries?message_id=${id}`);
      const queued = list.body.deliveries.at(-1);
      assert.equal(queued.status, 'delivered');
      assert.equal(queued.attempt_count, 4);
      const detail = await client.call('GET', `/v1/webhooks/deliveries/${queued.id}`);
      assert.deepEqual(detail.body.attempts.map((a: Json) => a.status_code), [500, 503, 500, 204]);
      assert.equal(detail.body.attempts[0].response_excerpt, 'not now');
      assert.ok(detail.body.attempts.every((a: Json) => Number.isInteger(a.latency_ms)));
      await client.call('DELETE', `/v1/webhooks/endpoints/${created.body.id}`);
    } finally {
      await receiver.close();
    }
  });

  test('posts in flight together that fail together count as one failure in a row, not one each', async () => {
    // Four posts held 100 ms then refused, then a probe held open: what the endpoint shows meanwhile.
    const receiver = await new Receiver([...Array(4).fill({ afterMs: 100, status: 503 }), 'hang']).listen();
    try {
      const created = await client.call('POST', '/v1/webhooks/endpoints', { url: receiver.url, events: ['message.queued'] });
      await Promise.all(Array.from({ length: 4 }, () => client.send({ to: '+447700900000' })));
      await eventually(async () => (receiver.requests.length === 5 ? true : undefined));
      const shown = await client.call('GET', `/v1/webhooks/endpoints/${created.body.id}`);
      assert.equal(shown.body.backlog.failures_in_a_row, 1);
      assert.equal(shown.body.backlog.in_flight, 1, 'one probe at a time while it fails');
      await client.call('DELETE', `/v1/webhooks/endpoints/${created.body.id}`);
    } finally {
      await receiver.close();
    }
  });

  test("a message's callback_url gets its events, signed with the account's callback secret", async () => {
    const receiver = await new Receiver().listen();
    try {
      await client.send({ to: '+447700900000', callback_url: receiver.url });
      const { body } = await client.call('GET', '/v1/webhooks/callback-secret');
      const events = await eventually(async () => ((all) => (all.length === 3 ? all : undefined))(receiver.verified(body.secret)));
      assert.deepEqual(events.map((e) => e.type), ['message.queued', 'message.sent', 'message.delivered']);
    } finally {
      await receiver.close();
    }
  });

  test('callback_events chooses what a callback_url gets, as a dlr-mask does', async () => {
    const receiver = await new Receiver().listen();
    try {
      const id = await client.send({ to: '+447700900000', callback_url: receiver.url, callback_events: ['message.delivered', 'message.undelivered'] });
      const failed = await client.send({ to: '+447700900001', callback_url: receiver.url, callback_events: ['message.delivered', 'message.undelivered'] });
      const { body } = await client.call('GET', '/v1/webhooks/callback-secret');
      const events = await eventually(async () => ((all) => (all.length === 2 ? all : undefined))(receiver.verified(body.secret)));
      assert.deepEqual(events.map((e) => [e.type, e.data.message.id]).sort(), [['message.delivered', id], ['message.undelivered', failed]].sort());
      assert.deepEqual((await client.call('GET', `/v1/messages/${id}`)).body.callback_events, ['message.delivered', 'message.undelivered']);
      const alone = await client.call('POST', '/v1/messages', { from: 'Switchboard', to: '+447700900000', text: 'Hi', callback_events: ['message.delivered'] });
      assert.equal(alone.body.error.param, 'callback_events');
      const unknown = await client.call('POST', '/v1/messages', { from: 'Switchboard', to: '+447700900000', text: 'Hi', callback_url: receiver.url, callback_events: ['message.received'] });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error.param, 'callback_events[0]');
    } finally {
      await receiver.close();
    }
  });

  test("an endpoint that hangs holds up only its own deliveries: another endpoint's events keep coming", async () => {
    const hanging = await new Receiver(['hang']).listen();
    const healthy = await new Receiver().listen();
    try {
      const slow = await client.call('POST', '/v1/webhooks/endpoints', { url: hanging.url });
      const fast = await client.call('POST', '/v1/webhooks/endpoints', { url: healthy.url });
      const id = await client.send({ to: '+447700900000' });
      // Well within the post timeout (10 s) the hanging endpoint is still waiting on.
      const events = await eventually(async () => ((all) => (all.length === 3 ? all : undefined))(healthy.verified(fast.body.secret)));
      assert.deepEqual(events.map((e) => e.type), ['message.queued', 'message.sent', 'message.delivered']);
      await eventually(async () => (hanging.requests.length > 0 ? true : undefined));
      assert.deepEqual(hanging.verified(slow.body.secret).map((e) => e.type), ['message.queued'], 'held open; the later events wait behind it');
      const held = await client.call('GET', `/v1/webhooks/deliveries?message_id=${id}&endpoint_id=${slow.body.id}`);
      assert.deepEqual(held.body.deliveries.map((d: Json) => [d.status, d.attempt_count]), [['pending', 0], ['pending', 0], ['pending', 0]]);
      for (const e of [slow, fast]) await client.call('DELETE', `/v1/webhooks/endpoints/${e.body.id}`);
    } finally {
      await hanging.close();
      await healthy.close();
    }
  });

  test('an endpoint with many deliveries held open takes only its share of the slots: the others keep flowing', async () => {
    const hanging = await new Receiver(Array(100).fill('hang')).listen();
    const healthy = await new Receiver().listen();
    try {
      const slow = await client.call('POST', '/v1/webhooks/endpoints', { url: hanging.url, events: ['message.queued'] });
      const fast = await client.call('POST', '/v1/webhooks/endpoints', { url: healthy.url });
      // More first events for the hanging endpoint than there are slots in all.
      const ids = await Promise.all(Array.from({ length: 25 }, () => client.send({ to: '+447700900000' })));
      const events = await eventually(async () => ((all) => (all.length === 3 * ids.length ? all : undefined))(healthy.verified(fast.body.secret)));
      for (const id of ids) assert.deepEqual(events.filter((e) => e.data.message.id === id).map((e) => e.type), ['message.queued', 'message.sent', 'message.delivered']);
      assert.equal(hanging.requests.length, Number(SLOTS.SWITCHBOARD_WEBHOOK_TARGET_CONCURRENCY), 'the hanging endpoint holds its share, no more');
      for (const e of [slow, fast]) await client.call('DELETE', `/v1/webhooks/endpoints/${e.body.id}`);
    } finally {
      await hanging.close();
      await healthy.close();
    }
  });

  test('an endpoint that batches gets several events per POST, a JSON array signed once, each message\'s events in order; a failed batch is tried again', async () => {
    // The first POST fails: its events are tried again, each at least once, still in order.
    const receiver = await new Receiver([503]).listen();
    try {
      const refused = await client.call('POST', '/v1/webhooks/endpoints', { url: receiver.url, batch: { max_events: 0 } });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'invalid_parameter');
      const created = await client.call('POST', '/v1/webhooks/endpoints', { url: receiver.url, batch: { max_events: 10, max_wait_ms: 200 } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual(created.body.batch, { max_events: 10, max_wait_ms: 200 });
      const ids = await Promise.all(Array.from({ length: 20 }, () => client.send({ to: '+447700900000' })));
      const taken = () => receiver.requests.slice(1).flatMap((r) => JSON.parse(r.body) as Json[]);
      await eventually(async () => (ids.every((id) => taken().filter((e) => e.data.message.id === id).length >= 3) ? true : undefined));
      const batches = receiver.verified(created.body.secret);
      assert.ok(batches.every((b) => Array.isArray(b) && b.length >= 1 && b.length <= 10), JSON.stringify(batches.map((b) => (Array.isArray(b) ? b.length : 'not an array'))));
      assert.ok(batches.some((b) => b.length > 1), 'several events in one POST');
      assert.ok(receiver.requests.every((r) => r.headers['webhook-id']!.startsWith('batch_')));
      // At least once: skip repeats by event id, as receivers do; what remains is in order per message.
      const firsts = taken().filter((e, i, all) => all.findIndex((f) => f.id === e.id) === i);
      for (const id of ids) assert.deepEqual(firsts.filter((e) => e.data.message.id === id).map((e) => e.type), ['message.queued', 'message.sent', 'message.delivered']);
      const failed = receiver.verified(created.body.secret)[0] as Json[];
      assert.ok(failed.every((e) => firsts.some((f) => f.id === e.id)), 'every event of the failed batch came again');

      const off = await client.call('PATCH', `/v1/webhooks/endpoints/${created.body.id}`, { batch: null });
      assert.equal(off.body.batch, null);
      await client.call('DELETE', `/v1/webhooks/endpoints/${created.body.id}`);
    } finally {
      await receiver.close();
    }
  });

  test('URLs are checked: scheme, length, and no private addresses unless the operator allows them', async () => {
    for (const url of ['ftp://example.com/hook', 'not a url', `https://example.com/${'a'.repeat(2100)}`, 'https://user:pw@example.com/']) {
      const res = await client.call('POST', '/v1/webhooks/endpoints', { url });
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error.code, 'invalid_callback_url');
      assert.equal(res.body.error.param, 'url');
    }
    const events = await client.call('POST', '/v1/webhooks/endpoints', { url: 'https://example.com/', events: ['message.exploded'] });
    assert.equal(events.body.error.param, 'events');

    const strict = await testNode();
    try {
      const s = api(strict);
      for (const url of ['http://127.0.0.1:9/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://localhost/x']) {
        const res = await s.call('POST', '/v1/webhooks/endpoints', { url });
        assert.equal(res.status, 400, url);
        assert.match(res.body.error.message, /private|loopback|link-local/);
      }
      const send = await s.call('POST', '/v1/messages', { from: 'Switchboard', to: '+447700900000', text: 'Hi', callback_url: 'http://192.168.1.1/hook' });
      assert.equal(send.status, 400);
      assert.equal(send.body.error.code, 'invalid_callback_url');
      assert.equal(send.body.error.param, 'callback_url');
    } finally {
      await strict.close();
    }
  });
});

for (const store of STORES) {
  test(`a scheduled message tells message.queued when its send_at comes, not before (${store})`, async () => {
    const node = await testNodeOn(store, FAST_WEBHOOKS);
    const receiver = await new Receiver().listen();
    try {
      const client = api(node);
      const created = await client.call('POST', '/v1/webhooks/endpoints', { url: receiver.url });
      const id = await client.send({ to: '+447700900000', send_at: new Date(node.clock.now() + 60_000).toISOString() });
      // Events are written with the change they tell: a scheduled message has made none yet.
      assert.deepEqual((await client.call('GET', `/v1/webhooks/deliveries?message_id=${id}`)).body.deliveries, []);
      node.clock.advance(60_000);
      const events = await eventually(async () => ((all) => (all.length === 3 ? all : undefined))(receiver.verified(created.body.secret)));
      assert.deepEqual(events.map((e) => e.type), ['message.queued', 'message.sent', 'message.delivered']);
      assert.equal(events[0]!.data.message.id, id);
      assert.equal(events[0]!.data.message.status, 'queued');
    } finally {
      await node.close();
      await receiver.close();
    }
  });
}

for (const store of STORES) {
  test(`an endpoint failing for too long is disabled, the account told, and what waited for it dropped; re-enabled, it gets the events from then on (${store})`, async () => {
    const node = await testNodeOn(store, { ...FAST_WEBHOOKS, SWITCHBOARD_WEBHOOK_DISABLE_AFTER_MS: '300' });
    const failing = await new Receiver(Array(1000).fill(500)).listen();
    const fixed = await new Receiver().listen();
    const watching = await new Receiver().listen();
    try {
      const client = api(node);
      const watcher = await client.call('POST', '/v1/webhooks/endpoints', { url: watching.url, events: ['endpoint.disabled'] });
      const created = await client.call('POST', '/v1/webhooks/endpoints', { url: failing.url });
      const before = await client.send({ to: '+447700900000' });
      const endpoint = await eventually(async () => ((e) => (e.body.enabled ? undefined : e.body))(await client.call('GET', `/v1/webhooks/endpoints/${created.body.id}`)));
      assert.match(endpoint.disabled_reason, /failed/);
      // The notice is written in the transaction that disables the endpoint.
      const notices: Json[] = (await client.call('GET', '/v1/notices')).body.notices;
      assert.equal(notices[0]!.type, 'webhook_endpoint_disabled');
      assert.equal(notices[0]!.detail.endpoint_id, created.body.id);
      // The account's other endpoint that takes it is told too, signed like every event.
      const [told, ...more] = await eventually(async () => ((all) => (all.length > 0 ? all : undefined))(watching.verified(watcher.body.secret)));
      assert.equal(told!.type, 'endpoint.disabled');
      assert.deepEqual(told!.data.endpoint, { id: created.body.id, url: failing.url, disabled_at: endpoint.disabled_at, disabled_reason: endpoint.disabled_reason });
      assert.deepEqual(more, [], 'told once, and of nothing else');
      assert.ok(!failing.requests.some((r) => r.body.includes('endpoint.disabled')), 'not the disabled endpoint itself');

      // The retries stop: the first event, and the two waiting behind it, are given up with the reason.
      const dropped = await eventually(async () =>
        ((list: Json[]) => (list.length === 3 && list.every((d) => d.status === 'failed') ? list : undefined))((await client.call('GET', `/v1/webhooks/deliveries?message_id=${before}`)).body.deliveries),
      );
      for (const d of dropped) assert.equal(d.last_error, `endpoint disabled: ${endpoint.disabled_reason}`);
      const first = (await client.call('GET', `/v1/webhooks/deliveries/${dropped.at(-1)!.id}`)).body;
      assert.ok(first.attempts.length > 0 && first.attempts.every((a: Json) => a.status_code === 500));
      const tried = failing.requests.length;

      const again = await client.call('PATCH', `/v1/webhooks/endpoints/${created.body.id}`, { enabled: true, url: fixed.url });
      assert.equal(again.body.enabled, true);
      const after = await client.send({ to: '+447700900000' });
      const events = await eventually(async () => ((all) => (all.length === 3 ? all : undefined))(fixed.verified(created.body.secret)));
      assert.deepEqual(events.map((e) => [e.type, e.data.message.id]), [['message.queued', after], ['message.sent', after], ['message.delivered', after]]);
      assert.equal(failing.requests.length, tried, 'nothing more went to the old URL');
    } finally {
      await node.close();
      await failing.close();
      await fixed.close();
      await watching.close();
    }
  });
}

test('a post slower than the lease is kept by the node that made it: another node does not post it again', async () => {
  const schema = `hooks_lease_${process.pid}_${Date.now()}`;
  const env = { ...FAST_WEBHOOKS, SWITCHBOARD_LEASE_MS: '200', SWITCHBOARD_DATABASE_URL: TEST_DATABASE_URL, SWITCHBOARD_DATABASE_SCHEMA: schema };
  const a = await testNode({ env });
  const b = await testNode({ env: { ...env, SWITCHBOARD_NODE_ID: 'b' } });
  // The first answer comes long after the lease would have lapsed.
  const receiver = await new Receiver([{ afterMs: 1500 }]).listen();
  try {
    const client = api({ ...a, key: a.key || b.key });
    const created = await client.call('POST', '/v1/webhooks/endpoints', { url: receiver.url });
    const id = await client.send({ to: '+447700900000' });
    const events = await eventually(async () => ((all) => (all.length >= 3 ? all : undefined))(receiver.verified(created.body.secret)), 10_000);
    assert.deepEqual(events.map((e) => e.type), ['message.queued', 'message.sent', 'message.delivered'], 'one POST of each');
    const queued = (await client.call('GET', `/v1/webhooks/deliveries?message_id=${id}`)).body.deliveries.at(-1);
    assert.deepEqual((await client.call('GET', `/v1/webhooks/deliveries/${queued.id}`)).body.attempts.map((x: Json) => x.status_code), [204]);
  } finally {
    await a.close();
    await b.close();
    await receiver.close();
    await dropTestSchema(schema);
  }
});

describe('inbound keywords and the opt-out list', () => {
  let smsc: SmscSimulator;
  let node: TestNode;
  let client: ReturnType<typeof api>;
  let receiver: Receiver;
  let secret: string;
  before(async () => {
    smsc = new SmscSimulator({ port: 0, receiptDelayMs: 10 });
    const port = await smsc.listen();
    const connector = smppPlugin.create(
      { name: 'carrier', provider: 'smpp', host: '127.0.0.1', port, system_id: 'sb', password: 'pw', test_numbers: true, reconnect_min_ms: 50 },
      { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
    );
    node = await testNode({ connectors: [connector], env: FAST_WEBHOOKS });
    client = api(node);
    receiver = await new Receiver().listen();
    secret = (await client.call('POST', '/v1/webhooks/endpoints', { url: receiver.url, events: ['message.received'] })).body.secret;
    // Bound, not only connected: the simulator sends MO messages to bound receivers alone.
    await eventually(async () => ((await client.call('GET', '/v1/connections')).body.connections[0]?.up ? true : undefined));
  });
  after(async () => {
    await node.close();
    await smsc.close();
    await receiver.close();
  });

  const sendTo = (to: string, from = '12345') => client.call('POST', '/v1/messages', { from, to, text: 'Sale!' });

  test('STOP opts the number out of that sender: sending to it is refused; START lifts it', async () => {
    await smsc.deliverMo('+447700900123', '12345', 'Stop');
    const received = await eventually(async () => ((all) => (all.length > 0 ? all[0] : undefined))(receiver.verified(secret)));
    assert.equal(received.type, 'message.received');
    assert.equal(received.data.message.keyword, 'stop');
    assert.equal(received.data.message.from, '+447700900123');

    const refused = await eventually(async () => ((r) => (r.status === 403 ? r : undefined))(await sendTo('+447700900123')));
    assert.equal(refused.body.error.code, 'destination_opted_out');
    assert.equal(refused.body.error.param, 'to');
    const many = await client.call('POST', '/v1/messages', { from: '12345', to: ['+447700900000', '+447700900123'], text: 'Sale!' });
    assert.equal(many.body.error.param, 'to[1]');
    assert.equal((await sendTo('+447700900123', 'OtherBrand')).status, 202, 'other senders are not affected');
    const list = await client.call('GET', '/v1/opt-outs?number=%2B447700900123');
    assert.deepEqual(list.body.opt_outs.map((o: Json) => [o.sender, o.source]), [['12345', 'keyword']]);

    await smsc.deliverMo('+447700900123', '12345', 'START');
    await eventually(async () => ((r) => (r.status === 202 ? r : undefined))(await sendTo('+447700900123')));
  });

  test('the API adds and lifts opt-outs, "*" meaning every sender', async () => {
    const added = await client.call('POST', '/v1/opt-outs', { sender: '*', number: '+447700900456' });
    assert.equal(added.status, 201);
    assert.equal((await sendTo('+447700900456', 'AnyBrand')).status, 403);
    assert.equal((await client.call('POST', '/v1/opt-outs', { sender: '*', number: '447700900456' })).body.error.code, 'invalid_phone_number');
    const lifted = await node.api.inject({ method: 'DELETE', url: '/v1/opt-outs?sender=*&number=%2B447700900456', headers: bearer(node.key) });
    assert.equal(lifted.statusCode, 204);
    assert.equal((await sendTo('+447700900456', 'AnyBrand')).status, 202);
  });
});
