import { performance } from 'node:perf_hooks';
import type { Metrics } from './metrics.js';

/**
 * Whether live work is short of time on this node: over the last interval its event loop was
 * saturated (every turn had callbacks waiting) while messages were being accepted or sent.
 * Background work (a webhook backlog draining) gives way while it is, and takes the node again
 * once it is not.
 */
export class LivePressure {
  #elu = performance.eventLoopUtilization();
  /** Messages accepted or sent since the last look. */
  #live = 0;
  #pressed = false;
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 100) {
    this.#timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      this.#pressed = this.#live > 0 && performance.eventLoopUtilization(now, this.#elu).utilization > 0.9;
      this.#elu = now;
      this.#live = 0;
    }, intervalMs);
    this.#timer.unref();
  }

  pressed(): boolean {
    return this.#pressed;
  }

  /** `metrics`, also counting the live work it is told of. */
  watching(metrics: Metrics): Metrics {
    return {
      ...metrics,
      accepted: (count, seconds) => {
        metrics.accepted(count, seconds);
        this.#live += count;
      },
      dispatched: (connection, seconds) => {
        metrics.dispatched(connection, seconds);
        this.#live++;
      },
    };
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
