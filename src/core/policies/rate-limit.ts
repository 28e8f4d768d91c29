/**
 * A token bucket: `perSecond` tokens earned each second, at most `burst` kept. Pure state over
 * the times it is given, so any clock (or a shared store) can drive it.
 */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes `cost` tokens (one by default); returns 0 when taken, else the milliseconds until they are earned. */
  take(now: number, cost = 1): number {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    if (this.#tokens >= cost) {
      this.#tokens -= cost;
      return 0;
    }
    return Math.ceil(((cost - this.#tokens) / this.perSecond) * 1000);
  }
}
