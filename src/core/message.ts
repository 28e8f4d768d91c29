import type { CanonicalErrorDef } from './catalogue/types.js';
import type { TextEncoding } from './encoding/segments.js';
import type { ProviderDetails } from './errors.js';
import type { MessageStatus } from './lifecycle.js';
import type { MessageRoute } from './routing/router.js';

/** Default validity: 48 hours, the usual platform default (seed 001's EXPIRED rows). */
export const DEFAULT_VALIDITY_SECONDS = 48 * 3600;
export const MIN_VALIDITY_SECONDS = 60;
export const MAX_VALIDITY_SECONDS = 7 * 24 * 3600;
export const MAX_RECIPIENTS = 1000;
export const MAX_SEGMENTS = 10;

/** The canonical error a message failed with, with what the provider said kept beside it. */
export interface MessageError {
  readonly type: CanonicalErrorDef['type'];
  readonly code: string;
  readonly message: string;
  readonly doc_url: string;
  readonly permanent: boolean;
  readonly retry: CanonicalErrorDef['retry'];
  readonly provider?: ProviderDetails;
}

/** The route a message was given at accept, and what it was accepted as. */
export interface AcceptedRoute extends MessageRoute {
  /** The connection chosen at accept (the first of the chain that could take it). */
  readonly accepted?: string;
  /** The message type the request named, which routes may match on. */
  readonly type?: string;
  /** The destination's country (ISO 3166 alpha-2), as usage counts it. */
  readonly country?: string;
  /** The destination's network (MCC-MNC) where its number ranges are known, as quality counts it. */
  readonly network?: string;
  /** What one segment costs on each priced connection of the chain (micro-units), as usage counts it. */
  readonly costs?: Readonly<Record<string, number>>;
  /** Why the account's policy scheduled it later than asked: the rule and its canonical code (`outside_sending_hours`). */
  readonly held?: { readonly rule: string; readonly reason: string };
}

/** A message as Switchboard keeps it. Times are epoch milliseconds. */
export interface Message {
  readonly id: string;
  readonly accountId: string;
  readonly to: string;
  readonly from: string;
  readonly text: string;
  readonly encoding: TextEncoding;
  readonly segments: number;
  readonly status: MessageStatus;
  readonly error: MessageError | null;
  readonly clientRef: string | null;
  readonly callbackUrl: string | null;
  /** The events `callbackUrl` gets (as Kannel's dlr-mask); null: every one. */
  readonly callbackEvents: readonly string[] | null;
  readonly sendAt: number | null;
  readonly expiresAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** The connection the message goes (or went) through. */
  readonly connection: string;
  /** The route chosen at accept, whose chain failover follows. */
  readonly route: AcceptedRoute | null;
  readonly attempts: number;
  /** When a message queued again after a failed attempt is tried next; null otherwise. */
  readonly nextAttemptAt: number | null;
  readonly providerMessageId: string | null;
  /** What it was charged at accept, in micro-units; absent when its account is not charged. */
  readonly price?: number;
  /**
   * The compatible API it came through and the credential used (`vonage:cred_...`): its receipts
   * to its callback URL go in that API's format. Absent for a message sent through the native API.
   */
  readonly face?: string;
}

/**
 * The first event of a message, its acceptance: read from the message itself, so accepting a
 * message writes one row, not two. Undefined for a message whose route does not say why it was
 * chosen (those stored their first event).
 */
export function acceptedEvent(m: Message): MessageEvent | undefined {
  const route = m.route;
  if (route?.reason === undefined) return undefined;
  const status = m.sendAt === null ? 'queued' : 'scheduled';
  const connection = route.accepted ?? route.chain[0]!;
  const failover = route.chain.filter((c) => c !== connection);
  return {
    at: m.createdAt,
    type: status,
    status,
    error: null,
    detail: {
      route: route.name,
      connection,
      reason: route.reason,
      ...(failover.length > 0 && { failover }),
      ...(route.type !== undefined && { type: route.type }),
      ...(route.held !== undefined && { held: route.held }),
    },
    payload: null,
  };
}

/**
 * The events of a claim that starts attempt `attempt` on `connection` at `now`: a scheduled
 * message is queued first (its send_at came), then sending.
 */
export function sendingEvents(from: MessageStatus, attempt: number, now: number, connection: string): MessageEvent[] {
  const sending: MessageEvent = { at: now, type: 'sending', status: 'sending', error: null, detail: { connection, attempt }, payload: null };
  if (from !== 'scheduled') return [sending];
  return [{ at: now, type: 'queued', status: 'queued', error: null, detail: { reason: 'send_at reached' }, payload: null }, sending];
}

/** One step of a message's life: a transition, or a note (route chosen, retry planned). */
export interface MessageEvent {
  readonly at: number;
  readonly type: string;
  readonly status: MessageStatus | null;
  readonly error: MessageError | null;
  /** What led to the event: the route and why, the attempt, the connection. */
  readonly detail: Record<string, unknown> | null;
  /** The provider's raw payload that caused the event, as received. */
  readonly payload: unknown;
}
