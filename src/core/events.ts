import type { MessageStatus } from './lifecycle.js';

/** What webhooks tell: a message's lifecycle changes, messages received, an endpoint disabled, an account's balance running low, and a connection degraded or recovered. */
export const EVENT_TYPES = [
  'message.queued',
  'message.sent',
  'message.delivered',
  'message.undelivered',
  'message.failed',
  'message.rejected',
  'message.expired',
  'message.canceled',
  'message.unknown',
  'message.read',
  'message.received',
  'endpoint.disabled',
  'account.low_balance',
  'connection.degraded',
  'connection.recovered',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** The events of a message's own life: what a message's callback_url may ask for. */
export const MESSAGE_EVENT_TYPES = EVENT_TYPES.filter((t) => t.startsWith('message.') && t !== 'message.received');

const LIFECYCLE = new Set<string>(EVENT_TYPES.filter((t) => t.startsWith('message.')));

/**
 * The event a status change makes, if any. `sending` and `scheduled` are the gateway's own
 * business; a message handed from one queue to another (failover) has not changed status.
 */
export function lifecycleEvent(from: readonly MessageStatus[], to: MessageStatus): EventType | undefined {
  const type = `message.${to}`;
  if (!LIFECYCLE.has(type) || from.every((f) => f === to)) return undefined;
  return type as EventType;
}
