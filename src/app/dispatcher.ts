import type { Catalogue } from '../core/catalogue/catalogue.js';
import { interpret, messageError } from '../core/catalogue/interpret.js';
import { encodeText } from '../core/encoding/segments.js';
import type { Message, MessageError, MessageEvent } from '../core/message.js';
import { decideRetry, refusedStatus, type RetryPolicy } from '../core/policies/retry.js';
import type { Clock } from './clock.js';
import type { Connector, SubmitResult } from './connector.js';
import type { Metrics } from './metrics.js';
import type { ReceiptIngest } from './receipts.js';
import type { ClaimedMessage, Store, Transition } from './store.js';
import { Pacer, Window } from './throughput.js';
import type { TransitionWriter } from './transitions.js';

export interface DispatcherOptions {
  readonly store: Store;
  readonly catalogue: Catalogue;
  readonly clock: Clock;
  readonly writer: TransitionWriter;
  readonly receipts: ReceiptIngest;
  readonly metrics: Metrics;
  readonly connectors: ReadonlyMap<string, Connector>;
  /** This node's name: the owner of its claims. */
  readonly owner: string;
  readonly retry: RetryPolicy;
  /** How long a claim holds before another node (or this one, after a restart) may take it over. */
  readonly leaseMs: number;
  /** How often to look for due work without being woken (scheduled messages, expiries). */
  readonly pollMs: number;
  readonly random: () => number;
  readonly onError: (error: unknown, connection: string) => void;
}

function event(at: number, type: string, status: Message['status'] | null, detail: Record<string, unknown> | null, error: MessageError | null = null, payload: unknown = null): MessageEvent {
  return { at, type, status, error, detail, payload };
}

/**
 * Takes due messages from the store and hands them to their connection, one lane per connection
 * so that a slow one never holds up the others. A lane claims no more than it can send soon (its
 * window and its TPS bound it), so memory stays flat whatever the backlog.
 */
export class Dispatcher {
  readonly #lanes = new Map<string, Lane>();

  constructor(private readonly opts: DispatcherOptions) {
    for (const connector of opts.connectors.values()) this.#lanes.set(connector.name, new Lane(connector, opts));
  }

  start(): void {
    for (const lane of this.#lanes.values()) lane.start();
  }

  wake(connections: Iterable<string>): void {
    for (const c of connections) this.#lanes.get(c)?.wake();
  }

  /** Stops claiming, waits for the submits in flight, and writes their outcomes. */
  async stop(): Promise<void> {
    await Promise.all([...this.#lanes.values()].map((l) => l.stop()));
    await this.opts.writer.drain();
  }
}

class Lane {
  readonly #pacer: Pacer;
  readonly #window: Window;
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  #wakeUp: (() => void) | undefined;
  #woken = false;
  readonly #sends = new Set<Promise<void>>();

  constructor(
    private readonly connector: Connector,
    private readonly opts: DispatcherOptions,
  ) {
    this.#pacer = new Pacer(connector.tps, opts.clock);
    this.#window = new Window(connector.window);
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wakeUp?.();
    await this.#loop;
    await Promise.all(this.#sends);
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let claimed = 0;
      try {
        claimed = await this.#round();
      } catch (error) {
        this.opts.onError(error, this.connector.name);
      }
      if (claimed === 0 && this.#running) await this.#sleep();
    }
  }

  async #sleep(): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.opts.pollMs);
      this.#wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wakeUp = undefined;
    this.#woken = false;
  }

  async #round(): Promise<number> {
    const { store, clock, owner, leaseMs } = this.opts;
    // While the connection is down its messages wait, queued; only those past validity move on.
    const ready = this.connector.ready;
    // Claim in sizeable batches: one transaction for many messages, not one each.
    if (ready) await this.#window.whenFree(Math.ceil(this.connector.window / 2));
    if (!this.#running) return 0;
    const now = clock.now();
    const claimed = await store.claimDue({
      connection: this.connector.name,
      now,
      expiredOnly: !ready,
      limit: ready ? Math.max(1, Math.min(this.#window.free, Math.ceil(this.connector.tps))) : 500,
      owner,
      leaseUntil: now + leaseMs,
      startEvents: (m) => [
        ...(m.status === 'scheduled' ? [event(now, 'queued', 'queued', { reason: 'send_at reached' })] : []),
        event(now, 'sending', 'sending', { connection: this.connector.name, attempt: m.attempts + 1 }),
      ],
    });
    const toSend: ClaimedMessage[] = [];
    const settled: Promise<unknown>[] = [];
    for (const message of claimed) {
      if (message.status === 'sending' && message.claimedFrom !== 'sending') toSend.push(message);
      else settled.push(this.#settle(message, now));
    }
    for (const message of toSend) {
      await this.#window.acquire();
      await this.#pacer.slot(message.segments); // carriers count throughput in segments
      const send = this.#send(message, message.attempts).finally(() => {
        this.#window.release();
        this.#sends.delete(send);
      });
      this.#sends.add(send);
    }
    await Promise.all(settled);
    return claimed.length;
  }

  /** A claimed message that is not to be sent: expired, or left mid-send by a node that stopped. */
  async #settle(message: ClaimedMessage, now: number): Promise<void> {
    const { writer, catalogue } = this.opts;
    if (message.claimedFrom === 'sending') {
      // The provider may or may not have it: it goes again, on the same connection.
      await writer.apply({
        messageId: message.id,
        from: ['sending'],
        to: 'queued',
        event: event(now, 'recovered', 'queued', { reason: 'the previous send attempt was interrupted', connection: this.connector.name }),
        dueAt: now,
      });
      return;
    }
    const error = messageError(
      catalogue,
      'message_expired',
      message.claimedFrom === 'sent' ? 'No final delivery receipt arrived within the validity period.' : 'The message could not be sent within its validity period.',
    );
    await writer.apply({
      messageId: message.id,
      from: [message.claimedFrom],
      to: 'expired',
      event: event(now, 'expired', 'expired', { expires_at: new Date(message.expiresAt).toISOString() }, error),
      error,
      dueAt: null,
    });
  }

  async #send(message: Message, attempt: number): Promise<void> {
    const started = this.opts.clock.now();
    let result: SubmitResult;
    try {
      result = await this.connector.send({
        id: message.id,
        to: message.to,
        from: message.from,
        text: message.text,
        encoding: message.encoding,
        parts: encodeText(message.text, message.encoding).parts,
        expiresAt: message.expiresAt,
        attempt,
      });
    } catch (error) {
      result = { kind: 'unknown', reason: error instanceof Error ? error.message : String(error) };
    }
    const now = this.opts.clock.now();
    this.opts.metrics.dispatched(this.connector.name, (now - started) / 1000);
    try {
      await this.#outcome(message, attempt, result, now);
    } catch (error) {
      this.opts.onError(error, this.connector.name);
    }
  }

  async #outcome(message: Message, attempt: number, result: SubmitResult, now: number): Promise<void> {
    const { writer, catalogue, receipts } = this.opts;
    const connection = this.connector.name;
    if (result.kind === 'accepted') {
      const ids = result.providerMessageIds;
      const idKey = this.connector.capabilities.idKey;
      const keys = idKey ? ids.map(idKey) : ids;
      const recorded = writer.apply({
        messageId: message.id,
        from: ['sending'],
        to: 'sent',
        event: event(now, 'sent', 'sent', { connection, attempt, provider_message_ids: ids }, null, result.raw ?? null),
        dueAt: this.connector.capabilities.receipts ? message.expiresAt : null,
        ...(ids[0] !== undefined && { providerMessageId: ids[0] }),
        providerIds: keys.map((key, i) => ({ connection, providerMessageId: key, messageId: message.id, part: i + 1, parts: ids.length })),
      });
      receipts.recording(connection, keys, recorded);
      await recorded;
      await receipts.release(connection, keys, this.connector.capabilities.idVariants);
      return;
    }
    if (result.kind === 'unknown') {
      // Resending could put the message twice on the handset: wait for a receipt instead.
      const error = messageError(catalogue, 'provider_timeout', `No trustworthy answer from the provider: ${result.reason}`);
      await writer.apply({
        messageId: message.id,
        from: ['sending'],
        to: 'sent',
        event: event(now, 'submit_unknown', 'sent', { connection, attempt }, error, result.raw ?? null),
        dueAt: message.expiresAt,
      });
      return;
    }
    const { state, error } = interpret(catalogue, result.code);
    const failure = error ?? messageError(catalogue, 'unknown_error', 'The provider refused the message without an error code.', result.code);
    const decision = decideRetry(failure, attempt, now, message.expiresAt, this.opts.retry, this.opts.random(), result.retryAfterMs);
    const base = { connection, attempt, provider_code: result.code.code };
    const finalState = refusedStatus(failure, state);
    const transition: Transition = decision.retry
      ? {
          messageId: message.id,
          from: ['sending'],
          to: 'queued',
          event: event(now, 'retry_scheduled', 'queued', { ...base, retry_at: new Date(decision.at).toISOString() }, failure, result.raw ?? null),
          error: failure,
          dueAt: decision.at,
        }
      : {
          messageId: message.id,
          from: ['sending'],
          to: finalState,
          event: event(now, 'submit_failed', finalState, { ...base, why: decision.why }, failure, result.raw ?? null),
          error: failure,
          dueAt: null,
        };
    await writer.apply(transition);
  }
}
