import { FINAL_STATUSES, type MessageStatus } from '../core/lifecycle.js';

/**
 * Retention walks a log in the order it was made, `limit` rows a look, from where the last look
 * ended: each look costs `limit` rows, however long the log. A row is deleted once it is finished
 * and was made before the cutoff; one still in use stays, whatever its age.
 */
interface Looked<P> {
  /** Its place in the log's order: where the next look starts. */
  readonly position: P;
  readonly made: number;
  readonly finished: boolean;
}

/**
 * Of the rows one look read (`limit` at most, in the order they were made), those the retention
 * deletes: finished and made before `before`. `next` is where the following look starts: null
 * once one made at `before` or later came (what follows is newer), or the log ended.
 */
function expiredOf<R, P>(looked: readonly R[], before: number, limit: number, of: (row: R) => Looked<P>): { expired: R[]; next: P | null } {
  const rows = looked.map(of);
  const expired = looked.filter((_, i) => rows[i]!.finished && rows[i]!.made < before);
  const reached = looked.length < limit || rows.some((r) => r.made >= before);
  return { expired, next: reached ? null : rows[rows.length - 1]!.position };
}

/** A delivery of the webhook log as its retention looks at it (see Store.pruneWebhookLog). */
export interface LoggedDelivery {
  readonly seq: number;
  readonly id: string;
  readonly event_id: string;
  readonly status: string;
  readonly created_at: number;
}

export const expiredDeliveries = (looked: readonly LoggedDelivery[], before: number, limit: number) =>
  expiredOf(looked, before, limit, (d) => ({ position: d.seq, made: Number(d.created_at), finished: d.status !== 'pending' }));

/** A message, sent or received, as the message log's retention looks at it (see Store.pruneMessages); a received one has no status. */
export interface LoggedMessage {
  readonly id: string;
  readonly status: MessageStatus | null;
  readonly created_at: number;
}

export const expiredMessages = (looked: readonly LoggedMessage[], before: number, limit: number) =>
  expiredOf(looked, before, limit, (m) => ({ position: m.id, made: Number(m.created_at), finished: m.status === null || FINAL_STATUSES.has(m.status) }));
