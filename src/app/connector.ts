import type { ReportedCode } from '../core/catalogue/interpret.js';
import type { TextEncoding } from '../core/encoding/segments.js';
import type { LiveReport } from '../core/lookups/live.js';

/** What a connector can do, declared up front rather than probed. */
export interface ConnectorCapabilities {
  /** Delivery receipts come back for sent messages. */
  readonly receipts: boolean;
  /** Text outside the GSM alphabet (UCS-2) can be sent. */
  readonly unicode: boolean;
  /** The most parts one concatenated message may have. */
  readonly maxParts: number;
  /**
   * Numbers this connector takes although the numbering plan calls them invalid. Only the sandbox
   * has some (the Ofcom drama range): it can never text a real subscriber.
   */
  readonly reservedNumbers?: (e164: string) => boolean;
  /**
   * Receipt matching, where a provider writes one id in several forms (SMPP carriers: hex in the
   * submit answer, decimal in the receipt, leading zeros or not): `idKey` is the key an id from a
   * submit answer is recorded under, `idVariants` the keys a receipt's id may match. Default: the
   * id itself, both ways.
   */
  readonly idKey?: (id: string) => string;
  readonly idVariants?: (id: string) => string[];
}

/** A message handed to a connector: the domain's view, never a wire format. */
export interface OutboundMessage {
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly text: string;
  readonly encoding: TextEncoding;
  /** The text of each part, as the encoder split it. */
  readonly parts: readonly string[];
  readonly expiresAt: number;
  /** 1 for the first try. */
  readonly attempt: number;
}

export type SubmitResult =
  /** The provider took the message; one id per part it reported (often one for the whole). */
  | { readonly kind: 'accepted'; readonly providerMessageIds: readonly string[]; readonly raw?: unknown }
  /**
   * The provider refused it, saying why. `partIds`: the ids of the parts it took before refusing
   * one (a long message sent part by part): those parts reached the carrier.
   */
  | { readonly kind: 'refused'; readonly code: ReportedCode; readonly retryAfterMs?: number; readonly partIds?: readonly string[]; readonly raw?: unknown }
  /** No answer we can trust (timeout, connection lost after sending): it may have been taken. */
  | { readonly kind: 'unknown'; readonly reason: string; readonly raw?: unknown };

/**
 * A delivery receipt. `status` is the provider's status (it decides the lifecycle state); `error`
 * its more specific error code, when it sent one (it decides the canonical error).
 */
export interface ReceiptReport {
  readonly providerMessageId: string;
  readonly status: ReportedCode;
  readonly error?: ReportedCode;
  /** When the provider says it happened; receipt time is not event time. */
  readonly occurredAt: number | null;
  readonly raw: unknown;
}

/** A message a subscriber sent (mobile originated), as the provider delivered it. */
export interface InboundReport {
  /** The subscriber's number, E.164. */
  readonly from: string;
  /** The number or short code it was sent to. */
  readonly to: string;
  readonly text: string;
  readonly raw: unknown;
}

/** A connection coming up or going down, and why (a provider code, explained by the catalogue). */
export interface ConnectionStatus {
  /** `standby`: this node does not hold the connection (other nodes hold all its binds). */
  readonly state: 'up' | 'down' | 'standby';
  readonly reason?: ReportedCode;
}

/** A webhook call from a provider (delivery receipt, status callback, inbound message), as received. */
export interface WebhookRequest {
  readonly method: string;
  /** The full URL the provider called, as its public address: signatures cover it. */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received: signatures cover the raw bytes. */
  readonly body: Buffer;
}

/** What a webhook call says. */
export interface WebhookReading {
  readonly receipts: readonly ReceiptReport[];
  readonly inbound: readonly InboundReport[];
  /** Answers to live lookups the provider gives later (SMSPartner's HLR notifications). */
  readonly lookups?: readonly LiveReport[];
}

/**
 * Reads a provider's webhook calls: verifies the signature (throwing `invalid_signature`) and
 * reads the payload (throwing `invalid_parameter` for one it cannot read).
 */
export type WebhookReader = (request: WebhookRequest) => WebhookReading;

/** What a connector may call back into. */
export interface ConnectorContext {
  /** Settles once the receipt is committed (acknowledge it to the provider only then); rejects if it could not be. */
  receipt(report: ReceiptReport): Promise<void>;
  /** Settles once the message is committed; rejects if it could not be. */
  inbound(message: InboundReport): Promise<void>;
  status(update: ConnectionStatus): void;
  /**
   * Holds (or renews) `count` of the connection's `max` sessions for this node, across every
   * node of the deployment, until `ttlMs` from now: what keeps all nodes together within a
   * provider's bind limit. False when the others hold them all.
   */
  holdSessions(count: number, max: number, ttlMs: number): Promise<boolean>;
  /**
   * What this connection handed over that still waits for its receipt: a carrier that keeps its
   * state in memory (the sandbox) answers these after a restart, as a real one would.
   */
  awaitingReceipts(): Promise<{ providerMessageId: string; to: string }[]>;
  releaseSessions(): Promise<void>;
}

/**
 * What a live lookup request came to: the provider's answers; its promise to post them to the
 * connection's webhook URL later (`raw`: its acceptance); a refusal of the whole request (its
 * code, read by the catalogue); or no answer to trust (nothing was learned, nothing is charged).
 */
export type LookupOutcome =
  | { readonly kind: 'answered'; readonly reports: readonly LiveReport[] }
  | { readonly kind: 'pending'; readonly raw: unknown }
  | { readonly kind: 'refused'; readonly code: ReportedCode; readonly raw?: unknown }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Live number lookups (HLR) through a connection whose provider offers them. */
export interface NumberLookups {
  /** Most numbers one provider request may carry (1: one request per number). */
  readonly batch: number;
  /** Looks up E.164 numbers; a report per number the provider answered for. */
  lookup(numbers: readonly string[]): Promise<LookupOutcome>;
}

/** One configured connection to a provider. Adding a provider means one folder implementing this. */
export interface Connector {
  /** The connection's name in the configuration ("sandbox", "vonage-uk"). */
  readonly name: string;
  readonly provider: string;
  readonly capabilities: ConnectorCapabilities;
  /** Most submits per second the connection may make; the dispatcher keeps under it. */
  readonly tps: number;
  /** Most submits awaiting an answer at once. */
  readonly window: number;
  /**
   * True when the connection can take messages now (an SMPP bind is up). While it is false the
   * dispatcher leaves the connection's messages queued rather than failing them.
   */
  readonly ready: boolean;
  /** How the provider's webhooks are read; null for a provider that calls none (SMPP, the sandbox). */
  readonly webhooks: WebhookReader | null;
  /** Live number lookups through this connection; null where the provider offers none (or the connection lacks what they need). */
  readonly lookups: NumberLookups | null;
  start(context: ConnectorContext): Promise<void>;
  send(message: OutboundMessage): Promise<SubmitResult>;
  stop(): Promise<void>;
}
