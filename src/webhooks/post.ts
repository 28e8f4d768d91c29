import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { createHmac } from 'node:crypto';
import { Agent } from 'undici';
import { requestWithin } from '../http/request.js';
import type { WebhookPost } from '../app/webhook-delivery.js';
import type { UrlGuard } from './url-guard.js';

/** Enough of an answer to keep an excerpt of; the rest is read and dropped. */
const KEEP = 4096;

/** Secrets' keys, decoded once each (a whsec_ secret is base64 after its prefix). */
const keys = new Map<string, Buffer>();

/** The Standard Webhooks signature: HMAC-SHA256 of `id.timestamp.body` under the secret's key, as `v1,<base64>`. */
export function sign(secret: string, id: string, seconds: number, body: string): string {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64')));
  return `v1,${createHmac('sha256', key).update(`${id}.${seconds}.`).update(body).digest('base64')}`;
}

/** Hosts whose checked addresses are kept for new connections: a bound on memory, not on deliveries. */
const HOSTS_KEPT = 1000;

/** One HTTP request to a URL an account gave: the answer's status and the start of its text, or why there was none. */
export type GuardedSend = (request: { url: string; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }) => Promise<
  { readonly status: number; readonly text: string } | { readonly error: string }
>;

/**
 * Sends a request to a URL an account gave. Where the URL resolves is checked again before each
 * request, as DNS may have changed since it was registered, and a new connection goes to the
 * addresses last checked for its host, not to a fresh DNS answer: a name that resolves to a
 * public address for the check and to a private one for the connection (DNS rebinding) gets
 * nowhere. Redirects are not followed, as a redirect could lead anywhere. Connections are kept
 * alive, apart from any other client's.
 */
export function guardedSend(guard: UrlGuard, timeoutMs: number): GuardedSend {
  const checked = new Map<string, readonly LookupAddress[]>();
  const lookup: LookupFunction = (host, options, callback) => {
    const addresses = checked.get(host);
    if (!addresses) callback(Object.assign(new Error(`${host} was not checked`), { code: 'ENOTFOUND' }), []);
    else if (options.all) callback(null, [...addresses]);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  const agent = new Agent({ connect: { lookup } });
  return async ({ url, method, headers, body }) => {
    let target: URL;
    try {
      target = guard.checkShape(url, 'url');
      const addresses = await guard.addresses(target, 'url');
      // Kept most recent last, so that the oldest host is the one forgotten.
      checked.delete(target.hostname);
      checked.set(target.hostname, addresses);
      if (checked.size > HOSTS_KEPT) checked.delete(checked.keys().next().value!);
    } catch (error) {
      return { error: (error as Error).message };
    }
    const answer = await requestWithin(agent, target, { method, headers, body }, timeoutMs, KEEP);
    if ('text' in answer) return { status: answer.status, text: answer.text };
    // Cut short once the answer had begun: its status is the answer.
    if (answer.status) return { status: answer.status, text: '' };
    return { error: answer.timedOut ? answer.error.message : (answer.error.code ?? answer.error.message) };
  };
}

/** POSTs an event signed with the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`). */
export function standardWebhookPost(guard: UrlGuard, timeoutMs: number): WebhookPost {
  const send = guardedSend(guard, timeoutMs);
  return ({ url, id, timestamp, body, secret }) => {
    const seconds = Math.floor(timestamp.getTime() / 1000);
    return send({
      url,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Switchboard-Webhooks/1',
        'webhook-id': id,
        'webhook-timestamp': String(seconds),
        'webhook-signature': sign(secret, id, seconds, body),
      },
      body,
    });
  };
}
