import type { CanonicalErrorDef } from '../catalogue/types.js';

/** When a connection's circuit breaker opens, and how it probes the connection back. */
export interface BreakerPolicy {
  /** Consecutive failures that open the circuit. Default 5. */
  readonly failures: number;
  /** How long an open circuit sends nothing before one probe. Default 30 s, doubled after each failed probe. */
  readonly openMs: number;
  /** Ceiling of the open spell. Default 5 minutes. */
  readonly maxOpenMs: number;
}

export const DEFAULT_BREAKER: BreakerPolicy = { failures: 5, openMs: 30_000, maxOpenMs: 300_000 };

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * A connection's circuit breaker. Closed, every message may go; after `failures` failures in a
 * row it opens and the connection gets nothing (its messages fail over); once the open spell is
 * over, one message goes as a probe (half open): success closes it, failure opens it again,
 * for twice as long.
 */
export class CircuitBreaker {
  #failures = 0;
  #openUntil = 0;
  #openMs: number;
  #probing = false;

  constructor(private readonly policy: BreakerPolicy = DEFAULT_BREAKER) {
    this.#openMs = policy.openMs;
  }

  state(now: number): BreakerState {
    if (this.#failures < this.policy.failures) return 'closed';
    return now < this.#openUntil ? 'open' : 'half_open';
  }

  /** Whether a message may be sent now; in half open, only the one probe. */
  allows(now: number): boolean {
    const state = this.state(now);
    return state === 'closed' || (state === 'half_open' && !this.#probing);
  }

  /** Whether messages may be routed here: closed, or ready to probe. */
  available(now: number): boolean {
    return this.state(now) !== 'open';
  }

  /** A send is starting; in half open it is the probe. */
  started(now: number): void {
    if (this.state(now) === 'half_open') this.#probing = true;
  }

  succeeded(): void {
    this.#failures = 0;
    this.#probing = false;
    this.#openMs = this.policy.openMs;
  }

  /**
   * A send whose answer says nothing of the connection's health: throttled. The failure count
   * stands, and a probe hands its place back, so that the next message probes. Throttling shows
   * the provider is there but not that it sends (closing on it would let the whole flow onto a
   * connection that may still refuse it), and it is our pace at fault, not the connection
   * (opening again would punish it for that).
   */
  inconclusive(): void {
    this.#probing = false;
  }

  /** A failure that says the connection, not the message, is at fault. True when it opened the circuit. */
  failed(now: number): boolean {
    const wasProbe = this.#probing;
    this.#probing = false;
    this.#failures++;
    if (wasProbe) this.#openMs = Math.min(this.#openMs * 2, this.policy.maxOpenMs);
    if (this.#failures < this.policy.failures || (!wasProbe && now < this.#openUntil)) return false;
    this.#openUntil = now + this.#openMs;
    return true;
  }
}

/**
 * Whether a failure is the connection's fault (its provider is failing, refuses our credentials
 * or account) rather than the message's or the handset's: what trips the circuit breaker.
 * Throttling is not: it asks us to slow down, and the pacer and retries do.
 */
export function isConnectionFault(error: Pick<CanonicalErrorDef, 'type' | 'failover'>): boolean {
  return error.failover && (error.type === 'provider_error' || error.type === 'authentication_error' || error.type === 'account_error');
}
