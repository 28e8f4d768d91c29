import { TokenBucket } from '../core/policies/rate-limit.js';
import type { Clock } from './clock.js';

/**
 * What the nodes of a deployment must agree on quickly: request rates, connections' submit
 * pace, locks. One node keeps them in memory; several share them through Redis. Every answer is
 * a number of milliseconds to wait (0: go now).
 */
export interface Coordination {
  /** Takes `cost` tokens (default one: a request; an SMPP submit costs its segments) of a bucket earning `perSecond` tokens and holding at most `burst`. */
  rate(key: string, perSecond: number, burst: number, cost?: number): Promise<number>;
  /**
   * Reserves the next `spanMs` of a strict pace: each reservation starts where the previous one
   * ended, and idle time earns nothing, so no window ever holds more than the pace allows.
   */
  pace(key: string, spanMs: number): Promise<number>;
  /**
   * Holds `count` of the `max` slots of a resource for `holder` until `ttlMs` from now, or renews
   * them; false when too few are free. Slots of a holder that dies free themselves.
   */
  holdSlots(key: string, holder: string, count: number, max: number, ttlMs: number): Promise<boolean>;
  releaseSlots(key: string, holder: string): Promise<void>;
  /** Takes a lock for `ttlMs` (it frees itself if its holder dies); false when someone holds it. */
  lock(key: string, ttlMs: number): Promise<boolean>;
  unlock(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Coordination for a single node: its own memory is the whole truth. */
export class LocalCoordination implements Coordination {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #paces = new Map<string, number>();
  readonly #locks = new Map<string, number>();
  readonly #slots = new Map<string, Map<string, { count: number; until: number }>>();

  constructor(private readonly clock: Clock) {}

  async rate(key: string, perSecond: number, burst: number, cost = 1): Promise<number> {
    const now = this.clock.now();
    let bucket = this.#buckets.get(key);
    // A changed rate (an account's api_rate) holds from the next request, as in Redis.
    if (bucket?.perSecond !== perSecond || bucket.burst !== burst) this.#buckets.set(key, (bucket = new TokenBucket(perSecond, burst, now)));
    return bucket.take(now, cost);
  }

  async pace(key: string, spanMs: number): Promise<number> {
    const now = this.clock.now();
    const start = Math.max(this.#paces.get(key) ?? 0, now);
    this.#paces.set(key, start + spanMs);
    return start - now;
  }

  async holdSlots(key: string, holder: string, count: number, max: number, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const held = this.#slots.get(key) ?? new Map<string, { count: number; until: number }>();
    this.#slots.set(key, held);
    let taken = 0;
    for (const [other, h] of held) {
      if (h.until <= now) held.delete(other);
      else if (other !== holder) taken += h.count;
    }
    if (!held.has(holder) && taken + count > max) return false;
    held.set(holder, { count, until: now + ttlMs });
    return true;
  }

  async releaseSlots(key: string, holder: string): Promise<void> {
    this.#slots.get(key)?.delete(holder);
  }

  async lock(key: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    if ((this.#locks.get(key) ?? 0) > now) return false;
    this.#locks.set(key, now + ttlMs);
    return true;
  }

  async unlock(key: string): Promise<void> {
    this.#locks.delete(key);
  }

  async close(): Promise<void> {}
}
