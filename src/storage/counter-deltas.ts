/** The keys of T whose values are numbers: a counter delta's counts. */
type Counts<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];

/**
 * One delta per counter row (rows named by `keyOf`), their `counts` summed, in key order: every
 * transaction takes the rows' locks in the same order, so two never wait on each other in a
 * cycle. Each row's sum starts as a copy of its first delta and adds the others in place (a
 * spread followed by new keys would be slow: see rows.ts).
 */
export function mergeDeltas<T extends object>(deltas: readonly (T | undefined)[], keyOf: (d: T) => string, counts: readonly Counts<T>[]): T[] {
  const by = new Map<string, T>();
  for (const d of deltas) {
    if (!d) continue;
    const key = keyOf(d);
    const sum = by.get(key) as Record<Counts<T>, number> | undefined;
    if (!sum) by.set(key, { ...d });
    else for (const c of counts) sum[c] += (d as Record<Counts<T>, number>)[c];
  }
  if (by.size === 1) return [...by.values()];
  return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
}
