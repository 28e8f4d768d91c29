import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CANONICAL_ERRORS } from '../../core/catalogue/canonical.js';
import { MESSAGE_STATUSES } from '../../core/lifecycle.js';
import { vonageCodes } from '../../providers/vonage/codes.js';
import { RECEIPT_ERRORS, RECEIPT_STATUSES } from './receipt-codes.js';
import { BY_PARAMETER, SUBMIT_STATUSES } from './statuses.js';

const rows = (context: string) => new Set<string>(vonageCodes.find((t) => t.context === context)!.rows.map((r) => r.code));
const listed = (table: Readonly<Record<string, readonly string[]>>) => Object.values(table).flat();

test('every canonical error answers with one SMS API status, each a status of the seed (000)', () => {
  const codes = listed(SUBMIT_STATUSES);
  assert.deepEqual([...codes].sort(), CANONICAL_ERRORS.map((e) => e.code).sort(), 'each canonical code exactly once');
  const statuses = rows('sms-api-error-codes');
  for (const status of [...Object.keys(SUBMIT_STATUSES), ...Object.values(BY_PARAMETER)]) assert.ok(statuses.has(status), `status ${status}`);
});

test('the statuses a send through the face can meet from Switchboard\'s state: every one of the seed but 0 (success) and 10 (SMPP binds)', () => {
  const answered = new Set([...Object.keys(SUBMIT_STATUSES), ...Object.values(BY_PARAMETER)]);
  const seed = [...rows('sms-api-error-codes')].filter((s) => !answered.has(s));
  assert.deepEqual(seed.sort(), ['0', '10']);
});

test('every canonical error has a receipt err-code, each one of Vonage\'s DLR error codes; every final status a DLR status', () => {
  assert.deepEqual([...listed(RECEIPT_ERRORS)].sort(), CANONICAL_ERRORS.map((e) => e.code).sort());
  const errCodes = rows('delivery-receipt-errors');
  for (const code of Object.keys(RECEIPT_ERRORS)) assert.ok(errCodes.has(code), `err-code ${code}`);
  const dlrStatuses = rows('delivery-receipt-status');
  const finals = MESSAGE_STATUSES.filter((s) => !['scheduled', 'queued', 'sending', 'sent'].includes(s));
  assert.deepEqual(Object.keys(RECEIPT_STATUSES).sort(), [...finals].sort());
  for (const status of Object.values(RECEIPT_STATUSES)) assert.ok(dlrStatuses.has(status), status);
});
