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
