import { SwitchboardError } from '../core/errors.js';
import type { Coordination } from './coordination.js';

/** Each account's request rate: a token bucket per account, shared by every node. */
export class AccountRateLimits {
  /** @param limit perSecond 0 lets every request through. */
  constructor(
    private readonly limit: { readonly perSecond: number; readonly burst: number },
    private readonly coordination: Coordination,
  ) {}

  /** Counts a request of the account; throws rate_limit_exceeded, with when to retry, past its rate. */
  async check(accountId: string): Promise<void> {
    if (this.limit.perSecond <= 0) return;
    const waitMs = await this.coordination.rate(`rate:${accountId}`, this.limit.perSecond, Math.max(1, this.limit.burst));
    if (waitMs > 0) {
      throw new SwitchboardError('rate_limit_exceeded', `This account may make ${this.limit.perSecond} requests per second; retry after the time in the Retry-After header.`, {
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      });
    }
  }
}
