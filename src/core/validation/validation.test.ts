import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SwitchboardError } from '../errors.js';
import { E164_PATTERN, validateDestination } from './phone.js';
import { classifySender, SENDER_PATTERN } from './sender.js';

const strict = { allowFixedLine: false };

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof SwitchboardError);
    return e.code;
  }
}

test('mobile and fixed-line-or-mobile numbers are accepted', () => {
  assert.equal(validateDestination('+447911123456', 'to', strict), '+447911123456');
  assert.equal(validateDestination('+14155552671', 'to', strict), '+14155552671'); // FIXED_LINE_OR_MOBILE
  assert.equal(validateDestination('+33612345678', 'to', strict), '+33612345678');
});

test('invalid numbers are refused naming the parameter', () => {
  for (const n of ['447911123456', '+1555', '+44 7911 123456', 'hello', '+999123456789']) {
    assert.equal(code(() => validateDestination(n, 'to[3]', strict)), 'invalid_phone_number', n);
  }
  try {
    validateDestination('+1555', 'to[3]', strict);
  } catch (e) {
    assert.equal((e as SwitchboardError).param, 'to[3]');
  }
});

test('fixed lines are refused unless allowed', () => {
  assert.equal(code(() => validateDestination('+442079460000', 'to', strict)), 'not_mobile_number');
  assert.equal(validateDestination('+442079460000', 'to', { allowFixedLine: true }), '+442079460000');
});

test('the drama range is invalid unless the route reserves it', () => {
  assert.equal(code(() => validateDestination('+447700900000', 'to', strict)), 'invalid_phone_number');
  assert.equal(validateDestination('+447700900000', 'to', { allowFixedLine: false, reserved: (n) => n.startsWith('+447700900') }), '+447700900000');
});

test('senders: alphanumeric ids, short codes and E.164 numbers', () => {
  assert.equal(classifySender('Switchboard'), 'alphanumeric');
  assert.equal(classifySender('MY SHOP 24'), 'alphanumeric');
  assert.equal(classifySender('12345'), 'short_code');
  assert.equal(classifySender('+447911123456'), 'number');
  for (const bad of ['', 'TwelveChars1', '123456789012', 'Shop!', ' Shop']) assert.equal(code(() => classifySender(bad)), 'invalid_sender', bad);
});

test('the documented sender pattern accepts exactly the senders classifySender accepts', () => {
  const pattern = new RegExp(SENDER_PATTERN);
  const accepts = (from: string) => code(() => classifySender(from)) === undefined;
  const senderish = fc.oneof(fc.string({ unit: fc.constantFrom(...'aZ09 +!-'.split('')), maxLength: 16 }), fc.string({ maxLength: 16 }), fc.stringMatching(new RegExp(E164_PATTERN)));
  fc.assert(fc.property(senderish, (from) => pattern.test(from) === accepts(from)), { seed: 7, numRuns: 2000 });
  for (const from of ['Switchboard', 'MY SHOP 24', '12345', '+447911123456', '', ' Shop', 'Shop ', '123', '12', 'A']) assert.equal(pattern.test(from), accepts(from), from);
});
