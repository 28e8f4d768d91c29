import { randomBytes } from 'node:crypto';
import { SwitchboardError } from '../core/errors.js';
import { EVENT_TYPES } from '../core/events.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import type { Notice, Store, WebhookBatching, WebhookDelivery, WebhookEndpoint, WebhookTargetStats } from './store.js';

/** Checks URLs the server will call: shape at once, addresses (no SSRF) with DNS. */
export interface UrlCheck {
  checkShape(url: string, param: string): URL;
  check(url: string, param: string): Promise<void>;
}

export interface EndpointInput {
  readonly url?: string;
  readonly events?: readonly string[];
  readonly description?: string | null;
  readonly secret?: string;
  /** On update: true re-enables a disabled endpoint. */
  readonly enabled?: boolean;
  /** Several events in one POST; null (on update): one each again. */
  readonly batch?: { readonly max_events: number; readonly max_wait_ms?: number } | null;
}

/** How long the first event of a batch waits for company, unless the endpoint says. */
export const BATCH_WAIT_MS = 100;

/** A Standard Webhooks secret: whsec_ and base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** whsec_ and base64 of at least 12 bytes. */
export const WEBHOOK_SECRET_PATTERN = '^whsec_[A-Za-z0-9+/]{16,}={0,2}$';
const SECRET = new RegExp(WEBHOOK_SECRET_PATTERN);

function batching(batch: EndpointInput['batch']): WebhookBatching | null {
  return batch ? { maxEvents: batch.max_events, maxWaitMs: batch.max_wait_ms ?? BATCH_WAIT_MS } : null;
}

/** An account's webhook endpoints, its callback secret, deliveries and notices. */
export class WebhookEndpoints {
  constructor(
    private readonly store: Store,
    private readonly urls: UrlCheck,
    private readonly clock: Clock,
  ) {}

  #events(events: readonly string[] | undefined): string[] {
    if (events === undefined || events.length === 0 || events.includes('*')) return ['*'];
    const unknown = events.find((e) => !(EVENT_TYPES as readonly string[]).includes(e));
    if (unknown) throw new SwitchboardError('invalid_parameter', `Unknown event type ${JSON.stringify(unknown)}; known: ${EVENT_TYPES.join(', ')}, or "*".`, { param: 'events' });
    return [...new Set(events)];
  }

  #secret(secret: string | undefined): string {
    if (secret === undefined) return newWebhookSecret();
    if (!SECRET.test(secret)) throw new SwitchboardError('invalid_parameter', 'secret must be whsec_ followed by base64 of at least 12 bytes.', { param: 'secret' });
    return secret;
  }

  async create(accountId: string, input: EndpointInput & { url: string }): Promise<WebhookEndpoint> {
    await this.urls.check(input.url, 'url');
    const now = this.clock.now();
    const endpoint: WebhookEndpoint = {
      id: newId('we', now),
      accountId,
      url: input.url,
      description: input.description ?? null,
      events: this.#events(input.events),
      secret: this.#secret(input.secret),
      createdAt: now,
      failingSince: null,
      disabledAt: null,
      disabledReason: null,
      batch: batching(input.batch),
    };
    await this.store.insertEndpoint(endpoint);
    return endpoint;
  }

  list(accountId: string): Promise<WebhookEndpoint[]> {
    return this.store.listEndpoints(accountId);
  }

  /** Where deliveries to these endpoints stand, by endpoint id; one with none yet is missing. */
  async backlog(endpoints: readonly WebhookEndpoint[]): Promise<Map<string, WebhookTargetStats>> {
    if (endpoints.length === 0) return new Map();
    return new Map((await this.store.webhookTargets(endpoints.map((e) => e.id))).map((s) => [s.endpointId, s]));
  }

  async get(accountId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.store.getEndpoint(accountId, id);
    if (!endpoint) throw new SwitchboardError('not_found', `No webhook endpoint ${JSON.stringify(id)}.`, { param: 'id' });
    return endpoint;
  }

  async update(accountId: string, id: string, input: EndpointInput): Promise<WebhookEndpoint> {
    await this.get(accountId, id);
    if (input.url !== undefined) await this.urls.check(input.url, 'url');
    await this.store.updateEndpoint(accountId, id, {
      ...(input.url !== undefined && { url: input.url }),
      ...(input.events !== undefined && { events: this.#events(input.events) }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.batch !== undefined && { batch: batching(input.batch) }),
      ...(input.enabled === true && { disabledAt: null, disabledReason: null, failingSince: null }),
      ...(input.enabled === false && { disabledAt: this.clock.now(), disabledReason: 'disabled through the API' }),
    });
    return this.get(accountId, id);
  }

  async remove(accountId: string, id: string): Promise<void> {
    if (!(await this.store.deleteEndpoint(accountId, id))) throw new SwitchboardError('not_found', `No webhook endpoint ${JSON.stringify(id)}.`, { param: 'id' });
  }

  /** The secret signing the events sent to messages' callback_url. */
  callbackSecret(accountId: string): Promise<string> {
    return this.store.callbackSecret(accountId, newWebhookSecret);
  }

  checkShape(url: string, param: string): string {
    this.urls.checkShape(url, param);
    return url;
  }

  /** A URL the server will call: its shape and addresses. */
  checkUrl(url: string, param: string): Promise<void> {
    return this.urls.check(url, param);
  }

  /** A callback_url at accept: its addresses checked, the account's callback secret ready. */
  async prepare(accountId: string, url: string, param: string): Promise<void> {
    await this.checkUrl(url, param);
    await this.callbackSecret(accountId);
  }

  deliveries(accountId: string, filter: { endpointId?: string; messageId?: string }, limit: number): Promise<WebhookDelivery[]> {
    return this.store.listDeliveries(accountId, filter, limit);
  }

  async delivery(accountId: string, id: string) {
    const found = await this.store.getDelivery(accountId, id);
    if (!found) throw new SwitchboardError('not_found', `No webhook delivery ${JSON.stringify(id)}.`, { param: 'id' });
    return found;
  }

  /**
   * Queues a delivery's event again to the same endpoint (or callback URL), as a new delivery that
   * goes the normal way (in its message's order, retried, signed) with the same event id, so that
   * a receiver that got it already can tell.
   */
  async resend(accountId: string, id: string): Promise<WebhookDelivery> {
    const now = this.clock.now();
    const resent = await this.store.resendDelivery(accountId, id, newId('whd', now), now);
    if (resent === undefined) throw new SwitchboardError('not_found', `No webhook delivery ${JSON.stringify(id)}.`, { param: 'id' });
    if (resent === 'gone') throw new SwitchboardError('webhook_endpoint_unavailable', 'The webhook endpoint of this delivery was deleted: there is nowhere to send it again.', { param: 'id' });
    if (resent === 'disabled') {
      throw new SwitchboardError('webhook_endpoint_unavailable', 'The webhook endpoint of this delivery is disabled: re-enable it (PATCH /v1/webhooks/endpoints/{id} {"enabled": true}), then resend.', { param: 'id' });
    }
    return resent;
  }

  notices(accountId: string, limit: number): Promise<Notice[]> {
    return this.store.listNotices(accountId, limit);
  }
}
