import assert from 'node:assert/strict';
import type { Connector } from '../../src/app/connector.js';
import { bearer, eventually, freePort, testNode, type TestNode } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A node listening on 127.0.0.1 with one connection, made by `create` with the node's public URL
 * (where the provider's callbacks come in), and the settings of `env`.
 */
export async function providerNode(create: (publicUrl: string) => Connector, env: Record<string, string> = {}): Promise<{ node: TestNode; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const node = await testNode({ connectors: [create(base)], env: { ...env, SWITCHBOARD_PUBLIC_URL: base } });
  await node.api.listen({ host: '127.0.0.1', port });
  return { node, base };
}

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

type Client = ReturnType<typeof client>;

/** A send whose answer never came: it stays sent with provider_timeout, and is never resent. */
export async function assertUnknownOutcome(api: Client, to: string, submits: () => number): Promise<void> {
  const { message, event } = await api.event(await api.send(to), 'submit_unknown');
  assert.equal(message.status, 'sent');
  assert.equal(event.error.code, 'provider_timeout');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(submits(), 1);
}

/** The newest inbound message is a STOP from `from` to `to`, and `to` can no longer send to `from`. */
export async function assertStopped(api: Client, from: string, to: string): Promise<void> {
  const [received] = await api.inbound();
  assert.deepEqual([received!.from, received!.to, received!.keyword], [from, to, 'stop']);
  const refused = await api.post(from, 'Sale!', to);
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json().error.code, 'destination_opted_out');
}

/** A retry the provider asked to wait for: throttled, and due no sooner than its Retry-After. */
export function assertRetryAfter(retry: Json, ms: number): void {
  assert.equal(retry.error.code, 'rate_limit_exceeded');
  assert.ok(Date.parse(retry.detail.retry_at) - Date.parse(retry.at) >= ms, JSON.stringify(retry));
}
