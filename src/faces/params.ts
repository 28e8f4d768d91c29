import { parseJsonBody } from '../api/json-body.js';
import { SwitchboardError } from '../core/errors.js';
import { unstorableIn } from '../core/validation/text.js';

/**
 * A request's parameters wherever a provider's API takes them: the query string, then a form or
 * a JSON object body (the body wins). JSON values are kept as their text ("true", "20000"), as a
 * form would carry them; a nested value is refused, naming it, unless its name is one of
 * `nested` (an API's documented lists and objects), kept as its JSON text. Percent-escapes that
 * are not UTF-8 are refused (`invalid_encoding`), never read as U+FFFD.
 */
export function requestParams(url: string, contentType: string | undefined, body: Buffer, nested: readonly string[] = []): Record<string, string> {
  const query = url.indexOf('?');
  const params = query === -1 ? Object.create(null) as Record<string, string> : formParams(url.slice(query + 1));
  if (body.length > 0) {
    if (contentType?.toLowerCase().includes('json')) Object.assign(params, jsonParams(parseJsonBody(body), nested));
    else Object.assign(params, formParams(utf8(body)));
  }
  const flaw = unstorableIn(params);
  if (flaw) throw new SwitchboardError(flaw.code, `The parameter \`${flaw.param}\` ${flaw.why}.`, { param: flaw.param });
  return params;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function utf8(body: Buffer): string {
  try {
    return strictUtf8.decode(body);
  } catch {
    throw new SwitchboardError('invalid_encoding', 'The request body holds bytes that are not valid UTF-8; send it encoded as UTF-8.');
  }
}

/** `a=1&b=x+y`: the first value of each name is kept. */
function formParams(text: string): Record<string, string> {
  const params = Object.create(null) as Record<string, string>;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq), undefined);
    if (!(name in params)) params[name] = decode(eq === -1 ? '' : pair.slice(eq + 1), name);
  }
  return params;
}

function decode(text: string, param: string | undefined): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new SwitchboardError('invalid_encoding', `${param === undefined ? 'A parameter name' : `The parameter \`${param}\``} holds a percent-escape that is not UTF-8 text.`, param === undefined ? {} : { param });
  }
}

function jsonParams(json: unknown, nested: readonly string[]): Record<string, string> {
  if (json === undefined) return Object.create(null) as Record<string, string>;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new SwitchboardError('invalid_json', 'The request body must be a JSON object.');
  const params = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(json)) {
    if (value !== null && typeof value === 'object' && nested.includes(name)) params[name] = JSON.stringify(value);
    else if (value !== null && typeof value === 'object') throw new SwitchboardError('invalid_parameter', `The parameter \`${name}\` must be a string, a number or a boolean.`, { param: name });
    else if (value !== null) params[name] = String(value);
  }
  return params;
}

/** HTTP Basic credentials (`Authorization: Basic base64(key:secret)`), if the header holds them. */
export function basicCredentials(header: string | undefined): { key: string; secret: string } | undefined {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon === -1 ? undefined : { key: text.slice(0, colon), secret: text.slice(colon + 1) };
}
