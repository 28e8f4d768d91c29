import type { Logger } from 'pino';
import { Batcher } from '../../app/batcher.js';
import type { Clock } from '../../app/clock.js';
import type { SmppOwed, Store } from '../../app/store.js';
import type { SmppSession } from '../../providers/smpp/session.js';
import { inboundPdu, receiptPdu, receiptWanted } from './receipt.js';
import { receiptMode } from './face.js';

/** A bound receiver (or transceiver) session, and the deliver_sm it has out. */
export interface Receiver {
  readonly smpp: SmppSession;
  outstanding: number;
}

export interface OutboxOptions {
  /** How long a deliver_sm's row stays leased: longer than its response may take. */
  readonly leaseMs: number;
  /** deliver_sm out at once on one session. */
  readonly window: number;
  /** How often an account's outbox is looked at when nothing woke it. */
  readonly pollMs: number;
}

const MAX_BACKOFF_MS = 60_000;

/**
 * Sends what accounts' SMPP receivers are owed (receipts, messages sent in), from the store's
 * outbox, on the sessions bound to this node: every node does so for its own sessions, so a
 * receipt reaches the account wherever it is bound, and waits in the outbox while it is bound
 * nowhere. Rows go out in order, up to each session's window; one answered with an error, or
 * not answered, goes again after a backoff (1 s doubling, at most a minute).
 */
export class SmppOutbox {
  readonly #receivers = new Map<string, Receiver[]>();
  readonly #pumping = new Set<string>();
  readonly #again = new Set<string>();
  /** deliver_sm out now, settled (answered, refused or failed) before the outbox stops. */
  readonly #sending = new Set<Promise<void>>();
  readonly #finish: Batcher<number, undefined>;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: OutboxOptions,
  ) {
    this.#finish = new Batcher<number, undefined>(async (seqs) => {
      await store.finishSmppOutbox(seqs);
      return seqs.map(() => undefined);
    });
  }

  start(): void {
    this.#timer = setInterval(() => {
      for (const account of this.#receivers.keys()) this.wake(account);
    }, this.options.pollMs);
  }

  /** Stops looking; waits for what is out (its sessions are closed first, so it settles at once). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all(this.#sending);
    await this.#finish.drain();
  }

  add(accountId: string, receiver: Receiver): void {
    this.#receivers.set(accountId, [...(this.#receivers.get(accountId) ?? []), receiver]);
    this.wake(accountId);
  }

  remove(accountId: string, receiver: Receiver): void {
    const left = (this.#receivers.get(accountId) ?? []).filter((r) => r !== receiver);
    if (left.length > 0) this.#receivers.set(accountId, left);
    else this.#receivers.delete(accountId);
  }

  /** Looks at the account's outbox now (once at a time per account; a wake meanwhile looks again after). */
  wake(accountId: string): void {
    if (this.#pumping.has(accountId)) {
      this.#again.add(accountId);
      return;
    }
    this.#pumping.add(accountId);
    void this.#pump(accountId)
      .catch((err: unknown) => this.log.error({ err, account: accountId }, 'SMPP outbox failed'))
      .finally(() => {
        this.#pumping.delete(accountId);
        if (this.#again.delete(accountId)) this.wake(accountId);
      });
  }

  async #pump(accountId: string): Promise<void> {
    const receivers = () => (this.#receivers.get(accountId) ?? []).filter((r) => !r.smpp.closed && r.outstanding < this.options.window);
    const room = receivers().reduce((n, r) => n + this.options.window - r.outstanding, 0);
    if (room === 0) return;
    const now = this.clock.now();
    const owed = await this.store.claimSmppOutbox(accountId, now, now + this.options.leaseMs, room);
    let turn = 0;
    for (const item of owed) {
      const open = receivers();
      const receiver = open[turn++ % Math.max(1, open.length)];
      if (!receiver) {
        await this.store.retrySmppOutbox([item.seq], now);
        continue;
      }
      const sending = this.#send(accountId, receiver, item).catch((err: unknown) => this.log.error({ err, account: accountId }, 'SMPP deliver_sm failed'));
      this.#sending.add(sending);
      void sending.finally(() => this.#sending.delete(sending));
    }
  }

  async #send(accountId: string, receiver: Receiver, item: SmppOwed): Promise<void> {
    if (item.kind === 'receipt' && !receiptWanted(receiptMode(item.message.face), item.message.status)) {
      await this.#finish.push(item.seq);
      return;
    }
    const { body, tlvs } = item.kind === 'receipt' ? receiptPdu(item.message) : inboundPdu(item.inbound);
    receiver.outstanding += 1;
    let answer: number | string;
    try {
      answer = (await receiver.smpp.request('deliver_sm', body, tlvs)).status;
    } catch (error) {
      answer = (error as Error).message;
    } finally {
      receiver.outstanding -= 1;
    }
    try {
      if (answer === 0) await this.#finish.push(item.seq);
      else {
        this.log.warn({ account: accountId, kind: item.kind, answer, attempts: item.attempts + 1 }, 'SMPP deliver_sm not taken: it goes again');
        await this.store.retrySmppOutbox([item.seq], this.clock.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** item.attempts));
      }
    } finally {
      // More is claimed once half the window is free: one claim (one commit) for many rows, not one per answer.
      if (receiver.outstanding <= this.options.window / 2) this.wake(accountId);
    }
  }
}
