/** The days of the week, as policies name them (Monday first, as ISO 8601 counts). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A span of one day in the recipient's local time, in minutes since midnight: [from, to). */
export interface DayWindow {
  readonly from: number;
  readonly to: number;
}

/**
 * What an account allows for one message type. Every rule is off unless set, so an account
 * without a policy sends as before. Rules are named `<type>.<rule>` in refusals and events
 * (`marketing.windows`).
 */
export interface Policy {
  /** Sending windows per weekday, in the recipient's local time; a day left out has none. Undefined: any time. */
  readonly windows?: Readonly<Partial<Record<Weekday, DayWindow>>>;
  /** No sending on the public holidays of the recipient's country. */
  readonly holidays?: boolean;
  /** Outside a window or on a holiday: schedule the message at the next window's start (default), or refuse it. */
  readonly outside?: 'defer' | 'refuse';
  /** Seconds within which the same text to the same number is refused (600: ten minutes). */
  readonly duplicateWindow?: number;
  /** At most this many messages of the type per number per hour and per day. */
  readonly caps?: { readonly hour?: number; readonly day?: number };
  /** Where a country requires opt-out instructions: refuse a text without them, or append the account's footer for the country. */
  readonly optOut?: 'refuse' | 'footer';
  /** The footer appended per country (ISO 3166 alpha-2), `*` for any. */
  readonly footers?: Readonly<Record<string, string>>;
  /** Words (whole, any case) refused in the text. */
  readonly blockedWords?: readonly string[];
  /** URL domains (and their subdomains) refused in the text. */
  readonly blockedDomains?: readonly string[];
  /** Refuse an alphanumeric sender where a country does not carry them, unless `numbers` has the account's number there. */
  readonly senderRules?: boolean;
  /** The account's number per country (ISO 3166 alpha-2), sent from in place of an alphanumeric sender where one is not allowed. */
  readonly numbers?: Readonly<Record<string, string>>;
}

/** Policies per message type; `*` for every type without its own. */
export type Policies = Readonly<Record<string, Policy>>;

/** OTP and transactional messages are not held by the `*` policy's windows and holidays: only a policy of their own holds them. */
const NEVER_HELD_BY_DEFAULT = new Set(['otp', 'transactional']);

/** The type's policy: the account's, else the operator's; in each, the type's own, else `*`. Its name says which. */
export function policyFor(type: string | undefined, account: Policies | null, operator: Policies): { readonly name: string; readonly policy: Policy } | undefined {
  const kind = type ?? '*';
  for (const set of [account, operator]) {
    const own = set?.[kind];
    if (own) return { name: kind, policy: own };
    const any = set?.['*'];
    if (!any) continue;
    if (!NEVER_HELD_BY_DEFAULT.has(kind)) return { name: '*', policy: any };
    const { windows: _w, holidays: _h, ...rest } = any;
    return { name: '*', policy: rest };
  }
  return undefined;
}
