import type { QualityCounts } from './counts.js';

/**
 * What the router knows of measured quality: a snapshot each node refreshes from the shared
 * store every few seconds, never read per message.
 */
export interface QualityView {
  /**
   * The counts of `connection` to a destination over the learning window: its network's where the
   * network is known and measured, else its country's; undefined before any submit there.
   */
  counts(connection: string, country: string | undefined, network: string | undefined): QualityCounts | undefined;
  /** Whether the connection is degraded for the destination's country (or for every destination). */
  degraded(connection: string, country: string | undefined): boolean;
}

/** A view that knows nothing: every connection unmeasured, none degraded. */
export const NO_QUALITY: QualityView = { counts: () => undefined, degraded: () => false };
