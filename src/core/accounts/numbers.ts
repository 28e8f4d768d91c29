import { SwitchboardError } from '../errors.js';
import { E164_PATTERN } from '../validation/phone.js';
import { classifySender } from '../validation/sender.js';

/** What an account may own: a number subscribers text, an E.164 long number or a short code. */
export const OWNED_NUMBER_PATTERN = `${E164_PATTERN}|^[0-9]{3,8}$`;

/**
 * Checks a number to assign: an E.164 number or a short code, as a message's `from` takes them.
 * Alphanumeric sender ids are refused: nobody can text one, so they are `allowed_senders`, not
 * numbers.
 */
export function ownedNumber(value: string, param = 'number'): string {
  const kind = classifySender(value, param);
  if (kind === 'alphanumeric') {
    throw new SwitchboardError('invalid_parameter', `${JSON.stringify(value)} is an alphanumeric sender id: nobody can text it, so it is not a number to own (list it in the account's allowed_senders).`, { param });
  }
  return value;
}

const INTERNATIONAL_DIGITS = /^[1-9][0-9]{8,14}$/;

/**
 * The number an inbound message was sent to, as numbers are kept: carriers and providers often
 * write an international number without its +, which a short code (at most 8 digits) never is.
 */
export function numberKey(to: string): string {
  return INTERNATIONAL_DIGITS.test(to) ? `+${to}` : to;
}
