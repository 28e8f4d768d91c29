import { hourOf, type QualityCounts } from '../core/quality/counts.js';
import { seeded } from '../core/quality/random.js';
import type { QualityView } from '../core/quality/view.js';
import type { Route } from '../core/routing/router.js';
import { simulate, type Simulation, type TrafficRow } from '../core/routing/simulate.js';
import type { Clock } from './clock.js';
import { byDestination, countsFor, destinationKey } from './quality-board.js';
import type { Degradation, QualityRecord, Store } from './store.js';

/** One destination's measured quality, as the API shows it. */
export interface DestinationQuality {
  readonly country: string | null;
  readonly network: string | null;
  readonly counts: QualityCounts;
  readonly degradation: Degradation | null;
}

/** The seed of a simulation's draws: the same table and counts give the same answer. */
const SIMULATION_SEED = 21;

/** Measured quality read for people: a connection's, and what a routing table would make of it. */
export class QualityService {
  constructor(
    private readonly store: Pick<Store, 'qualityTotals' | 'degradations'>,
    private readonly clock: Clock,
  ) {}

  /** A connection's quality per destination over the last `hours`, from the shared counters (all nodes' outcomes). */
  async connection(name: string, hours: number, country: string | undefined): Promise<DestinationQuality[]> {
    const records = (await this.store.qualityTotals(this.#since(hours), name)).filter((r) => country === undefined || r.country === country);
    const degraded = new Map((await this.store.degradations()).map((d) => [destinationKey(d.connection, d.country), d]));
    return records
      .map((r) => ({ country: r.country, network: r.network, counts: r.counts, degradation: degraded.get(destinationKey(r.connection, r.country)) ?? null }))
      .sort((a, b) => b.counts.submits - a.counts.submits);
  }

  /** What `routes` would have done with the traffic of the last `days`, at the quality measured over them. */
  async simulate(routes: readonly Route[], days: number): Promise<Simulation> {
    const records = await this.store.qualityTotals(this.#since(days * 24));
    return simulate(routes, traffic(records), measuredView(records), seeded(SIMULATION_SEED));
  }

  #since(hours: number): number {
    return hourOf(this.clock.now()) - hours + 1;
  }
}

/** The messages to each destination, whichever connection took them. */
function traffic(records: readonly QualityRecord[]): TrafficRow[] {
  const by = new Map<string, { country: string | undefined; network: string | undefined; messages: number; segments: number }>();
  for (const r of records) {
    const key = `${r.country ?? ''}\u0000${r.network ?? ''}`;
    const row = by.get(key) ?? { country: r.country ?? undefined, network: r.network ?? undefined, messages: 0, segments: 0 };
    row.messages += r.counts.submits;
    row.segments += r.counts.segments;
    by.set(key, row);
  }
  return [...by.values()].filter((r) => r.messages > 0);
}

/** A fixed view of the records: each connection's counts per destination, with nothing degraded. */
function measuredView(records: readonly QualityRecord[]): QualityView {
  const by = byDestination(records);
  return {
    counts: (connection, country, network) => countsFor(by, connection, country, network),
    degraded: () => false,
  };
}
