/**
 * The one state machine every message lives in. Connectors, receipts, the dispatcher and the API
 * all move a message through `transition`, so the rules (final states stay final, a late or
 * repeated receipt changes nothing) hold everywhere.
 */
export const MESSAGE_STATUSES = [
  'scheduled',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'rejected',
  'expired',
  'canceled',
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'delivered',
  'undelivered',
  'failed',
  'rejected',
  'expired',
  'canceled',
]);

const NEXT: Readonly<Record<MessageStatus, readonly MessageStatus[]>> = {
  scheduled: ['queued', 'canceled', 'expired', 'rejected'],
  queued: ['sending', 'canceled', 'expired', 'rejected', 'failed'],
  // A receipt may overtake the provider's submit answer, hence sending -> delivered and friends.
  sending: ['sent', 'queued', 'delivered', 'undelivered', 'failed', 'rejected', 'expired'],
  // Back to queued when a failed receipt is retried.
  sent: ['delivered', 'undelivered', 'rejected', 'expired', 'failed', 'queued'],
  delivered: [],
  undelivered: [],
  failed: [],
  rejected: [],
  expired: [],
  canceled: [],
};

export function isFinal(status: MessageStatus): boolean {
  return FINAL_STATUSES.has(status);
}

export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  return NEXT[from].includes(to);
}

/** Statuses from which a message may move to `to`: what a guarded UPDATE may match on. */
export function statusesBefore(to: MessageStatus): MessageStatus[] {
  return MESSAGE_STATUSES.filter((s) => NEXT[s].includes(to));
}
