import { nextWebhookAttempt } from '../core/policies/webhook-retry.js';
import { Batcher } from './batcher.js';
import type { Clock } from './clock.js';
import { Sleeper } from './sleeper.js';
import type { AttemptOutcome, ClaimedDelivery, Store } from './store.js';

/** A signed POST of one event to one URL: the HTTP answer, or why there was none. */
export type WebhookPost = (request: { url: string; eventId: string; timestamp: Date; body: string; secret: string }) => Promise<
  { readonly status: number; readonly text: string } | { readonly error: string }
>;

/**
 * Where a message came through a compatible API, its receipt to its own callback URL in that
 * API's format: the answer, or undefined for a delivery that goes as Switchboard's event.
 */
export type FaceCallback = (delivery: ClaimedDelivery, at: number) => ReturnType<WebhookPost> | undefined;

export interface DelivererOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly post: WebhookPost;
  /** The body of an event as receivers get it. */
  readonly render: (event: ClaimedDelivery['event']) => string;
  readonly faceCallback?: FaceCallback;
  readonly owner: string;
  readonly leaseMs: number;
  readonly pollMs: number;
  /** Deliveries in flight at once, from this node. */
  readonly concurrency: number;
  /**
   * Posts in flight to one target (an endpoint, or a callback URL) at most, across the nodes: a
   * slow target holds these slots, and the others' events keep flowing through the rest.
   */
  readonly perTarget: number;
  /** Shrinks the retry schedule (1: 5 s ... 8 h over a day). */
  readonly retryScale: number;
  /** An endpoint failing without a break for this long is disabled. */
  readonly disableAfterMs: number;
  readonly random: () => number;
  readonly onError: (error: unknown) => void;
  readonly onDisabled: (accountId: string, endpointId: string, url: string) => void;
}

const EXCERPT = 1024;

/**
 * Sends webhook events, at least once: deliveries live in the store until delivered or given up,
 * are claimed under a lease (a node that dies leaves them to the others), retried on the
 * schedule of `nextWebhookAttempt`, and every attempt is recorded.
 */
export class WebhookDeliverer {
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  readonly #sleeper = new Sleeper();
  /** Posts in flight, by delivery id. */
  readonly #inFlight = new Map<string, Promise<void>>();
  #renewal: NodeJS.Timeout | undefined;
  /** Answers that come in together are recorded together: one commit for a burst, not one each. */
  readonly #records: Batcher<AttemptOutcome, boolean>;

  constructor(private readonly opts: DelivererOptions) {
    this.#records = new Batcher((outcomes) => opts.store.recordAttempts(outcomes));
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
    // A post may wait longer than the lease (10 s of post timeout): its claim is kept while it
    // is in flight, or another node would claim it and post it again.
    this.#renewal = setInterval(() => void this.#renewLeases(), Math.max(1, Math.floor(this.opts.leaseMs / 3)));
  }

  async #renewLeases(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    const { store, clock, owner, leaseMs } = this.opts;
    try {
      await store.renewDeliveryLeases(owner, [...this.#inFlight.keys()], clock.now() + leaseMs);
    } catch (error) {
      this.opts.onError(error);
    }
  }

  /** Stops claiming, and waits for the posts in flight to end. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#sleeper.wake();
    await this.#loop;
    clearInterval(this.#renewal);
  }

  // Claims as slots free, not batch by batch: a slow endpoint holds its own slots, not everyone's.
  async #run(): Promise<void> {
    while (this.#running) {
      const free = this.opts.concurrency - this.#inFlight.size;
      if (free === 0) {
        await Promise.race(this.#inFlight.values());
        continue;
      }
      let claimed = 0;
      try {
        const now = this.opts.clock.now();
        const batch = await this.opts.store.claimDeliveries({ now, limit: free, perTarget: this.opts.perTarget, owner: this.opts.owner, leaseUntil: now + this.opts.leaseMs });
        claimed = batch.length;
        for (const d of batch) {
          // Still in flight past its lease (a renewal came late): claimed again, it is only renewed.
          if (this.#inFlight.has(d.id)) continue;
          const post = this.#deliver(d)
            .catch(this.opts.onError)
            .finally(() => {
              this.#inFlight.delete(d.id);
              // A delivery done may let the next event of its message go.
              this.#sleeper.wake();
            });
          this.#inFlight.set(d.id, post);
        }
      } catch (error) {
        this.opts.onError(error);
      }
      if (claimed === 0 && this.#running) await this.#sleeper.sleep(this.opts.pollMs);
    }
    await Promise.all(this.#inFlight.values());
  }

  async #deliver(d: ClaimedDelivery): Promise<void> {
    const { clock } = this.opts;
    const started = clock.now();
    // Signed at the time of sending: receivers refuse a webhook-timestamp far from their clock.
    const answer = await (this.opts.faceCallback?.(d, started) ??
      this.opts.post({ url: d.url, eventId: d.event.id, timestamp: new Date(started), body: this.opts.render(d.event), secret: d.secret }));
    const at = clock.now();
    const ok = 'status' in answer && answer.status >= 200 && answer.status < 300;
    // A target failing as a whole waits as long as its failures in a row say, not only this delivery's.
    const retryAt = ok ? null : nextWebhookAttempt(Math.max(d.attempts, d.targetFailures) + 1, d.event.createdAt, at, this.opts.random(), this.opts.retryScale);
    const held = await this.#records.push({
      deliveryId: d.id,
      owner: this.opts.owner,
      endpointId: d.endpointId,
      attempt: {
        at,
        statusCode: 'status' in answer ? answer.status : null,
        error: 'error' in answer ? answer.error : null,
        latencyMs: at - started,
        responseExcerpt: 'text' in answer ? answer.text.slice(0, EXCERPT) : null,
      },
      result: ok ? 'delivered' : retryAt === null ? 'failed' : 'retry',
      retryAt,
    });
    // Taken over by another node while this post waited: its record stands, not this answer.
    if (!held) return;
    if (!ok && d.endpointId) await this.#disableIfDead(d.accountId, d.endpointId, at);
  }

  /**
   * An endpoint that has failed without a break for too long is disabled, and its account told:
   * a notice, and an endpoint.disabled event to its other endpoints.
   */
  async #disableIfDead(accountId: string, endpointId: string, now: number): Promise<void> {
    const endpoint = await this.opts.store.getEndpoint(accountId, endpointId);
    if (!endpoint || endpoint.disabledAt !== null || endpoint.failingSince === null || now - endpoint.failingSince < this.opts.disableAfterMs) return;
    const days = Math.round((now - endpoint.failingSince) / 86_400_000);
    const reason = `every delivery failed for ${days >= 1 ? `${days} day(s)` : `${Math.round((now - endpoint.failingSince) / 1000)} s`}`;
    const disabled = await this.opts.store.disableEndpoint(accountId, endpointId, {
      at: now,
      reason,
      notice: {
        at: now,
        type: 'webhook_endpoint_disabled',
        message: `The webhook endpoint ${endpoint.url} was disabled: ${reason}. Fix it, then re-enable it with PATCH /v1/webhooks/endpoints/${endpointId} {"enabled": true}.`,
        detail: { endpoint_id: endpointId, url: endpoint.url, failing_since: new Date(endpoint.failingSince).toISOString() },
      },
      event: { endpoint: { id: endpointId, url: endpoint.url, disabled_at: new Date(now).toISOString(), disabled_reason: reason } },
    });
    // Another node's post to it may have got there first.
    if (disabled) this.opts.onDisabled(accountId, endpointId, endpoint.url);
  }
}
