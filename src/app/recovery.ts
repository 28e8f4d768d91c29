import type { Catalogue } from '../core/catalogue/catalogue.js';
import type { CanonicalCode } from '../core/catalogue/canonical.js';
import type { MessageStatus } from '../core/lifecycle.js';
import type { Message, MessageError, MessageEvent } from '../core/message.js';
import { afterFailure, type RetryPolicy } from '../core/policies/retry.js';
import type { Transition } from './store.js';

/** A failed attempt of a message, at submit or in a receipt. */
export interface Failure {
  readonly message: Pick<Message, 'id' | 'connection' | 'route' | 'attempts' | 'expiresAt'>;
  readonly error: MessageError;
  /** The status the message ends in if it is not tried again. */
  readonly finalState: MessageStatus;
  readonly from: readonly MessageStatus[];
  readonly now: number;
  /** The event's type when the failure is final ("submit_failed", "receipt"). */
  readonly finalType: string;
  readonly detail: Record<string, unknown>;
  readonly payload: unknown;
  readonly retryAfterMs?: number;
}

/**
 * Turns a failure into the message's next transition, as the catalogue's error says: to the next
 * connection of its route (failover), back to the queue for later (retry), or to its final status.
 */
export class Recovery {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly policy: RetryPolicy,
    private readonly available: (connection: string) => boolean,
    private readonly random: () => number,
  ) {}

  plan(f: Failure): Transition {
    const { message, error, now } = f;
    const step = afterFailure({
      error,
      failover: this.catalogue.canonical(error.code as CanonicalCode).failover,
      attempts: message.attempts,
      now,
      expiresAt: message.expiresAt,
      policy: this.policy,
      random: this.random(),
      ...(f.retryAfterMs !== undefined && { retryAfterMs: f.retryAfterMs }),
      chain: message.route?.chain ?? [message.connection],
      current: message.connection,
      available: this.available,
    });
    const base = { messageId: message.id, from: f.from, error };
    const event = (type: string, status: MessageStatus, detail: Record<string, unknown>): MessageEvent => ({
      at: now,
      type,
      status,
      error,
      detail: { ...f.detail, ...detail },
      payload: f.payload,
    });
    switch (step.action) {
      case 'failover':
        return { ...base, to: 'queued', connection: step.connection, dueAt: now, event: event('failover', 'queued', { to_connection: step.connection }) };
      case 'retry':
        return { ...base, to: 'queued', dueAt: step.at, event: event('retry_scheduled', 'queued', { retry_at: new Date(step.at).toISOString(), attempts: message.attempts }) };
      case 'give_up':
        return { ...base, to: f.finalState, dueAt: null, event: event(f.finalType, f.finalState, { why: step.why }) };
    }
  }
}
