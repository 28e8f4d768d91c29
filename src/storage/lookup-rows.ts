import type { StoredLookup } from '../app/store.js';
import type { LiveReading, Reachability } from '../core/lookups/live.js';
import type { MessageError } from '../core/message.js';

/** The columns of a stored lookup, in the order lookupValues gives them. */
export const LOOKUP_COLUMNS = 'id, account_id, number, at, connection, provider, reachability, network, ported, roaming, error, raw, price, notify_url';

export interface LookupRow {
  id: string;
  account_id: string;
  number: string;
  at: number | string;
  connection: string;
  provider: string;
  reachability: string;
  network: string | null;
  ported: boolean | number | null;
  roaming: boolean | number | null;
  error: string | null;
  raw: string;
  price: number | string | null;
  notify_url: string | null;
}

const flag = (v: boolean | number | null): boolean | null => (v === null ? null : Boolean(v));

export function lookupOf(r: LookupRow): StoredLookup {
  return {
    id: r.id,
    accountId: r.account_id,
    number: r.number,
    at: Number(r.at),
    connection: r.connection,
    provider: r.provider,
    reachability: r.reachability as Reachability,
    network: r.network,
    ported: flag(r.ported),
    roaming: flag(r.roaming),
    error: r.error === null ? null : (JSON.parse(r.error) as MessageError),
    raw: JSON.parse(r.raw) as unknown,
    price: r.price === null ? null : Number(r.price),
    ...(r.notify_url !== null && { notifyUrl: r.notify_url }),
  };
}

/** A lookup's column values; `bool` is how the engine stores a boolean. */
export function lookupValues(l: StoredLookup, bool: (v: boolean) => unknown): unknown[] {
  const opt = (v: boolean | null) => (v === null ? null : bool(v));
  return [l.id, l.accountId, l.number, l.at, l.connection, l.provider, l.reachability, l.network, opt(l.ported), opt(l.roaming), l.error && JSON.stringify(l.error), JSON.stringify(l.raw ?? null), l.price, l.notifyUrl ?? null];
}

/** An answer's column values for completeLookups, in LOOKUP_SQL.complete's order after connection and number. */
export function answerValues(a: { reading: LiveReading; raw: unknown }, bool: (v: boolean) => unknown): unknown[] {
  const opt = (v: boolean | null) => (v === null ? null : bool(v));
  const r = a.reading;
  return [r.reachability, r.network, opt(r.ported), opt(r.roaming), r.error && JSON.stringify(r.error), JSON.stringify(a.raw ?? null)];
}

/** The newest lookup of each number (ids grow with time: the later id of one millisecond), from rows in any order. */
export function newestPerNumber(rows: readonly LookupRow[]): Map<string, StoredLookup> {
  const newest = new Map<string, LookupRow>();
  for (const r of rows) {
    const seen = newest.get(r.number);
    if (!seen || Number(r.at) > Number(seen.at) || (Number(r.at) === Number(seen.at) && r.id > seen.id)) newest.set(r.number, r);
  }
  return new Map([...newest].map(([number, r]) => [number, lookupOf(r)]));
}
