import type { Catalogue } from '../core/catalogue/catalogue.js';
import { interpret, messageError } from '../core/catalogue/interpret.js';
import type { MessageStatus } from '../core/lifecycle.js';
import type { MessageError } from '../core/message.js';
import { refusedStatus } from '../core/policies/retry.js';
import type { ReceiptReport, SubmitResult } from './connector.js';

/** What a provider's payload says, as a connector reads it: a submit answer, or a receipt. */
export type ProviderReading = { readonly kind: 'submit'; readonly result: SubmitResult } | { readonly kind: 'receipt'; readonly report: ReceiptReport };

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

/**
 * What Switchboard does with a reading: the status a message would take and its canonical
 * error, by the same catalogue rules the dispatcher and the receipt ingest apply. A transient
 * refusal reads as `queued` (it would be retried).
 */
export function normalizeReading(catalogue: Catalogue, reading: ProviderReading): NormalizedMessage[] {
  if (reading.kind === 'receipt') {
    const { report } = reading;
    const { state, error } = interpret(catalogue, report.status, report.error);
    return [
      {
        provider_message_id: report.providerMessageId,
        state: state ?? 'sent',
        provider_code: report.error?.code ?? report.status.code,
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
