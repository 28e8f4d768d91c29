import type { RetryAdvice } from './types.js';

/** Whether a failure lasts, and what retrying can do about it. */
export interface Permanence {
  readonly permanent: boolean;
  readonly retry: RetryAdvice;
}

/**
 * The permanence of one provider's code: the canonical error's, unless the provider publishes its
 * own flag for that code, which wins (the provider knows its network; another provider's
 * same-named condition may differ). A code the provider calls permanent is not retried after a
 * delay (a fix may still help); one it calls temporary passes with time, so it is retried after one.
 *
 * @example permanenceOf(canonicalError('destination_barred'), false) // { permanent: false, retry: 'after_delay' }
 */
export function permanenceOf(def: Permanence, providerPermanent: boolean | undefined): Permanence {
  if (providerPermanent === undefined) return { permanent: def.permanent, retry: def.retry };
  if (providerPermanent) return { permanent: true, retry: def.retry === 'after_delay' ? 'never' : def.retry };
  return { permanent: false, retry: 'after_delay' };
}
