import { SwitchboardError } from '../core/errors.js';
import type { Accounts, Actor } from './accounts.js';
import type { Clock } from './clock.js';
import type { Account, Store, UsageRecord } from './store.js';

const DAY_MS = 86_400_000;
/** The longest period one report covers. */
export const MAX_USAGE_DAYS = 366;
const DEFAULT_DAYS = 30;

/** By day, by destination country, or by account (the account and each one under it, each its own traffic). */
export type UsageGroup = 'day' | 'country' | 'account';

/** What a report adds up, and its split by connection. Money in micro-units. */
export type UsageTotals = Omit<UsageRecord, 'accountId' | 'day' | 'country' | 'connection'>;

export interface UsageLine extends UsageTotals {
  /** The day (YYYY-MM-DD), the country (ISO 3166 alpha-2, null: not known) or the account of the line. */
  readonly key: string | null;
  /** The same, per connection that took the messages. */
  readonly connections: readonly (UsageTotals & { readonly connection: string })[];
}

export interface UsageReport {
  readonly account: Account;
  readonly from: string;
  readonly to: string;
  readonly group: UsageGroup;
  readonly lines: readonly UsageLine[];
  readonly total: UsageLine;
}

const ZERO: UsageTotals = { messages: 0, segments: 0, delivered: 0, failed: 0, charged: 0, cost: 0 };

function add(a: UsageTotals, b: UsageTotals): UsageTotals {
  return {
    messages: a.messages + b.messages,
    segments: a.segments + b.segments,
    delivered: a.delivered + b.delivered,
    failed: a.failed + b.failed,
    charged: a.charged + b.charged,
    cost: a.cost + b.cost,
  };
}

/** Adds records up into one line, with its split by connection in name order. */
function line(key: string | null, records: readonly UsageRecord[]): UsageLine {
  const by = new Map<string, UsageTotals>();
  for (const r of records) by.set(r.connection, add(by.get(r.connection) ?? ZERO, r));
  const connections = [...by.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([connection, t]) => ({ connection, ...t }));
  return { key, ...connections.reduce<UsageTotals>((sum, c) => add(sum, c), ZERO), connections };
}

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

function parseDay(value: string, param: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || isoDay(ms / DAY_MS) !== value) throw new SwitchboardError('invalid_parameter', `${param} must be a date, YYYY-MM-DD (UTC).`, { param });
  return ms / DAY_MS;
}

/**
 * Usage: what an account sent per day or destination country, from counters kept as messages are
 * accepted and finish, so a report costs the rows it adds up, never a pass over the messages.
 */
export class Usage {
  constructor(
    private readonly store: Store,
    private readonly accounts: Accounts,
    private readonly clock: Clock,
  ) {}

  /** From `from` to `to`, both included (default: the 30 days to today, UTC), of the caller's account or one under it. */
  async report(caller: Actor, query: { account?: string; from?: string; to?: string; group?: UsageGroup }): Promise<UsageReport> {
    const to = query.to === undefined ? Math.floor(this.clock.now() / DAY_MS) : parseDay(query.to, 'to');
    const from = query.from === undefined ? to - (DEFAULT_DAYS - 1) : parseDay(query.from, 'from');
    if (from > to) throw new SwitchboardError('invalid_parameter', 'from must be on or before to.', { param: 'from' });
    if (to - from + 1 > MAX_USAGE_DAYS) throw new SwitchboardError('invalid_parameter', `A report covers at most ${MAX_USAGE_DAYS} days.`, { param: 'from' });
    const account = await this.accounts.within(caller, query.account, { param: 'account' });
    const group = query.group ?? 'day';
    const records = group === 'account' ? await this.store.usageUnder(account.path, from, to) : await this.store.usage(account.id, from, to);
    const groups = new Map<string | null, UsageRecord[]>();
    for (const r of records) {
      const key = group === 'day' ? isoDay(r.day) : group === 'country' ? r.country : r.accountId;
      const same = groups.get(key);
      if (same) same.push(r);
      else groups.set(key, [r]);
    }
    const keys = [...groups.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
    return { account, from: isoDay(from), to: isoDay(to), group, lines: keys.map((k) => line(k, groups.get(k)!)), total: line(null, records) };
  }
}
