import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canTransition, FINAL_STATUSES, MESSAGE_STATUSES, statusesBefore } from './lifecycle.js';

test('final statuses stay final', () => {
  for (const from of FINAL_STATUSES) for (const to of MESSAGE_STATUSES) assert.equal(canTransition(from, to), false, `${from} -> ${to}`);
});

test('a receipt may overtake the submit answer', () => {
  assert.ok(canTransition('sending', 'delivered'));
  assert.ok(canTransition('sending', 'undelivered'));
  assert.deepEqual(statusesBefore('delivered').sort(), ['sending', 'sent']);
});

test('only scheduled and queued messages can be canceled', () => {
  assert.deepEqual(statusesBefore('canceled').sort(), ['queued', 'scheduled']);
});
