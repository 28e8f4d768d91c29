import { capturedPayload } from '../app/captured-http.js';
import { normalizeReading, readPayload, type PayloadReader } from '../app/normalize.js';
import type { Catalogue } from '../core/catalogue/catalogue.js';
import { PAYLOAD_READERS } from './readers.js';

/** A provider's reader of `kind` payloads (its first kind by default), or why there is none. */
export function readerFor(provider: string, kind: string | undefined): { kind: string; read: PayloadReader } | string {
  const readers = PAYLOAD_READERS[provider];
  if (!readers) return `unknown provider ${JSON.stringify(provider)}; known: ${Object.keys(PAYLOAD_READERS).join(', ')}`;
  const chosen = kind ?? Object.keys(readers)[0]!;
  const read = readers[chosen];
  if (!read) return `${provider} has no ${JSON.stringify(chosen)} payloads; known: ${Object.keys(readers).join(', ')}`;
  return { kind: chosen, read };
}

/**
 * Reads one payload, or the one a whole captured HTTP request or response carries; a payload that
 * cannot be read is an error result, never a crash.
 */
export function normalizeOne(catalogue: Catalogue, provider: string, kind: string | undefined, raw: string, contentType?: string): object {
  const reader = readerFor(provider, kind);
  if (typeof reader === 'string') return { provider, kind: kind ?? null, error: reader };
  const captured = capturedPayload(raw);
  try {
    const readings = readPayload(`${provider} ${reader.kind}`, () => reader.read(captured?.body ?? raw, captured?.contentType ?? contentType));
    return { provider, kind: reader.kind, messages: readings.flatMap((r) => normalizeReading(catalogue, r)) };
  } catch (error) {
    return { provider, kind: reader.kind, error: error instanceof Error ? error.message : String(error) };
  }
}

