import assert from 'node:assert/strict';
import { bearer, eventually, type TestNode } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What the HTTP provider tests ask of a node through its API: send from a sender, read a
 * message, wait for a status or an event, list inbound messages.
 */
export function client(node: TestNode, from: string) {
  const get = async (id: string): Promise<Json> => (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
  const post = (to: string, text: string, sender: string) => node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: sender, to, text } });
  return {
    get,
    post,
    async send(to: string, text = 'Hello', sender = from): Promise<string> {
      const res = await post(to, text, sender);
      assert.equal(res.statusCode, 202, res.body);
      return res.json().messages[0].id as string;
    },
    until: (id: string, status: string): Promise<Json> =>
      eventually(async () => ((m) => (m.status === status ? m : undefined))(await get(id)), 8000).catch(async (e: Error) => assert.fail(`${e.message}: ${JSON.stringify(await get(id))}`)),
    /** The message once it has an event of `type`, and that event. */
    async event(id: string, type: string): Promise<{ message: Json; event: Json }> {
      const message = await eventually(async () => ((m) => (m.events.some((e: Json) => e.type === type) ? m : undefined))(await get(id)), 8000);
      return { message, event: message.events.find((e: Json) => e.type === type) };
    },
    inbound: async (): Promise<Json[]> => (await node.api.inject({ method: 'GET', url: '/v1/inbound', headers: bearer(node.key) })).json().messages,
  };
}

/** A retry the provider asked to wait for: throttled, and due no sooner than its Retry-After. */
export function assertRetryAfter(retry: Json, ms: number): void {
  assert.equal(retry.error.code, 'rate_limit_exceeded');
  assert.ok(Date.parse(retry.detail.retry_at) - Date.parse(retry.at) >= ms, JSON.stringify(retry));
}
