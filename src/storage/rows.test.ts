import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smppReceiptUntil } from './rows.js';

test('an SMPP customer is owed one receipt per message: at its final status, not again for a read after delivered', () => {
  const row = { face: 'smpp:final:cred_1', created_at: 1_000, send_at: null, expires_at: 61_000 };
  assert.equal(smppReceiptUntil(row, { from: ['sent'], to: 'delivered' }, 5_000), 65_000, 'kept as long as its validity, from the change');
  assert.equal(smppReceiptUntil(row, { from: ['sent'], to: 'read' }, 5_000), 65_000, 'a read that overtook its delivery receipt');
  assert.equal(smppReceiptUntil(row, { from: ['delivered'], to: 'read' }, 5_000), undefined);
  assert.equal(smppReceiptUntil(row, { from: ['queued'], to: 'sending' }, 5_000), undefined, 'not final');
  assert.equal(smppReceiptUntil({ ...row, face: null }, { from: ['sent'], to: 'delivered' }, 5_000), undefined, 'not sent over SMPP');
});
