import { NO_COUNTS, outcomes, subtractCounts, type QualityCounts } from '../core/quality/counts.js';
import { detect, MIN_SAMPLES, recovered, type DegradationSettings, type Finding } from '../core/quality/degradation.js';
import type { Clock } from './clock.js';
import { destinationKey, type QualityBoard } from './quality-board.js';
import type { Degradation, Store } from './store.js';

/** Refreshes whose outcomes make the "recent" side of a comparison; the window before them is the baseline. */
export const RECENT_REFRESHES = 12;

export interface DegradationWatchOptions {
  readonly store: Pick<Store, 'setDegraded'>;
  readonly clock: Clock;
  readonly board: QualityBoard;
  /** Told of every degradation and recovery (the operator's account). */
  readonly accountId: string;
  readonly settings: DegradationSettings;
  /** How often `check` is called: the age of the recent window's first half. */
  readonly refreshMs: number;
  /** Called when this node recorded a change (another node may record it first). */
  readonly onChange?: (degradation: Degradation, degraded: boolean) => void;
}

interface Watched {
  readonly finding: Finding;
  readonly baseline: QualityCounts;
  /** The window's totals at each check since it was found, the oldest one still needed first. */
  readonly marks: QualityCounts[];
}

/**
 * What came in since the latest mark that leaves at least `min` outcomes: the newest evidence that
 * suffices, so a connection that recovered is not held back by what it did while still degraded.
 * Marks older than that one are dropped.
 */
function latest(marks: QualityCounts[], now: QualityCounts, min: number): QualityCounts {
  let i = marks.length - 1;
  while (i > 0 && outcomes(subtractCounts(now, marks[i]!)) < min) i--;
  marks.splice(0, i);
  marks.push(now);
  return subtractCounts(now, marks[0]!);
}

/**
 * Looks for connections degraded for a destination after each refresh of the board: the last
 * RECENT_REFRESHES refreshes' outcomes against the window before them (see `detect`), and, for a
 * degraded one, the latest outcomes since against the baseline it was found with (see `recovered`). Every
 * node looks; the store records each change once, whichever node finds it first.
 */
export class DegradationWatch {
  /** The board's country totals after each of the last refreshes, oldest first. */
  readonly #history: ReadonlyMap<string, { readonly counts: QualityCounts }>[] = [];
  readonly #watched = new Map<string, Watched>();
  /** Destinations just recovered, and the check until which their recent side still holds outcomes from before. */
  readonly #quiet = new Map<string, number>();
  #checks = 0;

  constructor(private readonly opts: DegradationWatchOptions) {}

  async check(): Promise<void> {
    this.#checks++;
    const totals = this.opts.board.countryTotals();
    this.#history.push(totals);
    if (this.#history.length > RECENT_REFRESHES + 1) this.#history.shift();
    const past = this.#history[0]!;
    const degraded = new Map(this.opts.board.degradations().map((d) => [destinationKey(d.connection, d.country), d]));
    for (const key of this.#watched.keys()) if (!degraded.has(key)) this.#watched.delete(key);
    for (const [key, { connection, country, counts }] of totals) {
      // A destination first counted within the window has no outcomes before it.
      const seen = past.get(key)?.counts;
      const baseline = seen ?? NO_COUNTS;
      const known = degraded.get(key);
      const watched = this.#watched.get(key) ?? (known && this.#watch(key, { reason: known.reason, detail: known.detail }, seen ?? counts, counts));
      if (watched) {
        if (recovered(watched.finding, watched.baseline, latest(watched.marks, counts, this.opts.settings.minSamples ?? MIN_SAMPLES), this.opts.settings)) {
          await this.#record({ connection, country, reason: watched.finding.reason, detail: watched.finding.detail, since: known?.since ?? this.opts.clock.now() }, false);
          this.#watched.delete(key);
          this.#quiet.set(key, this.#checks + RECENT_REFRESHES);
        }
        continue;
      }
      if ((this.#quiet.get(key) ?? 0) > this.#checks) continue;
      // Until a node has a whole recent window, only the test that needs no baseline runs
      // (fabricated receipts): the others compare with what came before, and need it all.
      const recent = subtractCounts(counts, baseline);
      let finding: Finding | undefined;
      if (this.#history.length <= RECENT_REFRESHES) finding = detect(NO_COUNTS, recent, this.opts.settings);
      else {
        // The submits of the recent window's first half have had half of it to get their outcomes.
        const middle = this.#history[Math.floor(RECENT_REFRESHES / 2)]!.get(key)?.counts ?? baseline;
        finding = detect(baseline, recent, this.opts.settings, { submits: subtractCounts(middle, baseline).submits, ms: (RECENT_REFRESHES / 2) * this.opts.refreshMs });
      }
      if (!finding) continue;
      this.#watch(key, finding, baseline, counts);
      await this.#record({ connection, country, reason: finding.reason, detail: finding.detail, since: this.opts.clock.now() }, true);
    }
  }

  #watch(key: string, finding: Finding, baseline: QualityCounts, start: QualityCounts): Watched {
    const watched = { finding, baseline, marks: [start] };
    this.#watched.set(key, watched);
    return watched;
  }

  async #record(degradation: Degradation, degraded: boolean): Promise<void> {
    const at = this.opts.clock.now();
    const where = degradation.country ?? 'destinations of unknown country';
    const what = degraded ? `is degraded for ${where}: ${REASONS[degradation.reason]}` : `has recovered for ${where}`;
    const detail = { connection: degradation.connection, country: degradation.country, reason: degradation.reason, ...degradation.detail };
    const changed = await this.opts.store.setDegraded({
      degradation,
      degraded,
      at,
      accountId: this.opts.accountId,
      notice: { at, type: degraded ? 'connection_degraded' : 'connection_recovered', message: `Connection "${degradation.connection}" ${what}.`, detail },
      event: { ...detail, since: new Date(degradation.since).toISOString() },
    });
    this.opts.board.note(degradation, degraded);
    if (changed) this.opts.onChange?.(degradation, degraded);
  }
}

const REASONS: Record<Degradation['reason'], string> = {
  delivery_rate_drop: 'its delivery rate fell well below its recent baseline',
  receipts_stopped: 'its receipts stopped coming',
  fabricated_receipts: 'its delivery receipts come faster than a handset can answer (fabricated)',
};
