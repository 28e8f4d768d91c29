import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeGsm7 } from '../../core/encoding/gsm7.js';
import { textOf } from './fields.js';
import { pdu } from './pdu/codec.js';
import { TLV } from './pdu/commands.js';
import { doneAt, idKey, idVariants, isReceipt, parseReceiptText, readReceipt, receiptStatus } from './receipt.js';

const TEXT = 'id:0123456789 sub:001 dlvrd:000 submit date:2611221030 done date:2611221031 stat:UNDELIV err:027 text:Your code is 1234';

test('the receipt text of Appendix B is read field by field', () => {
  assert.deepEqual(parseReceiptText(TEXT), {
    id: '0123456789',
    sub: '001',
    dlvrd: '000',
    'submit date': '2611221030',
    'done date': '2611221031',
    stat: 'UNDELIV',
    err: '027',
    text: 'Your code is 1234',
  });
  assert.equal(parseReceiptText('id:ABC stat:DELIVRD').stat, 'DELIVRD');
  assert.equal(parseReceiptText('ID:abc Stat:delivrd').id, 'abc');
});

test('a deliver_sm with the receipt bit is a receipt; TLVs are read beside the text', () => {
  const deliver = pdu(
    'deliver_sm',
    5,
    { esm_class: 0x04, data_coding: 0, short_message: Buffer.from(encodeGsm7(TEXT)) },
    new Map([
      [TLV.receipted_message_id, Buffer.from('75BCD15\0', 'latin1')],
      [TLV.message_state, Buffer.from([5])],
      [TLV.network_error_code, Buffer.from([3, 0, 27])],
    ]),
  );
  assert.ok(isReceipt(deliver));
  assert.ok(!isReceipt(pdu('deliver_sm', 6, { esm_class: 0 })));
  const r = readReceipt(deliver);
  assert.equal(r.receiptedMessageId, '75BCD15');
  assert.equal(r.messageState, 5);
  assert.deepEqual(r.networkError, { type: 3, code: 27 });
  assert.deepEqual(receiptStatus(r), { provider: 'smpp', context: 'receipt-stat', code: 'UNDELIV' });
  assert.equal(doneAt(r), Date.UTC(2026, 10, 22, 10, 31));
});

test('message_state stands in when there is no stat:', () => {
  const r = readReceipt(pdu('deliver_sm', 1, { esm_class: 0x04, short_message: Buffer.alloc(0) }, new Map([[TLV.message_state, Buffer.from([2])]])));
  assert.deepEqual(receiptStatus(r), { provider: 'smpp', context: 'message-state', code: '2' });
});

test('ids match across hex and decimal, with or without leading zeros', () => {
  assert.ok(idVariants('123456789').includes(idKey('75bcd15')));
  assert.ok(idVariants('123456789').includes(idKey('00075BCD15')));
  assert.ok(idVariants('075BCD15').includes(idKey('123456789')));
  assert.ok(idVariants('000123').includes(idKey('123')));
  assert.deepEqual(idVariants('msg-1'), ['MSG-1']);
});

test('text is read by data_coding, and a broken UCS-2 payload does not throw', () => {
  assert.equal(textOf(pdu('deliver_sm', 1, { data_coding: 8, short_message: Buffer.from('041f0440', 'hex') })), 'Пр');
  assert.equal(textOf(pdu('deliver_sm', 1, { data_coding: 8, short_message: Buffer.from('041f04', 'hex') })), 'П');
  assert.equal(textOf(pdu('deliver_sm', 1, { data_coding: 0, short_message: Buffer.from([0x00, 0x1b, 0x65]) })), '@€');
});
