import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, eventually, STORES, testNodeOn, type TestNode } from './helpers.js';
import { FAST_WEBHOOKS, Receiver, type Json } from './webhook-receiver.js';

// Resending a webhook delivery, as an account that fixed its receiver would: the same event, with
// the same webhook-id, signed again, through the normal delivery path; refused where it cannot go.

for (const storeName of STORES) {
  describe(`webhook resend (${storeName})`, () => {
    let node: TestNode;
    let receiver: Receiver;
    const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Json) => {
      const res = await node.api.inject({ method, url, headers: bearer(node.key), ...(payload && { payload }) });
      return { status: res.statusCode, body: res.body ? (res.json() as Json) : {} };
    };
    /** An endpoint taking message.undelivered, and the delivery of one failed message's event to it, once delivered. */
    const delivered = async () => {
      const endpoint = (await call('POST', '/v1/webhooks/endpoints', { url: receiver.url, events: ['message.undelivered'] })).body;
      const sent = await call('POST', '/v1/messages', { from: 'Shop', to: '+447700900001', text: 'Hi' });
      const messageId = sent.body.messages[0].id as string;
      const delivery = await eventually(async () => {
        const [d] = (await call('GET', `/v1/webhooks/deliveries?message_id=${messageId}`)).body.deliveries as Json[];
        return d?.status === 'delivered' ? d : undefined;
      }, 15_000);
      return { endpoint, messageId, delivery };
    };

    before(async () => {
      node = await testNodeOn(storeName, FAST_WEBHOOKS);
      receiver = await new Receiver().listen();
    });
    after(async () => {
      await receiver.close();
      await node.close();
    });

    test('a resend posts the same event again, with the same webhook-id and a fresh signature, as a new delivery recorded as a resend', async () => {
      const { endpoint, messageId, delivery } = await delivered();
      const before = receiver.requests.length;
      const resent = await call('POST', `/v1/webhooks/deliveries/${delivery.id}/resend`);
      assert.equal(resent.status, 202, JSON.stringify(resent.body));
      assert.notEqual(resent.body.id, delivery.id);
      assert.deepEqual(
        [resent.body.event_id, resent.body.message_id, resent.body.endpoint_id, resent.body.url, resent.body.resend_of, resent.body.attempt_count],
        [delivery.event_id, messageId, endpoint.id, receiver.url, delivery.id, 0],
      );
      const done = await eventually(async () => ((d) => (d.status === 'delivered' ? d : undefined))((await call('GET', `/v1/webhooks/deliveries/${resent.body.id}`)).body), 15_000);
      assert.equal(done.attempts.length, 1);
      assert.equal(done.attempts[0].status_code, 204);
      const posts = receiver.requests.slice(before);
      assert.equal(posts.length, 1);
      assert.equal(posts[0]!.headers['webhook-id'], delivery.event_id);
      const [event] = receiver.verified(endpoint.secret).filter((e) => e.id === delivery.event_id);
      assert.equal(event!.type, 'message.undelivered');
      assert.equal(event!.data.message.id, messageId);
      // Both deliveries are the message's: the resend first (newest first), the original untouched.
      const listed = (await call('GET', `/v1/webhooks/deliveries?message_id=${messageId}`)).body.deliveries as Json[];
      assert.deepEqual(listed.map((d) => [d.id, d.resend_of, d.status]), [[resent.body.id, delivery.id, 'delivered'], [delivery.id, null, 'delivered']]);
      await call('DELETE', `/v1/webhooks/endpoints/${endpoint.id}`);
    });

    test('a resend goes to the endpoint at its URL now: a receiver that moved gets it there', async () => {
      const { endpoint, delivery } = await delivered();
      const moved = await new Receiver().listen();
      try {
        assert.equal((await call('PATCH', `/v1/webhooks/endpoints/${endpoint.id}`, { url: moved.url })).status, 200);
        const resent = await call('POST', `/v1/webhooks/deliveries/${delivery.id}/resend`);
        assert.equal(resent.body.url, moved.url);
        await eventually(async () => (moved.requests.length === 1 ? true : undefined), 15_000);
        assert.equal(moved.requests[0]!.headers['webhook-id'], delivery.event_id);
      } finally {
        await moved.close();
        await call('DELETE', `/v1/webhooks/endpoints/${endpoint.id}`);
      }
    });

    test("a delivery to a message's own callback_url is resent there, signed with the account's callback secret", async () => {
      const callback = await new Receiver().listen();
      try {
        const sent = await call('POST', '/v1/messages', { from: 'Shop', to: '+447700900000', text: 'Hi', callback_url: callback.url, callback_events: ['message.delivered'] });
        const messageId = sent.body.messages[0].id as string;
        const delivery = await eventually(async () => ((d) => (d?.status === 'delivered' ? d : undefined))((await call('GET', `/v1/webhooks/deliveries?message_id=${messageId}`)).body.deliveries[0]), 15_000);
        assert.equal(delivery.endpoint_id, null);
        const resent = await call('POST', `/v1/webhooks/deliveries/${delivery.id}/resend`);
        assert.deepEqual([resent.status, resent.body.url, resent.body.endpoint_id, resent.body.resend_of], [202, callback.url, null, delivery.id]);
        const { secret } = (await call('GET', '/v1/webhooks/callback-secret')).body;
        const events = await eventually(async () => ((all) => (all.length === 2 ? all : undefined))(callback.verified(secret)), 15_000);
        assert.deepEqual(events.map((e) => [e.id, e.type, e.data.message.id]), [[delivery.event_id, 'message.delivered', messageId], [delivery.event_id, 'message.delivered', messageId]]);
      } finally {
        await callback.close();
      }
    });

    test('refused with canonical errors: an unknown delivery (404), an endpoint disabled or deleted (409); nothing is queued', async () => {
      const unknown = await call('POST', '/v1/webhooks/deliveries/whd_nothing/resend');
      assert.deepEqual([unknown.status, unknown.body.error.code, unknown.body.error.param], [404, 'not_found', 'id']);
      const { endpoint, messageId, delivery } = await delivered();
      assert.equal((await call('PATCH', `/v1/webhooks/endpoints/${endpoint.id}`, { enabled: false })).status, 200);
      const disabled = await call('POST', `/v1/webhooks/deliveries/${delivery.id}/resend`);
      assert.deepEqual([disabled.status, disabled.body.error.code, disabled.body.error.param], [409, 'webhook_endpoint_unavailable', 'id']);
      assert.match(disabled.body.error.message, /disabled/);
      assert.equal((await call('DELETE', `/v1/webhooks/endpoints/${endpoint.id}`)).status, 204);
      const deleted = await call('POST', `/v1/webhooks/deliveries/${delivery.id}/resend`);
      assert.deepEqual([deleted.status, deleted.body.error.code], [409, 'webhook_endpoint_unavailable']);
      assert.match(deleted.body.error.message, /deleted/);
      assert.equal((await call('GET', `/v1/webhooks/deliveries?message_id=${messageId}`)).body.deliveries.length, 1);
    });

    test('a key without the webhooks scope cannot resend', async () => {
      const { endpoint, delivery } = await delivered();
      const key = (await call('POST', '/v1/keys', { scopes: ['send', 'read'] })).body.key as string;
      const res = await node.api.inject({ method: 'POST', url: `/v1/webhooks/deliveries/${delivery.id}/resend`, headers: bearer(key) });
      assert.deepEqual([res.statusCode, res.json().error.code], [403, 'insufficient_scope']);
      await call('DELETE', `/v1/webhooks/endpoints/${endpoint.id}`);
    });
  });
}
