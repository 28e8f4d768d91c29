import { SwitchboardError } from '../../core/errors.js';

/**
 * A webhook's parameters wherever the provider put them: the query string (GET), a form or a JSON
 * object (POST). JSON values are kept as text; nested objects are reached with dotted names.
 */
export function webhookParams(url: string, contentType: string | undefined, body: string): Record<string, string> {
  const params: Record<string, string> = Object.fromEntries(new URL(url).searchParams);
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

/** For providers that do not sign their callbacks: the URL they call must carry the connection's secret token. */
export function requireToken(url: string, token: string): void {
  if (new URL(url).searchParams.get('token') !== token) {
    throw new SwitchboardError('invalid_signature', 'The callback does not carry the token of this connection’s callback URL.');
  }
}

/** A provider's body as JSON, or undefined when it is not JSON (an HTML error page, say). */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
