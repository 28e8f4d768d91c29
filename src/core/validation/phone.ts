import { parsePhoneNumberFromString, type NumberType } from 'libphonenumber-js/max';
import { parsePhoneNumberFromString as parseMobile } from 'libphonenumber-js/mobile';
import type { CanonicalCode } from '../catalogue/canonical.js';
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

/** A + and 6 to 15 digits, the first not 0: the shape every destination must have. */
export const E164_PATTERN = '^\\+[1-9]\\d{5,14}$';
const E164 = new RegExp(E164_PATTERN);

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
 * A destination read once: routing needs its country before validation knows the route's policy.
 * Most destinations are mobile numbers, so they are read with the mobile-only metadata (half the
 * cost of the full set); a number that is not a valid mobile is read again with the full set.
 */
export interface Destination {
  readonly e164: string;
  readonly country: string | undefined;
  /** True when the number is a valid mobile (or fixed-line-or-mobile) number. */
  readonly mobile: boolean;
}

/** Reads an E.164 destination; throws `invalid_phone_number`, naming `param`, if it is not one. */
export function parseDestination(input: string, param: string): Destination {
  if (!E164.test(input)) {
    throw new SwitchboardError(
      'invalid_phone_number',
      `The phone number ${JSON.stringify(input)} is not in E.164 format (a + followed by 6 to 15 digits, e.g. +14155552671).`,
      { param },
    );
  }
  const mobile = parseMobile(input);
  if (mobile?.isValid()) return { e164: input, country: mobile.country, mobile: true };
  return { e164: input, country: parsePhoneNumberFromString(input)?.country, mobile: false };
}

/** The recipients read up to the first that is not a number, and why that one is not. */
export interface ReadDestinations {
  readonly destinations: Destination[];
  readonly error?: { readonly code: CanonicalCode; readonly message: string; readonly param: string | undefined };
}

/** Reads every recipient in order, stopping at the first that is not a valid E.164 number. */
export function readDestinations(numbers: readonly string[], multiple: boolean): ReadDestinations {
  const destinations: Destination[] = [];
  for (const [i, to] of numbers.entries()) {
    try {
      destinations.push(parseDestination(to, multiple ? `to[${i}]` : 'to'));
    } catch (error) {
      if (!(error instanceof SwitchboardError)) throw error;
      return { destinations, error: { code: error.code, message: error.message, param: error.param } };
    }
  }
  return { destinations };
}

/**
 * Checks that a destination can receive SMS under `policy`. Throws `invalid_phone_number` or
 * `not_mobile_number`, naming `param`.
 */
export function checkDestination(destination: Destination, param: string, policy: DestinationPolicy): void {
  const { e164 } = destination;
  if (destination.mobile || policy.reserved?.(e164)) return;
  const parsed = parsePhoneNumberFromString(e164);
  // With type metadata a number is valid exactly when it has a type: ask once, not twice.
  const type = parsed?.getType();
  if (!parsed || (type === undefined && !parsed.isValid())) {
    throw new SwitchboardError('invalid_phone_number', `The phone number ${JSON.stringify(e164)} is not a valid destination for SMS.`, { param });
  }
  if (type === undefined || SMS_CAPABLE.has(type) || (type === 'FIXED_LINE' && policy.allowFixedLine)) return;
  throw new SwitchboardError(
    'not_mobile_number',
    `The phone number ${JSON.stringify(e164)} is a ${type.toLowerCase().replaceAll('_', ' ')} number, which cannot receive SMS here.`,
    { param },
  );
}

/** Both steps at once, for callers that know the policy up front. */
export function validateDestination(input: string, param: string, policy: DestinationPolicy): string {
  checkDestination(parseDestination(input, param), param, policy);
  return input;
}
