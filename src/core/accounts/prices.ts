/**
 * An account's price per SMS segment, by destination. An entry matches on the number's country
 * (ISO 3166 alpha-2), on an E.164 prefix, or on a mobile network (MCC-MNC) given with its number
 * ranges. The most specific match wins: a network or prefix over a country, a longer prefix over a
 * shorter one, a network over a prefix of the same length; the default, if any, prices the rest.
 */
export interface PriceEntry {
  readonly country?: string;
  readonly prefix?: string;
  readonly network?: string;
  /** The network's number ranges (E.164 prefixes); with `network` only. */
  readonly ranges?: readonly string[];
  /** Micro-units per segment. */
  readonly price: number;
}

export interface PriceList {
  readonly entries: readonly PriceEntry[];
  /** Micro-units per segment where no entry matches; none: such a destination has no price. */
  readonly default?: number;
  /** Micro-units per live number lookup; none: the account may not make live lookups. */
  readonly lookup?: number;
}

/** A list indexed for look-ups: the best entry per prefix (prefixes and networks' ranges) and per country. */
interface PriceIndex {
  readonly byPrefix: Map<string, { rank: number; price: number }>;
  /** The prefix lengths present, longest first. */
  readonly lengths: readonly number[];
  readonly byCountry: Map<string, number>;
}

/** Built once per list (lists are immutable): a look-up then costs one map probe per prefix length, not a pass over the list. */
const indexes = new WeakMap<PriceList, PriceIndex>();

function indexOf(list: PriceList): PriceIndex {
  let index = indexes.get(list);
  if (index) return index;
  const byPrefix = new Map<string, { rank: number; price: number }>();
  const byCountry = new Map<string, number>();
  const add = (prefix: string, rank: number, price: number) => {
    // The first of equally specific entries wins.
    if (!((byPrefix.get(prefix)?.rank ?? -1) >= rank)) byPrefix.set(prefix, { rank, price });
  };
  for (const e of list.entries) {
    if (e.network !== undefined) for (const p of e.ranges ?? []) add(p, p.length * 2 + 1, e.price);
    else if (e.prefix !== undefined) add(e.prefix, e.prefix.length * 2, e.price);
    else if (e.country !== undefined && !byCountry.has(e.country)) byCountry.set(e.country, e.price);
  }
  const lengths = [...new Set([...byPrefix.keys()].map((p) => p.length))].sort((a, b) => b - a);
  index = { byPrefix, lengths, byCountry };
  indexes.set(list, index);
  return index;
}

/**
 * The price of one segment to `e164` (in `country`), or undefined when the list has none for it.
 * The longest matching prefix wins (a network's range over a plain prefix of the same length):
 * any longer one outranks every shorter, so the first length that matches decides.
 */
export function segmentPrice(list: PriceList, e164: string, country: string | undefined): number | undefined {
  const index = indexOf(list);
  for (const length of index.lengths) {
    const hit = length <= e164.length ? index.byPrefix.get(e164.slice(0, length)) : undefined;
    if (hit) return hit.price;
  }
  return (country !== undefined ? index.byCountry.get(country) : undefined) ?? list.default;
}
