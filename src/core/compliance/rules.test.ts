import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HolidayCalendar } from './holidays.js';
import { policyFor, type Policy } from './policy.js';
import { judge, type Draft } from './rules.js';

/** A fixed calendar: Christmas in France. */
const calendar: HolidayCalendar = { isHoliday: (country, date) => country === 'FR' && date === '2026-12-25' };
const H = (hh: number) => hh * 60;
const weekdays = { mon: { from: H(8), to: H(22) }, tue: { from: H(8), to: H(22) }, wed: { from: H(8), to: H(22) }, thu: { from: H(8), to: H(22) }, fri: { from: H(8), to: H(22) } };
const marketing: Policy = { windows: { ...weekdays, sat: { from: H(8), to: H(22) } }, holidays: true };
const draft = (at: string, over: Partial<Draft> = {}): Draft => ({ from: 'Shop', senderKind: 'alphanumeric', text: 'Sale today. STOP au 36111', at: Date.parse(at), ...over });
const paris = { country: 'FR', timeZones: ['Europe/Paris'] };
const named = (policy: Policy) => ({ name: 'marketing', policy });

describe('sending windows in the recipient\'s local time', () => {
  test('across a DST change the window opens at 08:00 local, an hour earlier in UTC than the day before', () => {
    // Saturday 28 March 2026, 22:30 in Paris (UTC+1); clocks go to UTC+2 that night.
    const v = judge(draft('2026-03-28T21:30:00Z'), paris, named({ ...marketing, windows: { ...marketing.windows, sun: { from: H(8), to: H(22) } } }), calendar);
    assert.deepEqual(v.outcomes, [{ rule: 'marketing.windows', action: 'defer', code: 'outside_sending_hours', message: v.outcomes[0]!.action === 'defer' ? v.outcomes[0]!.message : '', until: Date.parse('2026-03-29T06:00:00Z') }]);
    assert.equal(v.at, Date.parse('2026-03-29T06:00:00Z'));
    assert.equal(v.refusal, undefined);
  });

  test('a window start skipped by the change is read as clocks moved on', () => {
    const v = judge(draft('2026-03-29T00:30:00Z'), paris, named({ windows: { sun: { from: 150, to: H(22) } } }), calendar);
    assert.equal(v.at, Date.parse('2026-03-29T01:30:00Z'), '02:30 never shows: 03:30 CEST');
  });

  test('a public holiday of the recipient\'s country defers to the next day\'s window, naming the holidays rule', () => {
    const v = judge(draft('2026-12-25T09:00:00Z'), paris, named(marketing), calendar);
    const [o] = v.outcomes;
    assert.deepEqual([o!.rule, o!.action, o!.action === 'defer' && o!.code], ['marketing.holidays', 'defer', 'outside_sending_days']);
    assert.equal(v.at, Date.parse('2026-12-26T07:00:00Z'), 'Saturday 08:00 in Paris');
    assert.equal(judge(draft('2026-12-25T09:00:00Z'), { country: 'DE', timeZones: ['Europe/Berlin'] }, named(marketing), calendar).outcomes[0]!.action, 'pass', 'not a holiday there');
  });

  test('the recipient\'s midnight decides, not the server\'s', () => {
    const ny = { country: 'US', timeZones: ['America/New_York'] };
    // Friday 21:30 in New York is Saturday 01:30 UTC: allowed, though the server's Saturday has no window.
    assert.equal(judge(draft('2026-06-06T01:30:00Z'), ny, named({ windows: weekdays }), calendar).outcomes[0]!.action, 'pass');
    // Monday 22:00 in New York (Tuesday 02:00 UTC): held to Tuesday 08:00 there.
    const v = judge(draft('2026-06-02T02:00:00Z'), ny, named({ windows: weekdays }), calendar);
    assert.equal(v.at, Date.parse('2026-06-02T12:00:00Z'));
  });

  test('a number in several zones waits for the last of them to open, and refusing names the rule', () => {
    const alaska = { country: 'US', timeZones: ['America/Adak', 'America/Anchorage'] };
    // 08:30 in Anchorage is 07:30 in Adak.
    const v = judge(draft('2026-06-01T16:30:00Z'), alaska, named({ windows: weekdays }), calendar);
    assert.equal(v.at, Date.parse('2026-06-01T17:00:00Z'));
    const refused = judge(draft('2026-06-01T16:30:00Z'), alaska, named({ windows: weekdays, outside: 'refuse' }), calendar);
    assert.deepEqual([refused.refusal?.rule, refused.refusal?.code], ['marketing.windows', 'outside_sending_hours']);
  });

  test('a day without a window is outside_sending_days; refused when the policy says so', () => {
    const v = judge(draft('2026-12-27T10:00:00Z'), paris, named({ ...marketing, outside: 'refuse' }), calendar);
    assert.deepEqual([v.refusal?.rule, v.refusal?.code], ['marketing.windows', 'outside_sending_days']);
  });

  test('OTP and transactional messages are not held by the catch-all policy; a policy of their own holds them', () => {
    const any = { '*': { ...marketing, blockedWords: ['casino'] } };
    assert.deepEqual(policyFor('otp', any, {}), { name: '*', policy: { blockedWords: ['casino'] } });
    assert.deepEqual(policyFor('marketing', null, any), { name: '*', policy: any['*'] });
    assert.deepEqual(policyFor('otp', { otp: marketing }, any), { name: 'otp', policy: marketing });
    assert.equal(policyFor('otp', null, {}), undefined);
    assert.deepEqual(policyFor('marketing', any, { marketing }), { name: '*', policy: any['*'] }, 'the account\'s before the operator\'s');
  });
});

describe('the other rules', () => {
  test('a French marketing text without "STOP au 36111" gets the footer, or is refused without one', () => {
    const v = judge(draft('2026-06-01T10:00:00Z', { text: 'Sale today' }), paris, named({ optOut: 'footer', footers: { FR: 'STOP au 36111' } }), calendar);
    assert.equal(v.text, 'Sale today\nSTOP au 36111');
    const r = judge(draft('2026-06-01T10:00:00Z', { text: 'Sale today' }), paris, named({ optOut: 'refuse' }), calendar);
    assert.deepEqual([r.refusal?.rule, r.refusal?.code], ['marketing.opt_out', 'opt_out_instructions_missing']);
    assert.equal(judge(draft('2026-06-01T10:00:00Z', { text: 'Sale today' }), { country: 'GB', timeZones: [] }, named({ optOut: 'refuse' }), calendar).refusal, undefined);
  });

  test('an alphanumeric sender to the United States is refused, or replaced by the account\'s number there', () => {
    const us = { country: 'US', timeZones: ['America/New_York'] };
    assert.equal(judge(draft('2026-06-01T15:00:00Z'), us, named({ senderRules: true }), calendar).refusal?.code, 'alphanumeric_sender_not_allowed');
    assert.equal(judge(draft('2026-06-01T15:00:00Z'), us, named({ senderRules: true, numbers: { US: '+12025550123' } }), calendar).from, '+12025550123');
    assert.equal(judge(draft('2026-06-01T15:00:00Z'), paris, named({ senderRules: true }), calendar).from, 'Shop');
  });

  test('blocked words and URL domains (and their subdomains) are refused, naming what was found', () => {
    const policy = named({ blockedWords: ['Casino'], blockedDomains: ['bit.ly'] });
    assert.match(judge(draft('2026-06-01T10:00:00Z', { text: 'Win at the CASINO!' }), paris, policy, calendar).refusal!.message, /"Casino"/);
    assert.match(judge(draft('2026-06-01T10:00:00Z', { text: 'See https://go.bit.ly/x' }), paris, policy, calendar).refusal!.message, /bit\.ly/);
    assert.equal(judge(draft('2026-06-01T10:00:00Z', { text: 'Casinos and orbit.lyon.fr' }), paris, policy, calendar).refusal, undefined);
  });
});
