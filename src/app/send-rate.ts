import type { Clock } from './clock.js';
import type { Metrics } from './metrics.js';

/** Seconds of submits kept: the rate is over the last minute. */
const SECONDS = 60;

/**
 * Submits per connection over the last minute on this node, in one-second slots (a ring per
 * connection): the TPS a connection uses, read by GET /v1/connections at no cost.
 */
export class SendRate {
  readonly #rings = new Map<string, { second: Float64Array; count: Uint32Array }>();

  record(connection: string, at: number): void {
    let ring = this.#rings.get(connection);
    if (!ring) this.#rings.set(connection, (ring = { second: new Float64Array(SECONDS).fill(-1), count: new Uint32Array(SECONDS) }));
    const second = Math.floor(at / 1000);
    const slot = second % SECONDS;
    if (ring.second[slot] !== second) (ring.second[slot] = second), (ring.count[slot] = 0);
    ring.count[slot]!++;
  }

  /** Submits per second over the minute before `now`. */
  perSecond(connection: string, now: number): number {
    const ring = this.#rings.get(connection);
    if (!ring) return 0;
    const second = Math.floor(now / 1000);
    let total = 0;
    for (let i = 0; i < SECONDS; i++) if (ring.second[i]! > second - SECONDS) total += ring.count[i]!;
    return total / SECONDS;
  }
}

/** `metrics`, with each submit also counted in `rate`. */
export function countingSends(metrics: Metrics, rate: SendRate, clock: Clock): Metrics {
  return {
    ...metrics,
    dispatched(connection, seconds) {
      metrics.dispatched(connection, seconds);
      rate.record(connection, clock.now());
    },
  };
}
