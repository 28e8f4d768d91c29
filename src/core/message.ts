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
  readonly sendAt: number | null;
  readonly expiresAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** The connection the message goes (or went) through. */
  readonly connection: string;
  /** The route chosen at accept, whose chain failover follows. */
  readonly route: MessageRoute | null;
  readonly attempts: number;
  readonly providerMessageId: string | null;
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
