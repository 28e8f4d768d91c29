import { SwitchboardError } from '../errors.js';

/** Control characters GSM 03.38 carries: line feed and carriage return, and form feed as an extension. */
const CARRIED_CONTROLS = new Set(['\n', '\r', '\f']);
const CONTROL = /\p{Cc}/u;
const VISIBLE = /[^\s\p{Cc}]/u;

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Checks a message text: it must show something (not be empty, blank, or only control
 * characters: `missing_parameter`), and hold no control character but the line feed, carriage
 * return and form feed that GSM 03.38 carries (`invalid_characters`, naming the first one). The
 * other controls (NUL, tab, escape, DEL, C1) have no printable form in GSM 7-bit nor in UCS-2.
 */
export function checkText(text: string, param = 'text'): void {
  if (text.length === 0) throw new SwitchboardError('missing_parameter', 'The message text is empty.', { param });
  if (!VISIBLE.test(text)) {
    throw new SwitchboardError('missing_parameter', 'The message text is blank: it holds only whitespace or control characters, nothing a handset would show.', { param });
  }
  const chars = [...text];
  const at = chars.findIndex((char) => CONTROL.test(char) && !CARRIED_CONTROLS.has(char));
  if (at === -1) return;
  throw new SwitchboardError(
    'invalid_characters',
    `The text holds the control character ${codePoint(chars[at]!)} at character ${at + 1}; only line feed, carriage return and form feed can be sent.`,
    { param },
  );
}

/** Why a string cannot be kept as it was received, if it cannot, and the code that says so. */
function flaw(text: string): Unstorable | undefined {
  // PostgreSQL cannot store U+0000 in text, and no field has a use for it.
  const nul = text.indexOf('\u0000');
  if (nul !== -1) return { code: 'invalid_characters', why: `holds the character U+0000 at character ${[...text.slice(0, nul)].length + 1}, which no field may hold` };
  // Stored as UTF-8, a lone surrogate would come back as U+FFFD: not what was received.
  if (!text.isWellFormed()) return { code: 'invalid_encoding', why: 'is not valid Unicode: it holds a lone surrogate' };
  return undefined;
}

export interface Unstorable {
  readonly code: 'invalid_characters' | 'invalid_encoding';
  readonly why: string;
}

/**
 * The first string (or key) of a received value that cannot be stored as received, named as
 * errors name a parameter (`to[3]`, `settings.name`); undefined when every one can. Walked
 * without recursion: a body nested a hundred thousand deep is answered like any other.
 */
export function unstorableIn(value: unknown): (Unstorable & { param: string }) | undefined {
  interface Node {
    readonly value: unknown;
    readonly key: string | number | null;
    readonly parent: Node | null;
  }
  // Paths are made only for the one reported, by walking up: a deep body costs no string per level.
  const pathOf = (node: Node): string => {
    const keys: (string | number)[] = [];
    for (let n: Node | null = node; n && n.key !== null; n = n.parent) keys.push(n.key);
    return keys.reverse().reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : at === '' ? key : `${at}.${key}`), '');
  };
  const stack: Node[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === 'string') {
      const found = flaw(v);
      if (found !== undefined) return { ...found, param: pathOf(node) };
      continue;
    }
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array) continue;
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((item: unknown, i) => [i, item]) : Object.entries(v);
    // Pushed last to first, so that the first field is looked at first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      const child = { value: item, key, parent: node };
      stack.push(child);
      if (typeof key === 'string' && flaw(key) !== undefined) stack.push({ value: key, key, parent: node });
    }
  }
  return undefined;
}
