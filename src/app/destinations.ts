import { Piscina } from 'piscina';
import { readDestinations, type ReadDestinations } from '../core/validation/phone.js';

/**
 * Parsing numbers is most of what a large batch costs the thread that serves HTTP. Batches of
 * at least `threshold` recipients are read on a worker thread (the machine's other core), so the
 * event loop goes on with other requests meanwhile; smaller ones cost less than the hand-off.
 */
export class DestinationReader {
  readonly #pool: Piscina | undefined;

  constructor(
    threads: number,
    private readonly threshold = 100,
  ) {
    this.#pool =
      threads > 0
        ? new Piscina({ filename: new URL('./destinations-worker.js', import.meta.url).href, minThreads: threads, maxThreads: threads, idleTimeout: Infinity })
        : undefined;
  }

  async read(numbers: readonly string[], multiple: boolean): Promise<ReadDestinations> {
    if (!this.#pool || numbers.length < this.threshold) return readDestinations(numbers, multiple);
    return (await this.#pool.run({ numbers, multiple })) as ReadDestinations;
  }

  async close(): Promise<void> {
    await this.#pool?.destroy();
  }
}
