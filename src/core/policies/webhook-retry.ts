/**
 * When a failed webhook delivery is tried again: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h,
 * 4 h, then every 8 h, each with up to 10% of jitter, for a day after the event. `scale` shrinks
 * the whole schedule (tests run it in milliseconds).
 */
const DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000];
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3_600_000;

/** The time of the next attempt after `attempts` failed ones, or null when the day is over. */
export function nextWebhookAttempt(attempts: number, eventAt: number, now: number, random: number, scale = 1): number | null {
  const base = DELAYS_MS[Math.min(attempts, DELAYS_MS.length) - 1] ?? DELAYS_MS[0]!;
  const at = now + Math.round(base * scale * (1 + 0.1 * random));
  return at - eventAt > WEBHOOK_RETRY_WINDOW_MS * scale ? null : at;
}
