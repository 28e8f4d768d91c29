import type { MessageStatus } from '../lifecycle.js';
import type { MessageError } from '../message.js';
import type { Catalogue } from './catalogue.js';
import type { CanonicalCode } from './canonical.js';

/** A code a provider reported, and the table of its codes it belongs to. */
export interface ReportedCode {
  readonly provider: string;
  /** The table the code belongs to; absent when the provider's codes are unique across its tables. */
  readonly context?: string;
  readonly code: string;
  readonly message?: string;
}

/** What a provider's answer means for a message: its lifecycle state (if the code says) and error. */
export interface Interpretation {
  readonly state: MessageStatus | undefined;
  readonly error: MessageError | null;
}

/**
 * Builds the message error for a canonical code, keeping what the provider said; `providerPermanent`
 * is the provider's own flag for its code, which wins over the canonical error's.
 */
export function messageError(catalogue: Catalogue, code: CanonicalCode, message: string, provider?: ReportedCode, providerPermanent?: boolean): MessageError {
  const view = catalogue.canonical(code, providerPermanent);
  return {
    type: view.type,
    code,
    message,
    doc_url: view.doc_url,
    permanent: view.permanent,
    retry: view.retry,
    ...(provider && {
      provider: {
        source: provider.provider,
        code: provider.code,
        ...(provider.context !== undefined && { context: provider.context }),
        ...(provider.message !== undefined && { message: provider.message }),
      },
    }),
  };
}

/**
 * Reads a provider's status and optional error code through the catalogue. The status decides
 * the state; the error code, when known, the canonical error (it is the more specific of the two),
 * except beside a status nobody knows the outcome of.
 * An unknown code keeps its raw value and reads as `unknown_error`.
 */
export function interpret(catalogue: Catalogue, status: ReportedCode, error?: ReportedCode): Interpretation {
  const statusMatch = catalogue.lookup(status.provider, status.code, status.context)[0];
  const errorMatch = error && catalogue.lookup(error.provider, error.code, error.context)[0];
  const state = statusMatch?.row.state;
  // A status saying nobody knows the outcome decides: an error code beside it cannot make it a
  // failure, to be retried and perhaps reach the handset twice.
  const byError = state !== 'unknown' && errorMatch?.row.canonical;
  const match = byError ? errorMatch : statusMatch;
  const source = byError ? error! : status;
  const canonical: CanonicalCode | null = match ? match.row.canonical : 'unknown_error';
  if (canonical === null) return { state, error: null };
  const providerMessage = source.message ?? match?.row.message;
  const reported = {
    ...source,
    ...(source.context === undefined && match && { context: match.table.context }),
    ...(providerMessage !== undefined && { message: providerMessage }),
  };
  return { state, error: messageError(catalogue, canonical, providerMessage ?? catalogue.canonical(canonical).title, reported, match?.row.permanent) };
}
