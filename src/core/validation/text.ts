/** Why a string cannot be kept as it was received, if it cannot. */
function flaw(text: string): string | undefined {
  // PostgreSQL cannot store U+0000 in text, and no field has a use for it.
  if (text.includes('\u0000')) return 'holds the character U+0000, which no field may hold';
  // Stored as UTF-8, a lone surrogate would come back as U+FFFD: not what was received.
  if (!text.isWellFormed()) return 'is not valid Unicode: it holds a lone surrogate';
  return undefined;
}

/**
 * The first string (or key) of a received value that cannot be stored as received, named as
 * errors name a parameter (`to[3]`, `settings.name`); undefined when every one can.
 */
export function unstorableIn(value: unknown, path = ''): { param: string; why: string } | undefined {
  if (typeof value === 'string') {
    const why = flaw(value);
    return why === undefined ? undefined : { param: path, why };
  }
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return undefined;
  const entries = Array.isArray(value)
    ? value.map((item: unknown, i) => [`${path}[${i}]`, undefined, item] as const)
    : Object.entries(value).map(([key, item]) => [path === '' ? key : `${path}.${key}`, key, item] as const);
  for (const [name, key, item] of entries) {
    const why = key === undefined ? undefined : flaw(key);
    if (why !== undefined) return { param: name, why };
    const found = unstorableIn(item, name);
    if (found) return found;
  }
  return undefined;
}
