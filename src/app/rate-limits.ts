import { SwitchboardError } from '../core/errors.js';
import type { Coordination } from './coordination.js';

/** Each account's request rate: a token bucket per account, shared by every node. */
export class AccountRateLimits {
  /** @param limit the operator's default for every account; perSecond 0 lets every request through. */
  constructor(
    private readonly limit: { readonly perSecond: number; readonly burst: number },
    private readonly coordination: Coordination,
  ) {}

  /**
   * Counts a request of the account; throws rate_limit_exceeded, with when to retry, past its
   * rate: its own `apiRate` (a burst of twice that), else the operator's default.
   */
  async check(accountId: string, apiRate: number | null): Promise<void> {
    const { perSecond, burst } = apiRate === null ? this.limit : { perSecond: apiRate, burst: apiRate * 2 };
    if (perSecond <= 0) return;
    const waitMs = await this.coordination.rate(`rate:${accountId}`, perSecond, Math.max(1, burst));
    if (waitMs > 0) {
      throw new SwitchboardError('rate_limit_exceeded', `This account may make ${perSecond} requests per second; retry after the time in the Retry-After header.`, {
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      });
    }
  }
}
