/**
 * Group commit: items pushed while the event loop is busy are written together, in one call of
 * `flush`, when the current turn ends. Concurrent requests then share one transaction (and one
 * fsync) instead of queueing one each. Flushes never overlap, so writes stay in push order.
 */
export class Batcher<T, R> {
  #pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  #scheduled = false;
  #flushing: Promise<void> = Promise.resolve();

  /**
   * @param delayMs how long the first item of a batch waits for company: 0 (the default) flushes
   *   when the current turn ends; a few milliseconds gather more items per commit where latency
   *   matters less than throughput.
   */
  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 2000,
    private readonly delayMs = 0,
  ) {}

  push(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        if (this.delayMs > 0) setTimeout(() => this.#run(), this.delayMs);
        else setImmediate(() => this.#run());
      }
    });
  }

  /** Resolves once everything pushed so far is written. */
  async drain(): Promise<void> {
    while (this.#pending.length > 0 || this.#scheduled) {
      await new Promise((r) => setImmediate(r));
      await this.#flushing;
    }
    await this.#flushing;
  }

  #run(): void {
    this.#flushing = this.#flushing.then(async () => {
      this.#scheduled = false;
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, this.maxBatch);
        try {
          const results = await this.flush(batch.map((b) => b.item));
          batch.forEach((b, i) => b.resolve(results[i]!));
        } catch (error) {
          for (const b of batch) b.reject(error);
        }
      }
    });
  }
}
