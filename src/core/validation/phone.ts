import { parsePhoneNumberFromString, type NumberType } from 'libphonenumber-js/max';
import { SwitchboardError } from '../errors.js';

/** Number types that can receive SMS. Fixed lines join them only when the operator allows it. */
const SMS_CAPABLE: ReadonlySet<NumberType> = new Set([
  'MOBILE',
  'FIXED_LINE_OR_MOBILE',
  'PERSONAL_NUMBER',
  'PAGER',
  'VOIP',
  'TOLL_FREE',
]);

const E164 = /^\+[1-9]\d{5,14}$/;

export interface DestinationPolicy {
  /** Accept numbers that can only be fixed lines (text-to-landline). Default false. */
  readonly allowFixedLine: boolean;
  /**
   * Numbers accepted even though the numbering plan calls them invalid: the sandbox's reserved
   * test range. Only the routes that lead to the sandbox pass it.
   */
  readonly reserved?: (e164: string) => boolean;
}

/**
 * Checks that `input` is an E.164 number that can receive SMS and returns it. Throws
 * `invalid_phone_number` or `not_mobile_number`, naming `param`.
 */
export function validateDestination(input: string, param: string, policy: DestinationPolicy): string {
  if (!E164.test(input)) {
    throw new SwitchboardError(
      'invalid_phone_number',
      `The phone number ${JSON.stringify(input)} is not in E.164 format (a + followed by 6 to 15 digits, e.g. +14155552671).`,
      { param },
    );
  }
  if (policy.reserved?.(input)) return input;
  const parsed = parsePhoneNumberFromString(input);
  if (!parsed || !parsed.isValid()) {
    throw new SwitchboardError('invalid_phone_number', `The phone number ${JSON.stringify(input)} is not a valid destination for SMS.`, { param });
  }
  const type = parsed.getType();
  if (type === undefined || SMS_CAPABLE.has(type) || (type === 'FIXED_LINE' && policy.allowFixedLine)) return input;
  throw new SwitchboardError(
    'not_mobile_number',
    `The phone number ${JSON.stringify(input)} is a ${type.toLowerCase().replaceAll('_', ' ')} number, which cannot receive SMS here.`,
    { param },
  );
}

/** The ISO country of a valid number ("GB"), for routing. */
export function countryOf(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}
