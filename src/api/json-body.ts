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
  checkValue(value);
  return value;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SwitchboardError('invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** A place in the body: its key in its parent, up to the body itself. */
interface Place {
  readonly key: string | number;
  readonly parent: Place | undefined;
}

/** A place as `param` names it: `to[3]`, `request.headers` ("" for the body itself). */
function pathOf(place: Place | undefined): string {
  let path = '';
  for (let at = place; at; at = at.parent) {
    const key = at.key;
    path = typeof key === 'number' ? `[${key}]${path}` : `${at.parent ? '.' : ''}${key}${path}`;
  }
  return path;
}

/**
 * Every value of a parsed body with its place, in document order. Iterative, and paths made only
 * when one is named: a body nested a hundred thousand deep is read like any other.
 */
function* values(root: unknown): Generator<{ value: unknown; place: Place | undefined }> {
  const stack: { value: unknown; place: Place | undefined }[] = [{ value: root, place: undefined }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    yield node;
    const { value, place: parent } = node;
    if (value === null || typeof value !== 'object') continue;
    const children = Array.isArray(value) ? value.map((item, key) => ({ value: item, place: { key, parent } })) : Object.entries(value).map(([key, item]) => ({ value: item, place: { key, parent } }));
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

const named = (path: string) => (path === '' ? 'The request body' : `\`${path}\``);

/** Refuses the first thing in the body that cannot be taken as given. */
function checkValue(root: unknown): void {
  for (const { value, place } of values(root)) {
    const key = place?.key;
    // As secure-json-parse refuses them: `__proto__`, and `constructor` holding a `prototype`.
    if (key === '__proto__' || (key === 'constructor' && value !== null && typeof value === 'object' && 'prototype' in value)) {
      const param = pathOf(place);
      throw new SwitchboardError('invalid_parameter', `Keys named \`__proto__\`, or \`constructor\` holding \`prototype\`, are not accepted: \`${param}\`.`, { param });
    }
    if (typeof key === 'string' && !key.isWellFormed()) {
      const param = pathOf(place!.parent);
      throw new SwitchboardError('invalid_encoding', `A key in ${param === '' ? 'the request body' : `\`${param}\``} holds a lone surrogate (an unpaired \\ud800-\\udfff escape).`, param === '' ? {} : { param });
    }
    if (typeof value === 'string' && !value.isWellFormed()) {
      const param = pathOf(place);
      throw new SwitchboardError('invalid_encoding', `${named(param)} holds a lone surrogate (an unpaired \\ud800-\\udfff escape): it is not text that can be sent.`, param === '' ? {} : { param });
    }
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
    path = placeOf(JSON.parse(text.slice(0, at) + marker + text.slice(at + 1)), marker);
  } catch {
    path = undefined;
  }
  return new SwitchboardError('invalid_encoding', `${named(path ?? '')} holds bytes that are not valid UTF-8; nothing was sent in their place. Send the body encoded as UTF-8.`, {
    ...(path && { param: path }),
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
function placeOf(root: unknown, marker: string): string | undefined {
  for (const { value, place } of values(root)) {
    if (typeof place?.key === 'string' && place.key.includes(marker)) return pathOf(place.parent);
    if (typeof value === 'string' && value.includes(marker)) return pathOf(place);
  }
  return undefined;
}
