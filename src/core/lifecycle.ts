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
  // Its submit may or may not have reached the carrier, and no receipt told by its validity end.
  'unknown',
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
]);

const NEXT: Readonly<Record<MessageStatus, readonly MessageStatus[]>> = {
  scheduled: ['queued', 'canceled', 'expired', 'rejected'],
  // queued -> queued: a connection that is down hands its waiting messages to another.
  queued: ['sending', 'queued', 'canceled', 'expired', 'rejected', 'failed'],
  // Back to queued for a retry, a failover, or a send interrupted by a stop.
  // Unknown: found mid-send past its validity, its submit may have gone out.
  sending: ['sent', 'queued', 'failed', 'rejected', 'expired', 'unknown'],
  // Back to queued when a failed receipt is retried.
  sent: ['delivered', 'undelivered', 'rejected', 'expired', 'failed', 'queued', 'unknown'],
  delivered: [],
  undelivered: [],
  failed: [],
  rejected: [],
  expired: [],
  canceled: [],
  unknown: [],
};

export function isFinal(status: MessageStatus): boolean {
  return FINAL_STATUSES.has(status);
}

export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  return NEXT[from].includes(to);
}
