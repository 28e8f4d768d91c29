import { SwitchboardError } from '../errors.js';
import { E164_PATTERN } from './phone.js';

const ALPHANUMERIC = /^[A-Za-z0-9 ]{1,11}$/;
const HAS_LETTER = /[A-Za-z]/;
const SHORT_CODE = /^\d{3,8}$/;
const E164 = new RegExp(E164_PATTERN);

/** The senders `classifySender` accepts, as one pattern for the API's document. */
export const SENDER_PATTERN = `${E164_PATTERN}|^\\d{3,8}$|^(?=[^A-Za-z]*[A-Za-z])(?! )[A-Za-z0-9 ]{1,11}(?<! )$`;

export type SenderKind = 'alphanumeric' | 'short_code' | 'number';

/**
 * Classifies the `from` value: an alphanumeric sender id (1-11 letters, digits or spaces, at least
 * one letter), a short code (3-8 digits) or an E.164 number. Throws `invalid_sender` otherwise.
 */
export function classifySender(from: string, param = 'from'): SenderKind {
  if (E164.test(from)) return 'number';
  if (SHORT_CODE.test(from)) return 'short_code';
  if (ALPHANUMERIC.test(from) && HAS_LETTER.test(from) && from.trim() === from) return 'alphanumeric';
  throw new SwitchboardError(
    'invalid_sender',
    `The sender ${JSON.stringify(from)} is not valid: use an alphanumeric id of 1 to 11 characters with at least one letter, a short code, or an E.164 number.`,
    { param },
  );
}
