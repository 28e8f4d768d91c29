import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { createHmac } from 'node:crypto';
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

/** Connects to the addresses given (never none), in their order: no second DNS answer is asked for. */
function pinned(addresses: readonly LookupAddress[]): LookupFunction {
  return (_host, options, callback) => {
    if (options.all) callback(null, [...addresses]);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

/** One HTTP request to a URL an account gave: the answer's status and the start of its text, or why there was none. */
export type GuardedSend = (request: { url: string; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }) => Promise<
  { readonly status: number; readonly text: string } | { readonly error: string }
>;

/**
 * Sends a request to a URL an account gave. Where the URL resolves is checked again before each
 * request, as DNS may have changed since it was registered, and the connection goes to the
 * addresses checked, not to a fresh DNS answer: a name that resolves to a public address for the
 * check and to a private one for the connection (DNS rebinding) gets nowhere. Redirects are not
 * followed, as a redirect could lead anywhere.
 */
export function guardedSend(guard: UrlGuard, timeoutMs: number): GuardedSend {
  // Kept apart from the global agents: a socket reused here was opened to a checked address.
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  return async ({ url, method, headers, body }) => {
    let target: URL;
    let addresses: LookupAddress[];
    try {
      target = guard.checkShape(url, 'url');
      addresses = await guard.addresses(target, 'url');
    } catch (error) {
      return { error: (error as Error).message };
    }
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      // A plain timer, not an AbortSignal: a signal's listeners cost more than the rest of a small post.
      let timedOut = false;
      const request = client.request(target, { method, headers, agent: agents[target.protocol as 'http:' | 'https:'], lookup: pinned(addresses) }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < KEEP) text += chunk;
        });
        // Read to its end, or cut short: the status is the answer either way.
        const answered = () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text });
        };
        res.on('error', answered);
        res.on('close', answered);
      });
      const timer = setTimeout(() => {
        timedOut = true;
        request.destroy(new Error('timeout'));
      }, timeoutMs);
      request.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ error: timedOut ? `no answer within ${timeoutMs} ms` : (error.code ?? error.message) });
      });
      request.end(body);
    });
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
