import type { Catalogue } from '../core/catalogue/catalogue.js';
import { interpret, messageError, type ReportedCode } from '../core/catalogue/interpret.js';
import { keywordOf, type Keyword } from '../core/compliance/keywords.js';
import { SwitchboardError } from '../core/errors.js';
import type { MessageStatus } from '../core/lifecycle.js';
import type { MessageError } from '../core/message.js';
import { refusedStatus } from '../core/policies/retry.js';
import { readLive, type LiveReading, type LiveReport } from '../core/lookups/live.js';
import type { InboundReport, LookupOutcome, ReceiptReport, SubmitResult, WebhookReading } from './connector.js';

/**
 * What a provider's payload says, as a connector reads it: a submit answer, a receipt, a message a
 * subscriber sent, or an entry of a status poll whose look-up failed (the provider did not find the
 * message: that says nothing of its delivery).
 */
export type ProviderReading =
  | { readonly kind: 'submit'; readonly result: SubmitResult }
  | { readonly kind: 'receipt'; readonly report: ReceiptReport }
  | { readonly kind: 'inbound'; readonly message: InboundReport }
  | { readonly kind: 'lookup_failed'; readonly providerMessageId?: string; readonly to?: string; readonly code: ReportedCode }
  | { readonly kind: 'number'; readonly report: LiveReport };

/** A live number lookup's answer for one number, as Switchboard reads it (see Lookups). */
export interface NormalizedNumber extends LiveReading {
  readonly number: string;
}

/**
 * A lookup answer as readings: each number's answer, or the provider's refusal of the whole
 * request as a look-up that failed; a lookup whose answers come later has none to read.
 */
export function lookupReadings(outcome: LookupOutcome): ProviderReading[] {
  if (outcome.kind === 'answered') return outcome.reports.map((report) => ({ kind: 'number', report }));
  if (outcome.kind === 'refused') return [{ kind: 'lookup_failed', code: outcome.code }];
  if (outcome.kind === 'unknown') throw new Error(`no answer to read: ${outcome.reason}`);
  return [];
}

/** A webhook call's receipts, inbound messages and lookup answers, as readings. */
export function webhookReadings({ receipts, inbound, lookups = [] }: WebhookReading): ProviderReading[] {
  return [
    ...receipts.map((report) => ({ kind: 'receipt', report }) as const),
    ...inbound.map((message) => ({ kind: 'inbound', message }) as const),
    ...lookups.map((report) => ({ kind: 'number', report }) as const),
  ];
}

/**
 * Runs a reader on a provider's payload. One meeting null or a scalar where the provider sends an
 * object throws a TypeError: the payload is malformed, the caller's fault (`invalid_parameter`,
 * 400), not ours. Only the reading is judged so.
 */
export function readPayload<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TypeError) throw new SwitchboardError('invalid_parameter', `The ${what} payload has a shape Switchboard cannot read (${error.message}).`);
    throw error;
  }
}

/** Reads one raw payload of a provider; throws an Error saying why when it cannot. */
export type PayloadReader = (raw: string, contentType?: string) => ProviderReading[];

/** One message a payload speaks of, as Switchboard understands it. */
export interface NormalizedMessage {
  readonly provider_message_id?: string;
  readonly state: MessageStatus;
  readonly provider_code?: string;
  readonly error: MessageError | null;
  readonly occurred_at?: string;
}

/** A message a subscriber sent, as Switchboard would store it, with the opt-out keyword it is. */
export interface NormalizedInbound {
  readonly direction: 'inbound';
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly keyword: Keyword | null;
}

/** A status poll's entry that found no message: no status, and the error of the look-up. */
export interface NormalizedLookupFailure {
  readonly provider_message_id?: string;
  readonly to?: string;
  readonly lookup_failed: true;
  readonly error: MessageError | null;
}

/**
 * What Switchboard does with a reading: the status a message would take and its canonical
 * error, by the same catalogue rules the dispatcher and the receipt ingest apply. A transient
 * refusal reads as `queued` (it would be retried). A message a subscriber sent reads as itself.
 */
export function normalizeReading(catalogue: Catalogue, reading: ProviderReading): (NormalizedMessage | NormalizedInbound | NormalizedLookupFailure | NormalizedNumber)[] {
  if (reading.kind === 'number') return [{ number: reading.report.number, ...readLive(catalogue, reading.report) }];
  if (reading.kind === 'lookup_failed') {
    const { providerMessageId, to, code } = reading;
    return [{ ...(providerMessageId !== undefined && { provider_message_id: providerMessageId }), ...(to !== undefined && { to }), lookup_failed: true, error: interpret(catalogue, code).error }];
  }
  if (reading.kind === 'inbound') {
    const { from, to, text } = reading.message;
    return [{ direction: 'inbound', from, to, text, keyword: keywordOf(text) ?? null }];
  }
  if (reading.kind === 'receipt') {
    const { report } = reading;
    const { state, error } = interpret(catalogue, report.status, report.error);
    return [
      {
        provider_message_id: report.providerMessageId,
        state: state ?? 'sent',
        // The code that decided, as the error's provider details name it (a status when an error
        // code is not in the tables), else the code reported.
        provider_code: error?.provider?.code ?? report.error?.code ?? report.status.code,
        error,
        ...(report.occurredAt !== null && { occurred_at: new Date(report.occurredAt).toISOString() }),
      },
    ];
  }
  const { result } = reading;
  if (result.kind === 'accepted') {
    if (result.providerMessageIds.length === 0) return [{ state: 'sent', error: null }];
    return result.providerMessageIds.map((id) => ({ provider_message_id: id, state: 'sent', error: null }));
  }
  if (result.kind === 'unknown') {
    return [{ state: 'sent', error: messageError(catalogue, 'provider_timeout', `No trustworthy answer from the provider: ${result.reason}`) }];
  }
  const { state, error } = interpret(catalogue, result.code);
  if (!error) return [{ state: state ?? 'sent', provider_code: result.code.code, error: null }];
  return [{ state: error.retry === 'after_delay' ? 'queued' : refusedStatus(error, state), provider_code: result.code.code, error }];
}
