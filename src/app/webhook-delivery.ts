import { createHash } from 'node:crypto';
import { nextWebhookAttempt } from '../core/policies/webhook-retry.js';
import type { Clock } from './clock.js';
import { Sleeper } from './sleeper.js';
import type { AttemptOutcome, ClaimedDelivery, Store } from './store.js';

/**
 * A signed POST of a body to one URL: the HTTP answer, or why there was none. `id` is the
 * `webhook-id`: the event's id, or a batch's.
 */
export type WebhookPost = (request: { url: string; id: string; timestamp: Date; body: string; secret: string }) => Promise<
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
   * Whether accepting and sending are short of the node's time (see LivePressure). While they
   * are and a backlog is draining (the events claimed are over BACKLOG_AGE_MS old), posts in
   * flight (in all and per target) drop to MIN_SHARE of their settings, and the backlog takes
   * the time left; they grow back as soon as either ends. Live events are not held back.
   */
  readonly pressed?: () => boolean;
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

/** Events this old when claimed are a backlog draining, not live traffic. */
const BACKLOG_AGE_MS = 10_000;

/**
 * The share of the concurrency settings a backlog keeps while live work is pressed: one post at
 * a time per endpoint at the default 64. Taken at once, not step by step: a fast endpoint's
 * backlog drains thousands of events a second, and each step down cost accepts.
 */
const MIN_SHARE = 1 / 64;

/** A batch's webhook-id: the same for the same events, so a batch retried as it was keeps its id. */
function batchId(deliveries: readonly ClaimedDelivery[]): string {
  return `batch_${createHash('sha256').update(deliveries.map((d) => d.event.id).join(',')).digest('hex').slice(0, 32)}`;
}

/** Deliveries to an endpoint that batches, waiting for company until the batch is full or its wait is over. */
interface Gathering {
  readonly deliveries: ClaimedDelivery[];
  readonly timer: NodeJS.Timeout;
}

/**
 * Sends webhook events, at least once: deliveries live in the store until delivered or given up,
 * are claimed under a lease (a node that dies leaves them to the others), retried on the
 * schedule of `nextWebhookAttempt`, and every attempt is recorded.
 *
 * One loop does the store's work in rounds, one transaction each: the answers that came in since
 * the last round are recorded and, in the same commit, the slots they freed are claimed again. A
 * round starts when the current turn of the event loop ends after an answer, so the answers of a
 * burst share one commit. Live events skip the claim: those of status changes are leased to this
 * node in the transaction that makes them (Store.leaseAsMade).
 */
export class WebhookDeliverer {
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  readonly #sleeper = new Sleeper();
  /** Deliveries leased to this node and not yet recorded (posting, gathering or answered), by id. */
  readonly #leased = new Map<string, ClaimedDelivery>();
  /** Answers waiting for the next round. */
  #answers: AttemptOutcome[] = [];
  readonly #posts = new Set<Promise<void>>();
  readonly #gathering = new Map<string, Gathering>();
  #renewal: NodeJS.Timeout | undefined;
  /** The share of the concurrency settings allowed now: 1, less while live work is pressed and a backlog drains. */
  #share = 1;
  #adjustedAt = 0;
  /** Whether the last claim took events of a backlog. */
  #draining = false;

  constructor(private readonly opts: DelivererOptions) {}

  /** Drops the share while live work is pressed, doubles it back when not (once per 100 ms at most). */
  #adjust(): void {
    const { pressed } = this.opts;
    const now = Date.now();
    if (!pressed || now - this.#adjustedAt < 100) return;
    this.#adjustedAt = now;
    this.#share = this.#draining && pressed() ? MIN_SHARE : Math.min(1, this.#share * 2);
  }

  start(): void {
    this.#running = true;
    // Live events skip the claim: the transaction that makes one leases it here when there is room.
    this.opts.store.leaseAsMade({
      owner: this.opts.owner,
      room: () => ({
        count: this.#running ? this.#room() : 0,
        leaseUntil: this.opts.clock.now() + this.opts.leaseMs,
        perTarget: Math.ceil(this.opts.perTarget * this.#share),
      }),
      // Made as this node stopped: their leases lapse, and they are taken over.
      take: (deliveries) => {
        if (this.#running) this.#send(deliveries);
      },
    });
    this.#loop = this.#run();
    // A post may wait longer than the lease (10 s of post timeout), a batch for company: the
    // claim is kept, or another node would claim it and post it again.
    this.#renewal = setInterval(() => void this.#renewLeases(), Math.max(1, Math.floor(this.opts.leaseMs / 3)));
  }

  async #renewLeases(): Promise<void> {
    if (this.#leased.size === 0) return;
    const { store, clock, owner, leaseMs } = this.opts;
    try {
      await store.renewDeliveryLeases(owner, [...this.#leased.keys()], clock.now() + leaseMs);
    } catch (error) {
      this.opts.onError(error);
    }
  }

  /** Stops claiming, posts what was gathering, and waits for the posts in flight to end and be recorded. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#sleeper.wake();
    await this.#loop;
    for (const target of [...this.#gathering.keys()]) this.#flush(target);
    while (this.#posts.size > 0) await Promise.all(this.#posts);
    await this.#round(0);
    clearInterval(this.#renewal);
  }

  async #run(): Promise<void> {
    while (this.#running) {
      // Answers that arrive in the same turn go in the same round.
      await new Promise((r) => setImmediate(r));
      this.#adjust();
      const room = this.#room();
      const claimed = this.#answers.length > 0 || room > 0 ? await this.#round(room) : 0;
      // A full claim may leave more due: the next round comes at once. Otherwise the next answer, or the poll, starts it.
      if (this.#running && this.#answers.length === 0 && (room <= 0 || claimed < room)) await this.#sleeper.sleep(this.opts.pollMs);
    }
  }

  /** Posts this node may start now: its share of the concurrency setting, less those in flight (answered ones are no longer). */
  #room(): number {
    return Math.ceil(this.opts.concurrency * this.#share) - (this.#leased.size - this.#answers.length);
  }

  /** Records the answers waiting and claims up to `room` deliveries, in one transaction; returns how many were claimed. */
  async #round(room: number): Promise<number> {
    const outcomes = this.#answers;
    this.#answers = [];
    const { clock, owner, leaseMs } = this.opts;
    const perTarget = Math.ceil(this.opts.perTarget * this.#share);
    const now = clock.now();
    let result: { held: boolean[]; claimed: ClaimedDelivery[] };
    try {
      result = await this.opts.store.settleAndClaim(outcomes, { now, limit: Math.max(0, room), perTarget, owner, leaseUntil: now + leaseMs });
    } catch (error) {
      this.opts.onError(error);
      this.#answers.unshift(...outcomes);
      if (this.#running) await this.#sleeper.sleep(this.opts.pollMs);
      return 0;
    }
    const failing = new Map<string, { accountId: string; at: number }>();
    outcomes.forEach((o, i) => {
      const d = this.#leased.get(o.deliveryId);
      this.#leased.delete(o.deliveryId);
      // Taken over by another node while this post waited: its record stands, not this answer.
      if (result.held[i] && o.result !== 'delivered' && o.endpointId && d) failing.set(o.endpointId, { accountId: d.accountId, at: o.attempt.at });
    });
    for (const [endpointId, { accountId, at }] of failing) this.#track(this.#disableIfDead(accountId, endpointId, at));
    if (result.claimed.length > 0) this.#draining = result.claimed.some((d) => now - d.event.createdAt > BACKLOG_AGE_MS);
    this.#send(result.claimed);
    return result.claimed.length;
  }

  #send(deliveries: readonly ClaimedDelivery[]): void {
    for (const d of deliveries) {
      // Still in flight past its lease (a renewal came late): claimed again, it is only renewed.
      if (this.#leased.has(d.id)) continue;
      this.#leased.set(d.id, d);
      // A failing endpoint is probed with one event, batching or not.
      if (d.batch && d.targetFailures === 0) this.#gather(d);
      else this.#track(this.#deliver([d]));
    }
  }

  #gather(d: ClaimedDelivery): void {
    const batch = d.batch!;
    // Only endpoints batch: an endpoint's id is its target.
    const target = d.endpointId!;
    let g = this.#gathering.get(target);
    if (!g) {
      g = { deliveries: [], timer: setTimeout(() => this.#flush(target), batch.maxWaitMs) };
      this.#gathering.set(target, g);
    }
    g.deliveries.push(d);
    if (g.deliveries.length >= batch.maxEvents) this.#flush(target);
  }

  #flush(target: string): void {
    const g = this.#gathering.get(target);
    if (!g) return;
    clearTimeout(g.timer);
    this.#gathering.delete(target);
    this.#track(this.#deliver(g.deliveries));
  }

  #track(work: Promise<void>): void {
    const tracked = work.catch(this.opts.onError).finally(() => this.#posts.delete(tracked));
    this.#posts.add(tracked);
  }

  /** Posts one event, or a batch of an endpoint that batches (a JSON array, signed once), and queues the answer for the next round. */
  async #deliver(ds: readonly ClaimedDelivery[]): Promise<void> {
    const { clock } = this.opts;
    const first = ds[0]!;
    const started = clock.now();
    const body = first.batch ? `[${ds.map((d) => this.opts.render(d.event)).join(',')}]` : this.opts.render(first.event);
    // Signed at the time of sending: receivers refuse a webhook-timestamp far from their clock.
    // A face's receipt (never batched: only endpoints batch) goes in that API's format.
    const answer = await ((!first.batch && this.opts.faceCallback?.(first, started)) ||
      this.opts.post({ url: first.url, id: first.batch ? batchId(ds) : first.event.id, timestamp: new Date(started), body, secret: first.secret }));
    const at = clock.now();
    const ok = 'status' in answer && answer.status >= 200 && answer.status < 300;
    const attempt = {
      at,
      statusCode: 'status' in answer ? answer.status : null,
      error: 'error' in answer ? answer.error : null,
      latencyMs: at - started,
      responseExcerpt: 'text' in answer ? answer.text.slice(0, EXCERPT) : null,
    };
    for (const d of ds) {
      // A target failing as a whole waits as long as its failures in a row say, not only this delivery's.
      const retryAt = ok ? null : nextWebhookAttempt(Math.max(d.attempts, d.targetFailures) + 1, d.event.createdAt, at, this.opts.random(), this.opts.retryScale);
      const result = ok ? 'delivered' : retryAt === null ? 'failed' : 'retry';
      this.#answers.push({ deliveryId: d.id, owner: this.opts.owner, endpointId: d.endpointId, attempt, result, retryAt, failuresInARow: ok ? 0 : d.targetFailures + 1 });
    }
    this.#sleeper.wake();
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
