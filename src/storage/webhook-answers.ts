import type { AttemptOutcome } from '../app/store.js';

/**
 * What the answers recorded in one transaction did to one target, folded in the order they came,
 * so that a burst of answers updates each target (and its endpoint) once, not once per answer.
 */
export interface TargetAnswers {
  readonly target: string;
  readonly endpointId: string | null;
  /** Posts answered: their slots free. */
  n: number;
  ok: number;
  /** Deliveries that ended (delivered or given up). */
  ended: number;
  /** Next events of the same messages that became due as these ended. */
  promoted: number;
  /** A success came: failures in a row are `failures`, not at least `failures`. */
  reset: boolean;
  failures: number;
  /** The last answer's retry time, if it failed and is to be tried again: the whole target waits for it. */
  retryAt: number | null;
  /**
   * The earliest retry time of any answer to be tried again, even one a later success reset:
   * a target that sleeps must wake for it, or that delivery (and its message's chain) waits for
   * whatever else wakes the target.
   */
  wakeAt: number | null;
  at: number;
  /** Since when the endpoint fails (the first failure after the last success), or null: it answers. */
  failingSince: number | null;
}

/** Folds the answers that were held (still leased to their owner), by target, in target order. */
export function foldAnswers(answers: readonly { readonly target: string; readonly outcome: AttemptOutcome; readonly promoted: boolean }[]): TargetAnswers[] {
  const by = new Map<string, TargetAnswers>();
  for (const { target, outcome: o, promoted } of answers) {
    const t = by.get(target) ?? { target, endpointId: o.endpointId, n: 0, ok: 0, ended: 0, promoted: 0, reset: false, failures: 0, retryAt: null, wakeAt: null, at: o.attempt.at, failingSince: null };
    t.n++;
    if (promoted) t.promoted++;
    t.at = o.attempt.at;
    t.retryAt = o.retryAt;
    if (o.retryAt !== null) t.wakeAt = Math.min(t.wakeAt ?? o.retryAt, o.retryAt);
    if (o.result === 'delivered') {
      t.ok++;
      t.ended++;
      t.reset = true;
      t.failures = 0;
      t.failingSince = null;
    } else {
      if (o.result === 'failed') t.ended++;
      // After a success in the same fold, the count the post was claimed with is out of date.
      t.failures = Math.max(t.failures, t.reset ? 1 : o.failuresInARow);
      t.failingSince ??= o.attempt.at;
    }
    by.set(target, t);
  }
  return [...by.values()].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}
