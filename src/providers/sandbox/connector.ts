import { randomBytes } from 'node:crypto';
import type { Clock } from '../../app/clock.js';
import type { Connector, ConnectorContext, OutboundMessage, ReceiptReport, SubmitResult } from '../../app/connector.js';
import { sandboxLookups } from './lookups.js';
import type { Random } from '../../core/quality/random.js';
import { receiptFor, type DestinationProfiles } from './destinations.js';
import { behaviourFor, isReservedNumber } from './numbers.js';

export interface SandboxOptions {
  readonly name: string;
  readonly clock: Clock;
  /** Delay before the delivery receipt. Default 200 ms. */
  readonly receiptDelayMs?: number;
  /** Default: unlimited, it is in process. */
  readonly tps?: number;
  readonly window?: number;
  /** How numbers under some prefixes are treated: delivery rate, latency, fake or no receipts. */
  readonly destinations?: DestinationProfiles;
  /** Draws of the delivery rates; default Math.random (seeded in tests). */
  readonly random?: Random;
}

/** How long a receipt the node refused waits before it comes again, doubling up to the most. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 60_000;

/**
 * A simulated carrier, in process: it answers with a provider message id, then sends the receipt
 * its magic numbers call for, after a delay. The default connection, so a new install works at once.
 */
export class SandboxConnector implements Connector {
  readonly provider = 'sandbox';
  readonly name: string;
  readonly tps: number;
  readonly window: number;
  readonly ready = true;
  readonly webhooks = null;
  readonly lookups = sandboxLookups;
  readonly capabilities = { receipts: true, unicode: true, maxParts: 10, reservedNumbers: isReservedNumber };
  readonly #delay: number;
  readonly #clock: Clock;
  readonly #destinations: DestinationProfiles;
  readonly #random: Random;
  readonly #throttled = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  // Provider ids: a random prefix per start (ids of earlier runs never collide) and a sequence.
  readonly #idPrefix = randomBytes(6).toString('hex').toUpperCase();
  #sequence = 0;
  #context: ConnectorContext | undefined;

  constructor(options: SandboxOptions) {
    this.name = options.name;
    this.tps = options.tps ?? Number.POSITIVE_INFINITY;
    this.window = options.window ?? 1000;
    this.#delay = options.receiptDelayMs ?? 200;
    this.#clock = options.clock;
    this.#destinations = options.destinations ?? {};
    this.#random = options.random ?? Math.random;
  }

  async start(context: ConnectorContext): Promise<void> {
    this.#context = context;
    // The receipts a previous run still owed (it stopped, or crashed, before their delay).
    for (const { providerMessageId, to } of await context.awaitingReceipts()) this.#receiptLater(providerMessageId, to);
  }

  async send(message: OutboundMessage): Promise<SubmitResult> {
    const behaviour = behaviourFor(message.to);
    if (behaviour.firstSubmit && !this.#throttled.has(message.id)) {
      this.#throttled.add(message.id);
      return this.#refused(behaviour.firstSubmit, message);
    }
    if (behaviour.submit) return this.#refused(behaviour.submit, message);
    this.#throttled.delete(message.id);
    const id = `${this.#idPrefix}${(++this.#sequence).toString(16).toUpperCase().padStart(8, '0')}`;
    this.#receiptLater(id, message.to);
    return { kind: 'accepted', providerMessageIds: [id], raw: { 'message-id': id, status: 'ACCEPTED', to: message.to } };
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #refused(code: string, message: OutboundMessage): SubmitResult {
    return { kind: 'refused', code: { provider: 'sandbox', context: 'submit', code }, raw: { status: code, to: message.to } };
  }

  #receiptLater(id: string, to: string): void {
    const { receipt: code, delayMs } = receiptFor(to, this.#destinations, this.#random, this.#delay);
    if (code === null) return;
    this.#later(delayMs, () => {
      const doneAt = this.#clock.now();
      this.#deliver(
        {
          providerMessageId: id,
          status: { provider: 'sandbox', context: 'receipt', code },
          occurredAt: doneAt,
          raw: { 'message-id': id, to, status: code, 'done-date': new Date(doneAt).toISOString() },
        },
        RETRY_FIRST_MS,
      );
    });
  }

  /**
   * A receipt the node could not take (its store full or out of reach; it logged why) comes
   * again later, backing off, as a carrier delivers again a receipt that was not acknowledged.
   */
  #deliver(report: ReceiptReport, retryMs: number): void {
    this.#context?.receipt(report).catch(() => this.#later(retryMs, () => this.#deliver(report, Math.min(retryMs * 2, RETRY_MAX_MS))));
  }

  #later(delayMs: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, delayMs);
    this.#timers.add(timer);
  }
}
