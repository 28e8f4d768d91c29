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

test('submit_multi carries its destinations as a list: SME addresses (dest_flag 1) and distribution lists (2)', () => {
  const original = pdu('submit_multi', 5, {
    source_addr_ton: 5,
    source_addr: 'Shop',
    dest_address: [
      { dest_flag: 1, dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '447700900000' },
      { dest_flag: 2, dl_name: 'staff' },
    ],
    registered_delivery: 1,
    short_message: Buffer.from('Hi', 'latin1'),
  });
  const bytes = encodePdu(original);
  const body = bytes.subarray(16).toString('hex');
  const dests = '02' + '01' + '01' + '01' + Buffer.from('447700900000\0').toString('hex') + '02' + Buffer.from('staff\0').toString('hex');
  assert.equal(body, '00' + '05' + '00' + Buffer.from('Shop\0').toString('hex') + dests + '000000' + '00' + '00' + '01' + '00' + '00' + '00' + '02' + '4869');
  const back = decodePdu(bytes);
  assert.equal(back.command, 'submit_multi');
  assert.deepEqual(back.body.dest_address, original.body.dest_address);
  assert.equal(back.body.registered_delivery, 1);
  const badFlag = Buffer.from(bytes);
  badFlag[16 + 9] = 3; // the first dest_flag, after service_type, the source address and number_of_dests
  assert.throws(() => decodePdu(badFlag), PduError);
});

test('submit_multi_resp lists the unsuccessful destinations with their 4-octet error_status_code', () => {
  const bytes = encodePdu(pdu('submit_multi_resp', 5, { message_id: 'AB', unsuccess_sme: [{ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4477', error_status_code: 0x0b }] }));
  assert.equal(bytes.toString('hex'), '0000001f' + '80000021' + '00000000' + '00000005' + '414200' + '01' + '0101' + '3434373700' + '0000000b');
  assert.deepEqual(decodePdu(bytes).body, { message_id: 'AB', unsuccess_sme: [{ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4477', error_status_code: 0x0b }] });
});

test('data_sm has no short_message: its text is in message_payload', () => {
  const bytes = encodePdu(pdu('data_sm', 6, { source_addr: 'A', dest_addr_ton: 1, destination_addr: '44', registered_delivery: 1, data_coding: 8 }, new Map([[TLV.message_payload, Buffer.from('0041', 'hex')]])));
  assert.equal(bytes.subarray(4, 8).toString('hex'), '00000103');
  assert.equal(bytes.subarray(16).toString('hex'), '00' + '0000' + '4100' + '0100' + '343400' + '00' + '01' + '08' + '0424' + '0002' + '0041');
  const back = decodePdu(bytes);
  assert.deepEqual([back.body.destination_addr, back.body.data_coding, back.tlvs.get(TLV.message_payload)?.toString('hex')], ['44', 8, '0041']);
  assert.equal(encodePdu(pdu('data_sm_resp', 6, { message_id: 'AB' })).toString('hex'), '00000013' + '80000103' + '00000000' + '00000006' + '414200');
});
