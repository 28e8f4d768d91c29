import type { CanonicalCode } from '../catalogue/canonical.js';
import type { HolidayCalendar } from './holidays.js';
import { blockedContent } from './content.js';
import { NO_ALPHANUMERIC_SENDERS, OPT_OUT_INSTRUCTIONS } from './countries.js';
import type { Policy } from './policy.js';
import { holdAt } from './windows.js';

/** A message as the rules see it, before it is stored. */
export interface Draft {
  readonly from: string;
  readonly senderKind: 'alphanumeric' | 'short_code' | 'number';
  readonly text: string;
  /** When it would go: its send_at, or now. */
  readonly at: number;
}

/** What the numbering plan says of the recipient that the rules need. */
export interface Recipient {
  readonly country: string | undefined;
  readonly timeZones: readonly string[];
}

/** What one rule decided. `rule` is `<policy>.<rule>` (`marketing.windows`). */
export type Outcome =
  | { readonly rule: string; readonly action: 'pass' }
  | { readonly rule: string; readonly action: 'refuse'; readonly code: CanonicalCode; readonly message: string }
  | { readonly rule: string; readonly action: 'defer'; readonly code: CanonicalCode; readonly message: string; readonly until: number }
  | { readonly rule: string; readonly action: 'rewrite'; readonly field: 'from' | 'text'; readonly value: string };

/** Every rule's outcome, and the message as the rules leave it. */
export interface Verdict {
  readonly outcomes: readonly Outcome[];
  readonly from: string;
  readonly text: string;
  /** When it may go: `draft.at`, or a deferral's window start. */
  readonly at: number;
  /** The first refusal, if any: the message must not be stored. */
  readonly refusal: Extract<Outcome, { action: 'refuse' }> | undefined;
}

/**
 * The stateless rules of a policy, in the order they change the message: the sender (before it
 * costs anything), the content, the opt-out instructions (a footer changes segments and price),
 * then the sending windows. Pure: the same draft, recipient, policy and calendar give the same
 * verdict. The duplicate guard and frequency caps count stored messages: the application applies them.
 */
export function judge(draft: Draft, recipient: Recipient, named: { readonly name: string; readonly policy: Policy }, calendar: HolidayCalendar): Verdict {
  const { name, policy } = named;
  const outcomes: Outcome[] = [];
  const country = recipient.country;
  let { from, text, at } = draft;

  if (policy.senderRules) {
    const rule = `${name}.sender`;
    if (draft.senderKind !== 'alphanumeric' || country === undefined || !NO_ALPHANUMERIC_SENDERS.has(country)) outcomes.push({ rule, action: 'pass' });
    else {
      const number = policy.numbers?.[country];
      if (number !== undefined) {
        from = number;
        outcomes.push({ rule, action: 'rewrite', field: 'from', value: number });
      } else {
        outcomes.push({ rule, action: 'refuse', code: 'alphanumeric_sender_not_allowed', message: `Carriers in ${country} do not carry alphanumeric senders such as ${JSON.stringify(from)}: send from a number, or configure the account's number for ${country}.` });
      }
    }
  }

  if (policy.blockedWords?.length || policy.blockedDomains?.length) {
    const rule = `${name}.content`;
    const found = blockedContent(text, policy);
    outcomes.push(found === undefined ? { rule, action: 'pass' } : { rule, action: 'refuse', code: 'content_rejected', message: `The text holds ${found}, which the account's policy blocks.` });
  }

  const instructions = country === undefined ? undefined : OPT_OUT_INSTRUCTIONS[country];
  if (policy.optOut && instructions) {
    const rule = `${name}.opt_out`;
    const footer = policy.footers?.[country!] ?? policy.footers?.['*'];
    if (instructions.pattern.test(text)) outcomes.push({ rule, action: 'pass' });
    else if (policy.optOut === 'footer' && footer !== undefined && instructions.pattern.test(footer)) {
      text = `${text}\n${footer}`;
      outcomes.push({ rule, action: 'rewrite', field: 'text', value: text });
    } else {
      outcomes.push({ rule, action: 'refuse', code: 'opt_out_instructions_missing', message: `Marketing messages to ${country} must tell how to opt out (e.g. "${instructions.example}").` });
    }
  }

  if (policy.windows || policy.holidays) {
    const rule = `${name}.${policy.windows ? 'windows' : 'holidays'}`;
    const hold = holdAt(at, recipient.timeZones, country, policy, calendar);
    if (!hold) outcomes.push({ rule, action: 'pass' });
    else {
      const decided = hold.reason === 'holiday' ? `${name}.holidays` : rule;
      const code: CanonicalCode = hold.reason === 'hours' ? 'outside_sending_hours' : 'outside_sending_days';
      const why = hold.reason === 'hours' ? 'outside the sending hours' : hold.reason === 'day' ? 'on a day without a sending window' : 'on a public holiday';
      const message = `${new Date(at).toISOString()} is ${why} of the recipient's time zone (${recipient.timeZones.join(', ')}).`;
      if (policy.outside === 'refuse' || hold.until === null) outcomes.push({ rule: decided, action: 'refuse', code, message: hold.until === null ? `${message} No window opens within two weeks.` : message });
      else {
        at = hold.until;
        outcomes.push({ rule: decided, action: 'defer', code, message, until: hold.until });
      }
    }
  }

  const refusal = outcomes.find((o): o is Extract<Outcome, { action: 'refuse' }> => o.action === 'refuse');
  return { outcomes, from, text, at, refusal };
}
