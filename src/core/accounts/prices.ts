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
}

/** The price of one segment to `e164` (in `country`), or undefined when the list has none for it. */
export function segmentPrice(list: PriceList, e164: string, country: string | undefined): number | undefined {
  let best: { rank: number; price: number } | undefined;
  for (const e of list.entries) {
    let rank = -1;
    if (e.network !== undefined) {
      const longest = Math.max(-1, ...(e.ranges ?? []).filter((p) => e164.startsWith(p)).map((p) => p.length));
      if (longest >= 0) rank = longest * 2 + 1;
    } else if (e.prefix !== undefined) {
      if (e164.startsWith(e.prefix)) rank = e.prefix.length * 2;
    } else if (e.country !== undefined && e.country === country) {
      rank = 0;
    }
    if (rank >= 0 && (!best || rank > best.rank)) best = { rank, price: e.price };
  }
  return best?.price ?? list.default;
}
