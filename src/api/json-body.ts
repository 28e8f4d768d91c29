import { SwitchboardError } from '../core/errors.js';

/** The largest request body the API reads. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

// A byte order mark is dropped before decoding, so that offsets in the text and the bytes agree.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const REPLACEMENT = '\uFFFD';

/**
 * A JSON request body, read exactly as sent: bytes that are not UTF-8 and strings with a lone
 * surrogate are refused (`invalid_encoding`, naming the field), never sent with U+FFFD in their
 * place; keys that would reach an object's prototype are refused rather than silently dropped.
 * An empty body is no body.
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const bytes = body.subarray(0, 3).equals(BOM) ? body.subarray(3) : body;
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw invalidUtf8(bytes);
  }
  const value = parse(text);
  checkValue(value, '');
  return value;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SwitchboardError('invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** "" + "to" -> "to"; "to" + 3 -> "to[3]"; "request" + "headers" -> "request.headers". */
function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Walks the parsed body for what cannot be taken as given, the first one found refusing it. */
function checkValue(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (!value.isWellFormed()) {
      throw new SwitchboardError('invalid_encoding', `${path === '' ? 'The request body' : `\`${path}\``} holds a lone surrogate (an unpaired \\ud800-\\udfff escape): it is not text that can be sent.`, {
        ...(path !== '' && { param: path }),
      });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkValue(item, child(path, i)));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    const at = child(path, key);
    // As secure-json-parse refuses them: `__proto__`, and `constructor` holding a `prototype`.
    if (key === '__proto__' || (key === 'constructor' && item !== null && typeof item === 'object' && 'prototype' in item)) {
      throw new SwitchboardError('invalid_parameter', `Keys named \`__proto__\`, or \`constructor\` holding \`prototype\`, are not accepted: \`${at}\`.`, { param: at });
    }
    if (!key.isWellFormed()) throw new SwitchboardError('invalid_encoding', `A key in ${path === '' ? 'the request body' : `\`${path}\``} holds a lone surrogate.`, path === '' ? {} : { param: path });
    checkValue(item, at);
  }
}

/**
 * The error for a body that is not UTF-8, naming the string that holds the first bad bytes when
 * the rest of the body is JSON: that string is found by parsing the body with the bad bytes
 * replaced by a character the body does not contain.
 */
function invalidUtf8(bytes: Buffer): SwitchboardError {
  const text = lenientUtf8.decode(bytes);
  const at = firstInvalid(text, bytes);
  const marker = unusedCharacter(text);
  let path: string | undefined;
  try {
    path = pathOf(JSON.parse(text.slice(0, at) + marker + text.slice(at + 1)), marker, '');
  } catch {
    path = undefined;
  }
  const named = path !== undefined && path !== '';
  return new SwitchboardError('invalid_encoding', `${named ? `\`${path}\`` : 'The request body'} holds bytes that are not valid UTF-8; nothing was sent in their place. Send the body encoded as UTF-8.`, {
    ...(named && { param: path }),
  });
}

/**
 * The index in `text` (the lenient decoding of `bytes`) of the U+FFFD that stands for the first
 * bad bytes, told apart from a U+FFFD the body really holds by the bytes at its place.
 */
function firstInvalid(text: string, bytes: Buffer): number {
  let offset = 0;
  let from = 0;
  for (let i = text.indexOf(REPLACEMENT); i !== -1; i = text.indexOf(REPLACEMENT, i + 1)) {
    offset += Buffer.byteLength(text.slice(from, i));
    if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd) return i;
    offset += 3;
    from = i + 1;
  }
  return text.indexOf(REPLACEMENT);
}

function unusedCharacter(text: string): string {
  let code = 0xe000;
  while (text.includes(String.fromCodePoint(code))) code++;
  return String.fromCodePoint(code);
}

/** The path of the first string value holding `marker`, or of the object whose key holds it. */
function pathOf(value: unknown, marker: string, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(marker) ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    if (typeof key === 'string' && key.includes(marker)) return path;
    const found = pathOf(item, marker, child(path, key));
    if (found !== undefined) return found;
  }
  return undefined;
}
