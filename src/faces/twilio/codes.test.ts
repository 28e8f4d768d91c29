import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CANONICAL_ERRORS } from '../../core/catalogue/canonical.js';
import { twilioCodes } from '../../providers/twilio/codes.js';
import { BY_PARAMETER, ERROR_CODES } from './codes.js';

/** The REST API's generic errors (Bad Request, Forbidden, Internal Error): not messaging codes. */
const GENERIC = ['400', '20403', '20500'];

test('every canonical error has one Twilio code, each a messaging code of the provider table or a generic REST error', () => {
  const codes = Object.values(ERROR_CODES).flat();
  assert.deepEqual([...codes].sort(), CANONICAL_ERRORS.map((e) => e.code).sort(), 'each canonical code exactly once');
  const known = new Set<string>(twilioCodes.find((t) => t.context === 'error-codes')!.rows.map((r) => r.code));
  for (const code of [...Object.keys(ERROR_CODES), ...Object.values(BY_PARAMETER)]) assert.ok(known.has(code) || GENERIC.includes(code), `code ${code}`);
});
