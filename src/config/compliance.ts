import { Type, type Static } from 'typebox';
import { WEEKDAYS, type DayWindow, type Policies, type Policy, type Weekday } from '../core/compliance/policy.js';

const HHMM = '([01][0-9]|2[0-3]):[0-5][0-9]';
const WindowText = Type.String({ pattern: `^${HHMM}-(${HHMM}|24:00)$`, description: 'HH:MM-HH:MM, local time of the recipient, e.g. 08:00-22:00' });
const Countries = (value: ReturnType<typeof Type.String>, description: string) => Type.Record(Type.String({ pattern: '^([A-Z]{2}|\\*)$' }), value, { description });

/** One message type's policy, as the configuration file and the API write it. */
export const PolicySchema = Type.Object(
  {
    windows: Type.Optional(Type.Object(Object.fromEntries(WEEKDAYS.map((d) => [d, Type.Optional(WindowText)])), { additionalProperties: false, description: 'sending window per weekday (mon..sun); a day left out has none' })),
    holidays: Type.Optional(Type.Boolean({ description: 'no sending on the public holidays of the recipient\'s country' })),
    outside: Type.Optional(Type.Union([Type.Literal('defer'), Type.Literal('refuse')], { description: 'outside a window: defer to its next start (default) or refuse' })),
    duplicate_window: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: 'seconds within which the same text to the same number is refused (600: ten minutes)' })),
    caps: Type.Optional(
      Type.Object(
        { hour: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })), day: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) },
        { additionalProperties: false, description: 'at most this many messages of the type per number per hour and per day' },
      ),
    ),
    opt_out: Type.Optional(Type.Union([Type.Literal('refuse'), Type.Literal('footer')], { description: 'where a country requires opt-out instructions: refuse a text without them, or append the footer' })),
    footers: Type.Optional(Countries(Type.String({ minLength: 1, maxLength: 160 }), 'the footer per country (ISO 3166 alpha-2, "*" for any)')),
    blocked_words: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 1000 })),
    blocked_domains: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9.-]{1,253}$' }), { maxItems: 1000 })),
    sender_rules: Type.Optional(Type.Boolean({ description: 'refuse alphanumeric senders where a country does not carry them, unless numbers has one for it' })),
    numbers: Type.Optional(Countries(Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$' }), 'the account\'s number per country, sent from in place of an alphanumeric sender')),
  },
  { additionalProperties: false },
);

/** Policies per message type ("marketing", "otp"..., "*" for every other). */
export const PoliciesSchema = Type.Record(Type.String({ pattern: '^([a-z0-9_-]{1,32}|\\*)$' }), PolicySchema, { description: 'compliance policies per message type; "*" for the types without their own' });
export type PoliciesInput = Static<typeof PoliciesSchema>;
type PolicyInput = Static<typeof PolicySchema>;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A window's text as minutes; undefined when it ends before it starts (the caller names the field). */
export function parseWindow(text: string): DayWindow | undefined {
  const [from, to] = text.split('-') as [string, string];
  const window = { from: minutes(from), to: minutes(to) };
  return window.to > window.from ? window : undefined;
}

/** The policies as the core reads them; `problem` is told each field that cannot be (its path, what is wrong). */
export function toPolicies(input: PoliciesInput, problem: (path: string[], message: string) => void): Policies {
  return Object.fromEntries(Object.entries(input).map(([type, p]) => [type, toPolicy(p, (path, message) => problem([type, ...path], message))]));
}

function toPolicy(p: PolicyInput, problem: (path: string[], message: string) => void): Policy {
  const windows: Partial<Record<Weekday, DayWindow>> = {};
  for (const [day, text] of Object.entries(p.windows ?? {})) {
    const window = parseWindow(text as string);
    if (window) windows[day as Weekday] = window;
    else problem(['windows', day], 'a window ends after it starts (08:00-22:00)');
  }
  return {
    ...(p.windows && { windows }),
    ...(p.holidays !== undefined && { holidays: p.holidays }),
    ...(p.outside && { outside: p.outside }),
    ...(p.duplicate_window !== undefined && { duplicateWindow: p.duplicate_window }),
    ...(p.caps && { caps: p.caps }),
    ...(p.opt_out && { optOut: p.opt_out }),
    ...(p.footers && { footers: p.footers }),
    ...(p.blocked_words && { blockedWords: p.blocked_words }),
    ...(p.blocked_domains && { blockedDomains: p.blocked_domains }),
    ...(p.sender_rules !== undefined && { senderRules: p.sender_rules }),
    ...(p.numbers && { numbers: p.numbers }),
  };
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The policies as the file and the API write them. */
export function policiesToJson(policies: Policies): PoliciesInput {
  return Object.fromEntries(
    Object.entries(policies).map(([type, p]) => [
      type,
      {
        ...(p.windows && { windows: Object.fromEntries(Object.entries(p.windows).map(([d, w]) => [d, `${hhmm(w.from)}-${hhmm(w.to)}`])) }),
        ...(p.holidays !== undefined && { holidays: p.holidays }),
        ...(p.outside && { outside: p.outside }),
        ...(p.duplicateWindow !== undefined && { duplicate_window: p.duplicateWindow }),
        ...(p.caps && { caps: { ...p.caps } }),
        ...(p.optOut && { opt_out: p.optOut }),
        ...(p.footers && { footers: { ...p.footers } }),
        ...(p.blockedWords && { blocked_words: [...p.blockedWords] }),
        ...(p.blockedDomains && { blocked_domains: [...p.blockedDomains] }),
        ...(p.senderRules !== undefined && { sender_rules: p.senderRules }),
        ...(p.numbers && { numbers: { ...p.numbers } }),
      },
    ]),
  );
}
