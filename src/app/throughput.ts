import type { Clock } from './clock.js';

/**
 * Paces a connection to at most `tps` submits per second: each slot starts one interval after the
 * previous one, and an idle spell earns no burst, so no second ever holds more than the limit.
 */
export class Pacer {
  #nextFree = 0;

  constructor(
    private readonly tps: number,
    private readonly clock: Clock,
  ) {}

  /** Reserves the next `count` slots (one per segment); resolves when they may be used. */
  async slot(count = 1): Promise<void> {
    if (!Number.isFinite(this.tps)) return;
    const now = this.clock.now();
    const start = Math.max(this.#nextFree, now);
    this.#nextFree = start + (count * 1000) / this.tps;
    const wait = start - now;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

/** At most `size` operations in flight; the next waits for a free place. */
export class Window {
  #used = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #freed: (() => void)[] = [];

  constructor(private readonly size: number) {}

  get free(): number {
    return Math.max(0, this.size - this.#used);
  }

  async acquire(): Promise<void> {
    if (this.#used < this.size) {
      this.#used++;
      return;
    }
    await new Promise<void>((r) => this.#waiting.push(r));
  }

  /** Resolves once at least `n` places are free (at most the window's size). */
  async whenFree(n: number): Promise<void> {
    const wanted = Math.min(n, this.size);
    while (this.free < wanted) await new Promise<void>((r) => this.#freed.push(r));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#used--;
    for (const r of this.#freed.splice(0)) r();
  }
}
