/** What the hourly counters say of a set of messages, as `/v1/overview` and `/v1/failures` give it. */
export interface Counts {
  readonly messages: number;
  readonly delivered: number;
  readonly failed: number;
  readonly unknown: number;
  readonly delivery_rate: number | null;
}

/** A rate (0-1) as a person reads it; a dash where there is none yet. */
export const percent = (rate: number | null): string => (rate === null ? '—' : `${(rate * 100).toFixed(1)} %`);
