/** A delivery of the webhook log as its retention looks at it (see Store.pruneWebhookLog). */
export interface LoggedDelivery {
  readonly seq: number;
  readonly id: string;
  readonly event_id: string;
  readonly status: string;
  readonly created_at: number;
}

/**
 * Of the deliveries one look read (`limit` at most, in the order they were made), those the
 * retention deletes: finished and made before `before`. `next` is where the following look
 * starts: null once one made at `before` or later came (what follows is newer), or the log ended.
 */
export function expiredOf(looked: readonly LoggedDelivery[], before: number, limit: number): { expired: LoggedDelivery[]; next: number | null } {
  const expired = looked.filter((d) => d.status !== 'pending' && d.created_at < before);
  const reached = looked.length < limit || looked.some((d) => d.created_at >= before);
  return { expired, next: reached ? null : looked[looked.length - 1]!.seq };
}
