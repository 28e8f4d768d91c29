import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeGsm7, encodeGsm7 } from './gsm7.js';
import { chooseEncoding, encodeText } from './segments.js';

test('GSM 7-bit when every character is in GSM 03.38, UCS-2 otherwise', () => {
  assert.equal(chooseEncoding('Hello @£$¥ èéùìò ÄÖÑÜ§¿ äöñüà'), 'GSM-7');
  assert.equal(chooseEncoding('Price: 5€ [ok] {x} \\ ^ ~ |'), 'GSM-7');
  assert.equal(chooseEncoding('Curly ’quote'), 'UCS-2');
  assert.equal(chooseEncoding('Привет'), 'UCS-2');
  assert.equal(chooseEncoding('ç'), 'UCS-2'); // only the capital Ç is in the basic table
});

test('extension characters and form feed count two septets', () => {
  for (const c of ['€', '[', ']', '{', '}', '\\', '^', '~', '|', '\f']) assert.equal(encodeText(c).units, 2, c);
  assert.equal(encodeText('a€b').units, 4);
});

test('single message up to 160 septets, then parts of 153', () => {
  assert.deepEqual(encodeText('a'.repeat(160)).parts.length, 1);
  const two = encodeText('a'.repeat(161));
  assert.equal(two.parts.length, 2);
  assert.deepEqual(two.parts.map((p) => p.length), [153, 8]);
  assert.equal(encodeText('a'.repeat(153 * 10)).parts.length, 10);
  assert.equal(encodeText('a'.repeat(153 * 10 + 1)).parts.length, 11);
  assert.equal(encodeText('€'.repeat(80)).parts.length, 1); // 160 septets
  assert.equal(encodeText('€'.repeat(81)).parts.length, 2);
});

test('an escape pair never straddles two parts', () => {
  const parts = encodeText(`${'a'.repeat(152)}€b${'c'.repeat(10)}`).parts;
  assert.equal(parts[0], 'a'.repeat(152));
  assert.ok(parts[1]!.startsWith('€b'));
});

test('UCS-2: 70 units alone, parts of 67; emoji count two units and are never split', () => {
  assert.equal(encodeText('ж'.repeat(70)).parts.length, 1);
  assert.equal(encodeText('ж'.repeat(71)).parts.length, 2);
  assert.equal(encodeText('😀'.repeat(35)).units, 70);
  assert.equal(encodeText('😀'.repeat(35)).parts.length, 1);
  const parts = encodeText(`${'ж'.repeat(66)}😀${'ж'.repeat(10)}`).parts;
  assert.equal(parts[0], 'ж'.repeat(66));
  assert.ok(parts[1]!.startsWith('😀'));
});

test('GSM 7-bit codes round-trip, escapes included', () => {
  const text = 'Hi @ £5 €10 [a] {b} ~|^\\ ÄÖ\n';
  const bytes = encodeGsm7(text);
  assert.equal(bytes[3], 0x00); // '@' is 0x00
  assert.deepEqual([...encodeGsm7('€')], [0x1b, 0x65]);
  assert.equal(decodeGsm7(bytes), text);
  assert.throws(() => encodeGsm7('😀'), RangeError);
});
