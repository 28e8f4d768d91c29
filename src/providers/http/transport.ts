import type { ReportedCode } from '../../core/catalogue/interpret.js';

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/**
 * What came of a request: an answer; a failure before anything was sent (safe to try again, or
 * elsewhere); or no answer after sending (the provider may have the message).
 */
export type HttpOutcome =
  | { readonly kind: 'response'; readonly response: HttpResponse }
  | { readonly kind: 'not_sent'; readonly code: ReportedCode }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Errors that mean the connection was never made, so the request never left. */
const BEFORE_SENDING = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** One HTTP request with a deadline, over Node's fetch. */
export async function httpRequest(url: string, init: { method: string; headers: Record<string, string>; body?: string }, timeoutMs: number): Promise<HttpOutcome> {
  try {
    const res = await fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: AbortSignal.timeout(timeoutMs) });
    return { kind: 'response', response: { status: res.status, headers: res.headers, text: await res.text() } };
  } catch (error) {
    if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return { kind: 'unknown', reason: `no answer within ${timeoutMs} ms` };
    }
    const code = String((error as { cause?: { code?: string } }).cause?.code ?? 'UNKNOWN');
    if (BEFORE_SENDING.has(code)) return { kind: 'not_sent', code: { provider: 'http', context: 'network', code } };
    return { kind: 'unknown', reason: `the connection failed after sending (${code})` };
  }
}

/** The HTTP status as a catalogue code, for answers the provider's own error format does not explain. */
export function statusCode(status: number): ReportedCode {
  return { provider: 'http', context: 'status', code: String(status) };
}

/** Retry-After in milliseconds (seconds or an HTTP date), when the provider sent one. */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
