/** An account's count against its daily quota: `used` messages on `day` (days since 1970-01-01, UTC). */
export interface QuotaCount {
  readonly limit: number | null;
  readonly day: number;
  readonly used: number;
}

/**
 * The count once `messages` more are sent on `day` (a new day starts from zero), or undefined
 * when that would pass the limit. Without a limit, nothing is counted.
 */
export function countQuota(q: QuotaCount, day: number, messages: number): { day: number; used: number } | undefined {
  if (q.limit === null) return { day: q.day, used: q.used };
  const used = (q.day === day ? q.used : 0) + messages;
  return used <= q.limit ? { day, used } : undefined;
}
