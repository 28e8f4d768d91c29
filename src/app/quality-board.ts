import { addCounts, hourOf, scaleCounts, subtractCounts, type QualityCounts } from '../core/quality/counts.js';
import type { QualityView } from '../core/quality/view.js';
import type { Clock } from './clock.js';
import type { Degradation, QualityRecord, Store } from './store.js';

/** A destination of a connection: its country ('' unknown), and its network when one is given. */
export const destinationKey = (connection: string, country: string | null | undefined, network?: string | null): string =>
  network ? `${connection}\u0000${country ?? ''}\u0000${network}` : `${connection}\u0000${country ?? ''}`;

export interface QualityBoardOptions {
  readonly store: Pick<Store, 'qualityTotals' | 'degradations'>;
  readonly clock: Clock;
  /** Hours of counters read. */
  readonly windowHours: number;
  /** Half-life of what is learned: see Config.quality. */
  readonly halfLifeMs: number;
}

/**
 * A node's snapshot of measured quality, read from the shared counters every few seconds (never
 * per message): the window's totals per destination (for metrics and degradation), and what
 * `best` routes learn from, the same outcomes with older ones decayed by a half-life.
 */
export class QualityBoard implements QualityView {
  /** Window totals by destinationKey, with and without the network. */
  #totals = new Map<string, QualityCounts>();
  /** Window totals by connection, every destination summed. */
  #byConnection = new Map<string, QualityCounts>();
  #learned = new Map<string, QualityCounts>();
  #degraded = new Map<string, Degradation>();
  #at: number | undefined;
  #past: readonly QualityRecord[] = [];
  #pastHour: number | undefined;

  constructor(private readonly opts: QualityBoardOptions) {}

  /** Reads the counters and the degradations from the store; what the view answers changes at once. */
  async refresh(): Promise<void> {
    const now = this.opts.clock.now();
    const hour = hourOf(now);
    // The window's past hours change no more: read once an hour; the current hour at each refresh.
    if (this.#pastHour !== hour) {
      this.#past = await this.opts.store.qualityTotals(hour - this.opts.windowHours + 1, undefined, hour);
      this.#pastHour = hour;
    }
    const totals = byDestination([...this.#past, ...(await this.opts.store.qualityTotals(hour))]);
    const decay = this.#at === undefined ? 1 : 0.5 ** ((now - this.#at) / this.opts.halfLifeMs);
    const learned = new Map<string, QualityCounts>();
    for (const [key, counts] of totals) {
      const was = this.#totals.get(key);
      const gained = was ? subtractCounts(counts, was) : counts;
      const kept = this.#learned.get(key);
      learned.set(key, kept ? addCounts(scaleCounts(kept, decay), gained) : gained);
    }
    this.#totals = totals;
    this.#byConnection = new Map();
    for (const { connection, counts } of this.countryTotals().values()) {
      const sum = this.#byConnection.get(connection);
      this.#byConnection.set(connection, sum ? addCounts(sum, counts) : counts);
    }
    this.#learned = learned;
    this.#at = now;
    const degraded = new Map((await this.opts.store.degradations()).map((d) => [destinationKey(d.connection, d.country), d]));
    for (const [key, d] of this.#degraded) if (!degraded.has(key)) this.#forget(d);
    this.#degraded = degraded;
  }

  /**
   * What was learned of a destination that recovers described it while it was degraded: it is
   * forgotten, so that it wins its traffic back within the messages needed to measure it again,
   * however slowly the rest decays.
   */
  #forget(d: Degradation): void {
    const key = destinationKey(d.connection, d.country);
    for (const k of this.#learned.keys()) if (k === key || k.startsWith(`${key}\u0000`)) this.#learned.delete(k);
  }

  counts(connection: string, country: string | undefined, network: string | undefined): QualityCounts | undefined {
    return countsFor(this.#learned, connection, country, network);
  }

  degraded(connection: string, country: string | undefined): boolean {
    return this.#degraded.has(destinationKey(connection, country));
  }

  /** The window's totals per connection and country (networks summed), keyed by destinationKey. */
  countryTotals(): ReadonlyMap<string, { readonly connection: string; readonly country: string | null; readonly counts: QualityCounts }> {
    const out = new Map<string, { connection: string; country: string | null; counts: QualityCounts }>();
    for (const [key, counts] of this.#totals) {
      const [connection, country, network] = key.split('\u0000') as [string, string, string | undefined];
      if (network === undefined) out.set(key, { connection, country: country === '' ? null : country, counts });
    }
    return out;
  }

  /** The window's totals of a connection, every destination summed; undefined before any. */
  connectionTotals(connection: string): QualityCounts | undefined {
    return this.#byConnection.get(connection);
  }

  /** A degradation this node just recorded, or its recovery: in force here at once, not at the next refresh. */
  note(degradation: Degradation, degraded: boolean): void {
    const key = destinationKey(degradation.connection, degradation.country);
    if (degraded) this.#degraded.set(key, degradation);
    else if (this.#degraded.delete(key)) this.#forget(degradation);
  }

  /** The degradations in force, as last read. */
  degradations(): readonly Degradation[] {
    return [...this.#degraded.values()];
  }
}

/** A destination's counts: its network's where known and measured, else its country's. */
export function countsFor(by: ReadonlyMap<string, QualityCounts>, connection: string, country: string | undefined, network: string | undefined): QualityCounts | undefined {
  return (network && by.get(destinationKey(connection, country, network))) || by.get(destinationKey(connection, country));
}

/** Records by destinationKey: each with its network, and summed per country. */
export function byDestination(records: readonly QualityRecord[]): Map<string, QualityCounts> {
  const out = new Map<string, QualityCounts>();
  const add = (key: string, counts: QualityCounts) => out.set(key, out.has(key) ? addCounts(out.get(key)!, counts) : counts);
  for (const r of records) {
    if (r.network !== null) add(destinationKey(r.connection, r.country, r.network), r.counts);
    add(destinationKey(r.connection, r.country), r.counts);
  }
  return out;
}
