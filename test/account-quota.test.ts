import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, eventually, STORES, testNodeOn, type TestNode } from './helpers.js';
import { FAST_WEBHOOKS, Receiver, type Json } from './webhook-receiver.js';

for (const storeName of STORES) {
  describe(`daily quota and low balance on ${storeName}`, () => {
    let node: TestNode;
    const call = async (key: string, method: string, url: string, payload?: object) => {
      const res = await node.api.inject({ method: method as 'GET', url, headers: bearer(key), ...(payload && { payload }) });
      return { status: res.statusCode, body: res.json() as Json };
    };
    let n = 0;
    const send = (key: string, count: number) =>
      call(key, 'POST', '/v1/messages', { from: 'Shop', to: Array.from({ length: count }, () => `+4474${String(n++).padStart(8, '0')}`), text: 'Hi' });
    /** A sub-account of the operator's, changed by `patch`, and a key of it. */
    const account = async (body: object, patch: object) => {
      const created = await call(node.key, 'POST', '/v1/accounts', { name: 'Shop', ...body });
      assert.equal(created.status, 201);
      const changed = await call(node.key, 'PATCH', `/v1/accounts/${created.body.id}`, patch);
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      return { id: created.body.id as string, view: changed.body, key: (await call(node.key, 'POST', `/v1/accounts/${created.body.id}/keys`, {})).body.key as string };
    };

    before(async () => {
      node = await testNodeOn(storeName, FAST_WEBHOOKS);
    });
    after(() => node.close());

    test('a daily quota refuses the request that would pass it, whole, naming the limit; the account cannot lift it', async () => {
      const shop = await account({}, { daily_quota: 3 });
      assert.equal(shop.view.daily_quota, 3);
      assert.equal((await send(shop.key, 2)).status, 202);
      const over = await send(shop.key, 2);
      assert.deepEqual([over.status, over.body.error.code, over.body.error.type], [429, 'quota_exceeded', 'rate_limit_error']);
      assert.match(over.body.error.message, /daily quota of 3 messages/);
      assert.equal((await send(shop.key, 1)).status, 202, 'what is left of the quota is still sent');
      assert.equal((await send(shop.key, 1)).body.error.code, 'quota_exceeded');
      assert.equal((await call(shop.key, 'GET', '/v1/messages')).body.messages.length, 3, 'nothing of a refused request is stored');
      assert.equal((await call(shop.key, 'PATCH', `/v1/accounts/${shop.id}`, { daily_quota: null })).body.error.code, 'insufficient_scope', 'an account does not change itself');
      const bad = await call(node.key, 'PATCH', `/v1/accounts/${shop.id}`, { daily_quota: -1 });
      assert.deepEqual([bad.status, bad.body.error.param], [400, 'daily_quota']);
      assert.equal((await call(node.key, 'PATCH', `/v1/accounts/${shop.id}`, { daily_quota: null })).body.daily_quota, null);
      assert.equal((await send(shop.key, 5)).status, 202, 'no quota: no limit');
    });

    test('a charge that takes the balance under the threshold tells the account once, again after a top-up lifts it', async () => {
      const shop = await account({ prices: { entries: [], default: '0.10' } }, { low_balance_threshold: '0.55' });
      assert.equal(shop.view.low_balance_threshold, '0.550000');
      await call(node.key, 'POST', `/v1/accounts/${shop.id}/top-ups`, { amount: '1.00' });
      const receiver = await new Receiver().listen();
      try {
        const endpoint = await call(shop.key, 'POST', '/v1/webhooks/endpoints', { url: receiver.url, events: ['account.low_balance'] });
        assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
        for (const count of [4, 1, 1]) assert.equal((await send(shop.key, count)).status, 202);
        const told = async () => (await call(shop.key, 'GET', '/v1/notices')).body.notices.filter((x: Json) => x.type === 'low_balance') as Json[];
        assert.equal((await told()).length, 1, 'one notice for the crossing, not one per message');
        assert.deepEqual((await told())[0]!.detail, { account: shop.id, available: '0.500000', threshold: '0.550000' });
        await call(node.key, 'POST', `/v1/accounts/${shop.id}/top-ups`, { amount: '1.00' });
        assert.equal((await send(shop.key, 9)).status, 202);
        assert.equal((await told()).length, 2, 'lifted above by the top-up, the next crossing is told again');
        // The second event waits behind the first (one chain per account and endpoint), then for the next poll.
        const events = await eventually(async () => {
          const got = receiver.verified(endpoint.body.secret);
          return got.length >= 2 ? got : undefined;
        }, 15_000);
        assert.deepEqual(events.map((e) => [e.type, e.data.account.id, e.data.account.available]), [
          ['account.low_balance', shop.id, '0.500000'],
          ['account.low_balance', shop.id, '0.500000'],
        ]);
      } finally {
        await receiver.close();
      }
    });
  });
}
