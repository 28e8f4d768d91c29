import type { IncomingHttpHeaders } from 'node:http';
import { Agent } from 'undici';
import { requestWithin, type RequestInit } from '../../http/request.js';
import type { ReportedCode } from '../../core/catalogue/interpret.js';

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
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

/** Keep-alive connections to the providers, shared by every HTTP connector of the node. */
const PROVIDERS = new Agent();

/** One HTTP request with a deadline. */
export async function httpRequest(url: string, init: RequestInit, timeoutMs: number): Promise<HttpOutcome> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { kind: 'not_sent', code: { provider: 'http', context: 'network', code: 'ERR_INVALID_URL' } };
  }
  const answer = await requestWithin(PROVIDERS, target, init, timeoutMs);
  if ('text' in answer) return { kind: 'response', response: answer };
  // Still waiting for a connection at the deadline: it was never sent.
  const code = answer.timedOut && !answer.started ? 'UND_ERR_CONNECT_TIMEOUT' : (answer.error.code ?? 'UNKNOWN');
  if (BEFORE_SENDING.has(code)) return { kind: 'not_sent', code: { provider: 'http', context: 'network', code } };
  if (answer.timedOut) return { kind: 'unknown', reason: answer.error.message };
  return { kind: 'unknown', reason: `the connection failed after sending (${code})` };
}

/** The HTTP status as a catalogue code, for answers the provider's own error format does not explain. */
export function statusCode(status: number): ReportedCode {
  return { provider: 'http', context: 'status', code: String(status) };
}

/** Retry-After in milliseconds (seconds or an HTTP date), when the provider sent one. */
export function retryAfterMs(headers: IncomingHttpHeaders, now: number): number | undefined {
  const value = headers['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
