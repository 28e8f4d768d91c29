import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CANONICAL_ERRORS } from '../../core/catalogue/canonical.js';
import { smspartnerCodes } from '../../providers/smspartner/codes.js';
import { BY_PARAMETER, CONTROL_CODES } from './codes.js';

/** The sections of the seed (001) whose codes answer API requests. */
const REQUEST_SECTIONS = ['sending-sms', 'sms-cancellation', 'status-retrieval', 'number-verification', 'sub-account'];
/** Codes of SMSPartner's API reference that the seed's request sections lack: its mail section's rate limit, the cancellation of a sent SMS. */
const REFERENCE_ONLY = ['429', '7'];

const rows = (context: string) => smspartnerCodes.find((t) => t.context === context)!.rows.map((r) => r.code as string);

test('every canonical error has one SMSPartner control code, each one the seed or its API reference documents', () => {
  const codes = Object.values(CONTROL_CODES).flat();
  assert.deepEqual([...codes].sort(), CANONICAL_ERRORS.map((e) => e.code).sort(), 'each canonical code exactly once');
  const known = new Set([...REQUEST_SECTIONS.flatMap(rows), ...REFERENCE_ONLY]);
  for (const code of [...Object.keys(CONTROL_CODES), ...Object.values(BY_PARAMETER)]) assert.ok(known.has(code), `code ${code}`);
});

test("the seed's Sending SMS codes a request can meet from Switchboard's state: every one but 15 and 51", () => {
  const answered = new Set([...Object.keys(CONTROL_CODES), ...Object.values(BY_PARAMETER)]);
  // 15: a number already in a list (contacts), not a send; 51: low-cost eligibility, which no rule here decides.
  assert.deepEqual(rows('sending-sms').filter((c) => !answered.has(c)).sort(), ['15', '51']);
});
