import type { MessageStatus } from '../lifecycle.js';
import type { MessageError } from '../message.js';
import { nextConnection, type MessageRoute } from '../routing/router.js';

/** How failed submits are tried again: exponential backoff with jitter (half fixed, half random), bounded. */
export interface RetryPolicy {
  /** Most submit attempts for one message, the first included. Default 5. */
  readonly maxAttempts: number;
  /** Delay before the second attempt, doubled for each one after. Default 1 s. */
  readonly baseDelayMs: number;
  /** Ceiling of any one delay. Default 5 minutes. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 300_000 };

export type RetryDecision = { readonly retry: true; readonly at: number } | { readonly retry: false; readonly why: string };

/**
 * Whether a failed attempt is tried again, and when. Only errors the catalogue says may succeed
 * after a delay are; never past the message's validity. `retryAfterMs`, when the provider gave
 * one, is a floor. `random` is in [0, 1).
 */
export function decideRetry(
  error: MessageError,
  attempts: number,
  now: number,
  expiresAt: number,
  policy: RetryPolicy,
  random: number,
  retryAfterMs?: number,
): RetryDecision {
  if (error.retry !== 'after_delay') return { retry: false, why: `${error.code} is not retried (${error.retry})` };
  if (attempts >= policy.maxAttempts) return { retry: false, why: `gave up after ${attempts} attempts` };
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
  const delay = Math.max(retryAfterMs ?? 0, Math.round(ceiling / 2 + (ceiling / 2) * random));
  const at = now + delay;
  if (at >= expiresAt) return { retry: false, why: 'the next attempt would fall after the message expires' };
  return { retry: true, at };
}

/**
 * The final status of a submit refused for good: the provider's own state when its code names
 * one; else `rejected` when the message itself can never go, `failed` when a transient error
 * outlasted the retries.
 */
export function refusedStatus(error: MessageError, providerState: MessageStatus | undefined): 'rejected' | 'failed' {
  if (providerState === 'rejected' || providerState === 'failed') return providerState;
  return error.permanent ? 'rejected' : 'failed';
}

/** What becomes of a message after a failed attempt. */
export type FailureStep =
  | { readonly action: 'failover'; readonly connection: string }
  | { readonly action: 'retry'; readonly at: number }
  | { readonly action: 'give_up'; readonly why: string };

export interface FailureInput {
  readonly error: MessageError;
  /** Whether the catalogue says another connection may succeed where this one failed. */
  readonly failover: boolean;
  readonly attempts: number;
  readonly now: number;
  readonly expiresAt: number;
  readonly policy: RetryPolicy;
  readonly random: number;
  readonly retryAfterMs?: number;
  /** The message's connection chain, and the connection that failed. */
  readonly chain: readonly string[];
  readonly current: string;
  readonly available: (connection: string) => boolean;
}

/**
 * After a failure: a failure of the connection goes to the next available connection of the
 * chain at once; anything else retryable waits and goes again on the same connection; the rest
 * is final. Failover walks the chain forward only, so it ends.
 */
export function afterFailure(input: FailureInput): FailureStep {
  if (input.failover && input.now < input.expiresAt) {
    const next = nextConnection(input.chain, input.current, input.available, false);
    if (next) return { action: 'failover', connection: next };
  }
  const decision = decideRetry(input.error, input.attempts, input.now, input.expiresAt, input.policy, input.random, input.retryAfterMs);
  return decision.retry ? { action: 'retry', at: decision.at } : { action: 'give_up', why: decision.why };
}

/**
 * Where a message whose submit outcome is unknown (the request went out, no answer came) goes:
 * nowhere, since the handset may have it, unless its route allows resending; then to the next
 * available connection of its chain.
 */
export function resendUnknownTo(route: MessageRoute | null, current: string, available: (connection: string) => boolean): string | undefined {
  return route?.resendUnknown ? nextConnection(route.chain, current, available, false) : undefined;
}
