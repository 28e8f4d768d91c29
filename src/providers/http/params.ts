import { hash, timingSafeEqual } from 'node:crypto';
import { SwitchboardError } from '../../core/errors.js';

/**
 * A webhook's parameters wherever the provider put them: the query string (GET), a form or a JSON
 * object (POST). JSON values are kept as text; nested objects are reached with dotted names.
 */
export function webhookParams(url: string, contentType: string | undefined, body: string): Record<string, string> {
  // The URL's token is the connection's secret (checked by requireToken): never a field of the payload kept and shown.
  const params: Record<string, string> = Object.fromEntries([...new URL(url).searchParams].filter(([name]) => name !== 'token'));
  if (body.trim() === '') return params;
  if (contentType?.includes('json')) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    if (!json || typeof json !== 'object') throw new SwitchboardError('invalid_json', 'The webhook body is not a JSON object.');
    flatten(json as Record<string, unknown>, '', params);
    return params;
  }
  return { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
}

function flatten(value: Record<string, unknown>, prefix: string, into: Record<string, string>): void {
  for (const [k, v] of Object.entries(value)) {
    const name = prefix + k;
    if (v !== null && typeof v === 'object') flatten(v as Record<string, unknown>, `${name}.`, into);
    else into[name] = String(v);
  }
}

const digest = (s: string) => hash('sha256', s, 'buffer');

/**
 * Expected secrets' digests (connections' tokens, credentials' secrets), made once each: one is
 * checked at every callback. A bound on memory, not on secrets: past it, they are made again.
 */
const expectedDigests = new Map<string, Buffer>();
const DIGESTS_KEPT = 1000;

/** Whether a secret a caller presented is the expected one, in constant time (their digests compared, whatever their lengths). */
export function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (given === null || given === undefined) return false;
  let want = expectedDigests.get(expected);
  if (!want) {
    if (expectedDigests.size >= DIGESTS_KEPT) expectedDigests.clear();
    expectedDigests.set(expected, (want = digest(expected)));
  }
  return timingSafeEqual(digest(given), want);
}

/** For providers that do not sign their callbacks: the URL they call must carry the connection's secret token. */
export function requireToken(url: string, token: string): void {
  if (!sameSecret(new URL(url).searchParams.get('token'), token)) {
    throw new SwitchboardError('invalid_signature', 'The callback does not carry the token of this connection’s callback URL.');
  }
}

/**
 * A number as providers write it in webhooks (`447700900001`, `+447700900001`) in E.164; a short
 * code (3 to 8 digits, as senders are classified) or anything else stays as it is.
 */
export function e164OrShortCode(value: string): string {
  const digits = value.trim().replace(/^\+/, '');
  return /^[1-9]\d{8,14}$/.test(digits) ? `+${digits}` : value.trim();
}

/**
 * The type a pasted payload is read as: JSON when it is a JSON object or array, whatever it was
 * declared as (a provider that posts forms may be set to post JSON, and a log may hold either);
 * else the declared type, a form by default.
 */
export function pastedType(text: string, contentType: string | undefined): string {
  if (/^\s*[[{]/.test(text)) return 'application/json';
  return contentType ?? 'application/x-www-form-urlencoded';
}

/** A provider's body as JSON, or undefined when it is not JSON (an HTML error page, say). */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
