import type { ClaimedDelivery, DeliveryTaker } from '../app/store.js';

/** One applyWrites' offer to the node's deliverer (see Store.leaseAsMade): what it takes, and what was leased to it so far. */
export interface Leasing {
  readonly owner: string;
  readonly leaseUntil: number;
  readonly perTarget: number;
  /** How many more it takes (a statement that fans one event out to several endpoints may lease them all). */
  left: number;
  readonly made: ClaimedDelivery[];
}

export function leasingOf(taker: DeliveryTaker): Leasing {
  const room = taker.room();
  return { owner: taker.owner, leaseUntil: room.leaseUntil, perTarget: room.perTarget, left: room.count, made: [] };
}
