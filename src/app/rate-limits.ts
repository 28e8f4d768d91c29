import { TokenBucket } from '../core/policies/rate-limit.js';
import { SwitchboardError } from '../core/errors.js';
import type { Clock } from './clock.js';

/** Each account's request rate: a token bucket per account, in this node's memory. */
export class AccountRateLimits {
  readonly #buckets = new Map<string, TokenBucket>();

  /** @param perSecond 0 lets every request through. */
  constructor(
    private readonly limit: { readonly perSecond: number; readonly burst: number },
    private readonly clock: Clock,
  ) {}

  /** Counts a request of the account; throws rate_limit_exceeded, with when to retry, past its rate. */
  check(accountId: string): void {
    if (this.limit.perSecond <= 0) return;
    const now = this.clock.now();
    let bucket = this.#buckets.get(accountId);
    if (!bucket) this.#buckets.set(accountId, (bucket = new TokenBucket(this.limit.perSecond, Math.max(1, this.limit.burst), now)));
    const waitMs = bucket.take(now);
    if (waitMs > 0) {
      throw new SwitchboardError('rate_limit_exceeded', `This account may make ${this.limit.perSecond} requests per second; retry after the time in the Retry-After header.`, {
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      });
    }
  }
}
