/**
 * The one state machine every message lives in. Connectors, receipts, the dispatcher and the API
 * all move a message through `transition`, so the rules (final states stay final, a late or
 * repeated receipt changes nothing) hold everywhere. The one move out of a final status is
 * `delivered` to `read`: a read receipt says more than delivery, never less.
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
  // Nobody knows whether it reached the handset: its submit may or may not have reached the
  // carrier and no receipt told by its validity end, or the provider's final receipt says so.
  'unknown',
  // Delivered, and the recipient opened it (chat channels, RCS; Twilio reports it).
  'read',
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'delivered',
  'undelivered',
  'failed',
  'rejected',
  'expired',
  'canceled',
  'unknown',
  'read',
]);

const NEXT: Readonly<Record<MessageStatus, readonly MessageStatus[]>> = {
  scheduled: ['queued', 'canceled', 'expired', 'rejected'],
  // queued -> queued: a connection that is down hands its waiting messages to another.
  queued: ['sending', 'queued', 'canceled', 'expired', 'rejected', 'failed'],
  // Back to queued for a retry, a failover, or a send interrupted by a stop.
  // Unknown: found mid-send past its validity, its submit may have gone out.
  sending: ['sent', 'queued', 'failed', 'rejected', 'expired', 'unknown'],
  // Back to queued when a failed receipt is retried.
  // Read straight from sent: a read receipt that overtook (or replaced) the delivery receipt.
  sent: ['delivered', 'undelivered', 'rejected', 'expired', 'failed', 'queued', 'unknown', 'read'],
  delivered: ['read'],
  undelivered: [],
  failed: [],
  rejected: [],
  expired: [],
  canceled: [],
  unknown: [],
  read: [],
};

export function isFinal(status: MessageStatus): boolean {
  return FINAL_STATUSES.has(status);
}

export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  return NEXT[from].includes(to);
}
