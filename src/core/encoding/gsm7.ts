/**
 * The GSM 03.38 default alphabet and its extension table. A character of the basic table costs one
 * septet; one of the extension table costs two (the escape 0x1B, then its code).
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

const EXTENSION: Readonly<Record<string, number>> = {
  '\f': 0x0a,
  '^': 0x14,
  '{': 0x28,
  '}': 0x29,
  '\\': 0x2f,
  '[': 0x3c,
  '~': 0x3d,
  ']': 0x3e,
  '|': 0x40,
  '€': 0x65,
};

export const GSM_ESCAPE = 0x1b;

const basicCode = new Map<string, number>();
for (let i = 0; i < BASIC.length; i++) if (i !== GSM_ESCAPE) basicCode.set(BASIC[i]!, i);

const extensionChar = new Map<number, string>(Object.entries(EXTENSION).map(([c, v]) => [v, c]));

/** Septets a character costs in GSM 7-bit: 1 or 2, or 0 when it has no GSM encoding. */
export function gsmSeptets(char: string): 0 | 1 | 2 {
  if (basicCode.has(char)) return 1;
  return EXTENSION[char] === undefined ? 0 : 2;
}

/**
 * The unpacked GSM 7-bit codes of a text (one byte per septet, escapes included), as SMPP carries
 * them with data_coding 0. Throws on a character outside the alphabet: callers encode only text the
 * encoder classified as GSM.
 */
export function encodeGsm7(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const code = basicCode.get(char);
    if (code !== undefined) {
      out.push(code);
      continue;
    }
    const ext = EXTENSION[char];
    if (ext === undefined) throw new RangeError(`character U+${char.codePointAt(0)!.toString(16)} has no GSM 7-bit encoding`);
    out.push(GSM_ESCAPE, ext);
  }
  return Uint8Array.from(out);
}

/** Reads unpacked GSM 7-bit codes back into text; an unknown escape reads as a space, per 03.38. */
export function decodeGsm7(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]! & 0x7f;
    if (b === GSM_ESCAPE && i + 1 < bytes.length) {
      text += extensionChar.get(bytes[++i]! & 0x7f) ?? ' ';
    } else {
      text += BASIC[b];
    }
  }
  return text;
}
