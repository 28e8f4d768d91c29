import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canTransition, FINAL_STATUSES, MESSAGE_STATUSES } from './lifecycle.js';

test('final statuses stay final, but for delivered becoming read', () => {
  for (const from of FINAL_STATUSES) {
    for (const to of MESSAGE_STATUSES) assert.equal(canTransition(from, to), from === 'delivered' && to === 'read', `${from} -> ${to}`);
  }
});

test('read comes after delivered (or in its place), never before it', () => {
  assert.ok(canTransition('delivered', 'read'));
  assert.ok(canTransition('sent', 'read'));
  assert.equal(canTransition('read', 'delivered'), false);
  assert.deepEqual(MESSAGE_STATUSES.filter((s) => canTransition(s, 'read')).sort(), ['delivered', 'sent']);
});

test('a receipt is final only once the message is sent', () => {
  assert.ok(canTransition('sent', 'delivered'));
  assert.equal(canTransition('sending', 'delivered'), false);
});

test('only scheduled and queued messages can be canceled', () => {
  assert.deepEqual(MESSAGE_STATUSES.filter((s) => canTransition(s, 'canceled')).sort(), ['queued', 'scheduled']);
});
