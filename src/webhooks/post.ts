import { Webhook } from 'standardwebhooks';
import type { WebhookPost } from '../app/webhook-delivery.js';
import type { UrlGuard } from './url-guard.js';

/**
 * POSTs an event signed with the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`), after checking again where the URL resolves: DNS may have changed
 * since the endpoint was registered.
 */
export function standardWebhookPost(guard: UrlGuard, timeoutMs: number): WebhookPost {
  return async ({ url, eventId, timestamp, body, secret }) => {
    try {
      await guard.check(url, 'url');
    } catch (error) {
      return { error: (error as Error).message };
    }
    const signature = new Webhook(secret).sign(eventId, timestamp, body);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Switchboard-Webhooks/1',
          'webhook-id': eventId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        redirect: 'manual', // a redirect could lead anywhere, past the address check
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, text: await res.text().catch(() => '') };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { error: cause ?? (error as Error).message };
    }
  };
}
