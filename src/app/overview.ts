import { SwitchboardError } from '../core/errors.js';
import type { Clock } from './clock.js';
import type { HourlyRecord, Store } from './store.js';

const HOUR_MS = 3_600_000;
/** The longest period the overview covers: 90 days. */
export const MAX_OVERVIEW_HOURS = 90 * 24;

interface Counts {
  messages: number;
  delivered: number;
  failed: number;
  unknown: number;
  charged: number;
}

const zero = (): Counts => ({ messages: 0, delivered: 0, failed: 0, unknown: 0, charged: 0 });
const add = (to: Counts, r: HourlyRecord) => {
  to.messages += r.messages;
  to.delivered += r.delivered;
  to.failed += r.failed;
  to.unknown += r.unknown;
  to.charged += r.charged;
};

/** Totals keyed by what `key` reads of each counter row, the largest first by messages then failures. */
function by(records: readonly HourlyRecord[], key: (r: HourlyRecord) => string | null): { key: string | null; counts: Counts }[] {
  const groups = new Map<string | null, Counts>();
  for (const r of records) {
    const k = key(r);
    if (!groups.has(k)) groups.set(k, zero());
    add(groups.get(k)!, r);
  }
  return [...groups.entries()].map(([k, counts]) => ({ key: k, counts })).sort((a, b) => b.counts.failed - a.counts.failed || b.counts.messages - a.counts.messages);
}

/** The period's bounds, its hours (empty ones included) and its total. */
function period(first: number, last: number, records: readonly HourlyRecord[]): Period {
  const series = new Map<number, Counts>();
  for (let h = first; h <= last; h++) series.set(h, zero());
  const total = zero();
  for (const r of records) {
    add(series.get(r.hour)!, r);
    add(total, r);
  }
  return { from: first * HOUR_MS, to: (last + 1) * HOUR_MS, hours: [...series.entries()].map(([hour, counts]) => ({ hour, counts })), total };
}

export const deliveryRate = (c: Counts): number | null => (c.delivered + c.failed === 0 ? null : c.delivered / (c.delivered + c.failed));

/** What both reports open with: their span, each hour's counts and the total. */
export interface Period {
  readonly from: number;
  readonly to: number;
  /** One entry per hour of the period, empty hours included. */
  readonly hours: { hour: number; counts: Counts }[];
  readonly total: Counts;
}

export interface OverviewReport extends Period {
  readonly errors: { code: string; failed: number; unknown: number; delivered: number }[];
  readonly connections: { key: string | null; counts: Counts }[];
  readonly countries: { key: string | null; counts: Counts }[];
}

/** What the failures page narrows its figures to. */
export interface FailureFilter {
  readonly country?: string;
  readonly connection?: string;
  readonly errorCode?: string;
}

export interface FailuresReport extends Period {
  /** By canonical error, by connection and by country: only those with failures, most failures first. */
  readonly errors: { key: string | null; counts: Counts }[];
  readonly providerCodes: { connection: string; code: string; providerCode: string; counts: Counts }[];
  readonly connections: { key: string | null; counts: Counts }[];
  readonly countries: { key: string | null; counts: Counts }[];
}

/** The overview of an account's last hours, from the hourly counters kept as messages change: no message is read. */
export class Overview {
  constructor(
    private readonly store: Pick<Store, 'hourlyCounts'>,
    private readonly clock: Clock,
  ) {}

  async report(accountId: string, hours: number): Promise<OverviewReport> {
    const { first, last, records } = await this.#records(accountId, hours);
    const errors = by(records.filter((r) => r.errorCode !== null), (r) => r.errorCode).map(({ key, counts }) => ({ code: key!, failed: counts.failed, unknown: counts.unknown, delivered: counts.delivered }));
    return {
      ...period(first, last, records),
      errors,
      connections: by(records, (r) => r.connection),
      countries: by(records, (r) => r.country),
    };
  }

  /**
   * The failures of an account's last hours, narrowed to one country, connection or canonical
   * error: per hour, per canonical error, per provider code (with the connection and canonical
   * error it was read as), per connection and per country.
   */
  async failures(accountId: string, hours: number, filter: FailureFilter): Promise<FailuresReport> {
    const { first, last, records } = await this.#records(accountId, hours);
    const chosen = records.filter(
      (r) =>
        (filter.country === undefined || r.country === filter.country) &&
        (filter.connection === undefined || r.connection === filter.connection) &&
        (filter.errorCode === undefined || r.errorCode === filter.errorCode),
    );
    const failing = (groups: { key: string | null; counts: Counts }[]) => groups.filter((g) => g.counts.failed + g.counts.unknown > 0);
    const ended = chosen.filter((r) => r.errorCode !== null);
    return {
      ...period(first, last, chosen),
      errors: failing(by(ended, (r) => r.errorCode)),
      providerCodes: failing(by(ended.filter((r) => r.providerCode !== null), (r) => JSON.stringify([r.connection, r.errorCode, r.providerCode]))).map(({ key, counts }) => {
        const [connection, code, providerCode] = JSON.parse(key!) as [string, string, string];
        return { connection, code, providerCode, counts };
      }),
      connections: failing(by(chosen, (r) => r.connection)),
      countries: failing(by(chosen, (r) => r.country)),
    };
  }

  async #records(accountId: string, hours: number): Promise<{ first: number; last: number; records: HourlyRecord[] }> {
    if (!Number.isInteger(hours) || hours < 1 || hours > MAX_OVERVIEW_HOURS) {
      throw new SwitchboardError('invalid_parameter', `hours must be a whole number from 1 to ${MAX_OVERVIEW_HOURS} (90 days).`, { param: 'hours' });
    }
    const last = Math.floor(this.clock.now() / HOUR_MS);
    const first = last - hours + 1;
    return { first, last, records: await this.store.hourlyCounts(accountId, first, last) };
  }
}
