import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { eventually, freePort, tempDir } from './helpers.js';
import { createKey, startServerProcess } from './processes.js';
import { FAST_WEBHOOKS, Receiver, type Json } from './webhook-receiver.js';

// Webhook events survive a node's crash: whatever was not delivered goes out from the next node.

/**
 * A server process on a fresh data folder, with an endpoint at `hookUrl` and one message sent:
 * the node to kill (SIGKILL, as a crash) and then start again on the same folder.
 */
async function crashingNode(hookUrl: string, settings: Record<string, string> = {}) {
  const dir = tempDir();
  const port = await freePort();
  const env = { SWITCHBOARD_DATA_DIR: dir, ...FAST_WEBHOOKS, SWITCHBOARD_SANDBOX_RECEIPT_DELAY_MS: '10', ...settings };
  let server = await startServerProcess(port, env);
  const headers = { authorization: `Bearer ${createKey({ SWITCHBOARD_DATA_DIR: dir })}`, 'content-type': 'application/json' };
  const call = async (path: string, body?: Json) =>
    (await (await fetch(`${server.url}${path}`, { method: body ? 'POST' : 'GET', headers, ...(body && { body: JSON.stringify(body) }) })).json()) as Json;
  const endpoint = await call('/v1/webhooks/endpoints', { url: hookUrl });
  const id = (await call('/v1/messages', { from: 'Crash', to: '+447700900000', text: 'Hi' })).messages[0].id as string;
  return {
    secret: endpoint.secret as string,
    deliveries: async () => (await call(`/v1/webhooks/deliveries?message_id=${id}`)).deliveries as Json[],
    call,
    crash: () => server.stop('SIGKILL'),
    async restart() {
      server = await startServerProcess(port, env);
    },
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('a crash after a failed attempt loses nothing: undelivered events go out after the restart', async () => {
  const hookPort = await freePort();
  // Nothing listens there yet: every attempt fails, and the events wait.
  const node = await crashingNode(`http://127.0.0.1:${hookPort}/hooks`);
  let receiver: Receiver | undefined;
  try {
    await eventually(async () => ((await node.deliveries()).some((d) => d.attempt_count > 0) ? true : undefined));
    await node.crash();
    receiver = await new Receiver().listen(hookPort);
    await node.restart();
    const events = await eventually(async () => ((all) => (all.length === 3 ? all : undefined))(receiver!.verified(node.secret)), 15_000);
    assert.deepEqual(events.map((e) => e.type), ['message.queued', 'message.sent', 'message.delivered']);
  } finally {
    await node.close();
    await receiver?.close();
  }
});

test('a crash while a POST is in flight loses nothing: the event goes again as the node restarts (at least once)', async () => {
  const receiver = await new Receiver(['hang']).listen();
  // Leases of an hour: a lone node starting up takes its deliveries back at once, not when their lease ends.
  const node = await crashingNode(receiver.url, { SWITCHBOARD_LEASE_MS: '3600000' });
  try {
    // The receiver holds the first POST open; the node dies in the middle of it, once the
    // message itself is done (its three events made), so that the crash cuts only the POST.
    await eventually(async () => (receiver.requests.length > 0 && (await node.deliveries()).length === 3 ? true : undefined));
    await node.crash();
    await node.restart();
    const events = await eventually(async () => ((all) => (all.length === 4 ? all : undefined))(receiver.verified(node.secret)), 15_000);
    assert.deepEqual(events.map((e) => e.type), ['message.queued', 'message.queued', 'message.sent', 'message.delivered']);
    assert.equal(events[1]!.id, events[0]!.id, 'the same event again: the receiver can tell it by its webhook-id');
    const queued = (await node.deliveries()).at(-1)!;
    assert.equal(queued.status, 'delivered');
    // The attempt the crash cut short left no answer to record.
    assert.deepEqual((await node.call(`/v1/webhooks/deliveries/${queued.id}`)).attempts.map((a: Json) => a.status_code), [204]);
  } finally {
    await node.close();
    await receiver.close();
  }
});
