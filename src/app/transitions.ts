import { isFinal } from '../core/lifecycle.js';
import { Batcher } from './batcher.js';
import type { Metrics } from './metrics.js';
import type { EventNote, Store, Transition } from './store.js';

type Write = { readonly transition: Transition } | { readonly note: EventNote };

/**
 * Every status change and event note goes through here: concurrent ones are committed together,
 * and a change that reaches a final status is counted once, when it applies.
 */
export class TransitionWriter {
  readonly #batcher: Batcher<Write, boolean>;

  /** @param delayMs how long a change may wait to share its commit with others (see Batcher). */
  constructor(
    store: Store,
    private readonly metrics: Metrics,
    delayMs = 0,
  ) {
    this.#batcher = new Batcher(async (writes) => {
      const transitions: Transition[] = [];
      const notes: EventNote[] = [];
      for (const w of writes) {
        if ('transition' in w) transitions.push(w.transition);
        else notes.push(w.note);
      }
      const applied = await store.applyTransitions(transitions, notes);
      let i = 0;
      return writes.map((w) => ('transition' in w ? applied[i++]! : true));
    }, 5000, delayMs);
  }

  async apply(transition: Transition): Promise<boolean> {
    const applied = await this.#batcher.push({ transition });
    if (applied && isFinal(transition.to)) this.metrics.finished(transition.to, transition.error?.code ?? null);
    return applied;
  }

  async note(note: EventNote): Promise<void> {
    await this.#batcher.push({ note });
  }

  drain(): Promise<void> {
    return this.#batcher.drain();
  }
}
