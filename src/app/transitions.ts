import { canTransition, isFinal } from '../core/lifecycle.js';
import { Batcher } from './batcher.js';
import type { Metrics } from './metrics.js';
import type { EventNote, Store, StoreWrite, SubmitMark, Transition } from './store.js';

/**
 * Every status change and event note goes through here: concurrent ones are committed together,
 * and a change that reaches a final status is counted once, when it applies.
 */
export class TransitionWriter {
  readonly #batcher: Batcher<StoreWrite, boolean>;

  /** @param delayMs how long a change may wait to share its commit with others (see Batcher). */
  constructor(
    store: Store,
    private readonly metrics: Metrics,
    delayMs = 0,
  ) {
    this.#batcher = new Batcher((writes) => store.applyWrites(writes), 5000, delayMs);
  }

  async apply(transition: Transition): Promise<boolean> {
    const illegal = transition.from.find((from) => !canTransition(from, transition.to));
    if (illegal) throw new Error(`a message cannot go from ${illegal} to ${transition.to}`);
    const applied = await this.#batcher.push({ transition });
    if (!applied) return false;
    // A message finishes once: delivered becoming read is counted as read only.
    if (isFinal(transition.to) && transition.from.some((from) => !isFinal(from))) this.metrics.finished(transition.to, transition.error?.code ?? null);
    if (transition.to === 'read') this.metrics.read();
    return true;
  }

  async note(note: EventNote): Promise<void> {
    await this.#batcher.push({ note });
  }

  /** Commits that an attempt's submit may leave now; false when the claim is no longer ours (send nothing). */
  mark(mark: SubmitMark): Promise<boolean> {
    return this.#batcher.push({ submitting: mark });
  }

  drain(): Promise<void> {
    return this.#batcher.drain();
  }
}
