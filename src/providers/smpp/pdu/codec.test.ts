import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePdu, encodePdu, PduError, PduReader, pdu } from './codec.js';
import { TLV } from './commands.js';

test('enquire_link is a bare 16-octet header (SMPP 3.4, 4.11.1)', () => {
  assert.equal(encodePdu(pdu('enquire_link', 7)).toString('hex'), '00000010' + '00000015' + '00000000' + '00000007');
});

test('bind_transceiver encodes its fields as C-octet strings and integers, in order', () => {
  const bytes = encodePdu(pdu('bind_transceiver', 1, { system_id: 'sb', password: 'pw', system_type: '', interface_version: 0x34, addr_ton: 0, addr_npi: 0, address_range: '' }));
  assert.equal(bytes.toString('hex'), '0000001b' + '00000009' + '00000000' + '00000001' + '736200' + '707700' + '00' + '34' + '00' + '00' + '00');
});

test('submit_sm round-trips, optional parameters included', () => {
  const original = pdu(
    'submit_sm',
    42,
    {
      service_type: '',
      source_addr_ton: 5,
      source_addr_npi: 0,
      source_addr: 'Switchboard',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '447700900000',
      esm_class: 0x40,
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '000002000000000R',
      registered_delivery: 1,
      replace_if_present_flag: 0,
      data_coding: 8,
      sm_default_msg_id: 0,
      short_message: Buffer.from('0500030a0201041f', 'hex'),
    },
    new Map([[TLV.user_message_reference, Buffer.from([0, 7])]]),
  );
  const bytes = encodePdu(original);
  assert.equal(bytes.readUInt32BE(0), bytes.length);
  const back = decodePdu(bytes);
  assert.equal(back.command, 'submit_sm');
  assert.equal(back.sequence, 42);
  assert.equal(back.body.destination_addr, '447700900000');
  assert.equal(back.body.validity_period, '000002000000000R');
  assert.equal((back.body.short_message as Buffer).toString('hex'), '0500030a0201041f');
  assert.equal(back.tlvs.get(TLV.user_message_reference)?.toString('hex'), '0007');
});

test('a response with an error status has no body', () => {
  const bytes = encodePdu(pdu('submit_sm_resp', 3, { message_id: 'X' }, new Map(), 0x58));
  assert.equal(bytes.length, 16);
  assert.equal(decodePdu(bytes).status, 0x58);
});

test('the reader cuts a stream at PDU boundaries, across chunks', () => {
  const a = encodePdu(pdu('enquire_link', 1));
  const b = encodePdu(pdu('submit_sm_resp', 2, { message_id: 'ABC' }));
  const reader = new PduReader();
  const stream = Buffer.concat([a, b]);
  assert.deepEqual(reader.push(stream.subarray(0, 5)), []);
  const out = reader.push(stream.subarray(5));
  assert.deepEqual(out.map((p) => (p instanceof PduError ? 'error' : p.command)), ['enquire_link', 'submit_sm_resp']);
});

test('a malformed PDU is reported with its sequence and reading goes on', () => {
  const bad = Buffer.from('00000014' + '00000004' + '00000000' + '00000009' + '41424344', 'hex'); // submit_sm, unterminated string
  const good = encodePdu(pdu('enquire_link', 10));
  const out = new PduReader().push(Buffer.concat([bad, good]));
  assert.ok(out[0] instanceof PduError);
  assert.equal((out[0] as PduError).sequence, 9);
  assert.equal((out[1] as { command: string }).command, 'enquire_link');
  const unknown = new PduReader().push(Buffer.from('00000010' + '000000ff' + '00000000' + '00000001', 'hex'));
  assert.equal((unknown[0] as PduError).status, 0x03);
});

test('an impossible command_length ends the stream', () => {
  assert.throws(() => new PduReader().push(Buffer.from('00000004000000150000000000000001', 'hex')), PduError);
});
