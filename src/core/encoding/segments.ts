import { gsmSeptets } from './gsm7.js';

export type TextEncoding = 'GSM-7' | 'UCS-2';

/** Capacity of one SMS in the encoding's units: alone, and as a part of a concatenated message. */
const LIMITS: Readonly<Record<TextEncoding, { single: number; part: number }>> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/** The most characters a text of `parts` parts can hold: each then a one-septet GSM character. */
export function maxCharacters(parts: number): number {
  return parts * LIMITS['GSM-7'].part;
}

/** How a text goes on the air: its encoding, its length in that encoding's units, and its parts. */
export interface EncodedText {
  readonly encoding: TextEncoding;
  /** Septets for GSM-7 (extension characters count two), UTF-16 code units for UCS-2. */
  readonly units: number;
  /** The text of each SMS part; a part never splits an escape pair or a surrogate pair. */
  readonly parts: readonly string[];
}

/** GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2. */
export function chooseEncoding(text: string): TextEncoding {
  for (const char of text) if (gsmSeptets(char) === 0) return 'UCS-2';
  return 'GSM-7';
}

function costOf(char: string, encoding: TextEncoding): number {
  return encoding === 'GSM-7' ? gsmSeptets(char) : char.length;
}

/** Splits a text into the parts it is sent as. */
export function encodeText(text: string, encoding: TextEncoding = chooseEncoding(text)): EncodedText {
  const { single, part } = LIMITS[encoding];
  let units = 0;
  for (const char of text) units += costOf(char, encoding);
  if (units <= single) return { encoding, units, parts: [text] };

  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const char of text) {
    const cost = costOf(char, encoding);
    if (used + cost > part) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += char;
    used += cost;
  }
  parts.push(current);
  return { encoding, units, parts };
}
