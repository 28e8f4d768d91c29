import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encodeGsm7 } from '../src/core/encoding/gsm7.js';
import { encodePdu, pdu } from '../src/providers/smpp/pdu/codec.js';
import { TLV } from '../src/providers/smpp/pdu/commands.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

function normalize(args: string[], input: string) {
  const res = spawnSync(process.execPath, [CLI, 'normalize', ...args], { encoding: 'utf8', input });
  return { status: res.status, out: res.stdout.trim(), err: res.stderr };
}

describe('npx switchboard normalize', () => {
  test('an SMPP receipt text reads as its lifecycle state and canonical error', () => {
    const { status, out } = normalize(['smpp'], 'id:0A1B sub:001 dlvrd:001 submit date:2611221030 done date:2611221031 stat:DELIVRD err:000 text:hi');
    assert.equal(status, 0);
    assert.deepEqual(JSON.parse(out), {
      provider: 'smpp',
      kind: 'smpp-receipt',
      messages: [{ provider_message_id: '0A1B', state: 'delivered', provider_code: '000', error: null, occurred_at: '2026-11-22T10:31:00.000Z' }],
    });
  });

  test('a whole deliver_sm in hex, as a capture shows it, reads its TLVs', () => {
    const text = 'id:77 sub:001 dlvrd:000 submit date:2611221030 done date:2611221031 stat:UNDELIV err:001 text:';
    const hex = encodePdu(
      pdu('deliver_sm', 9, { esm_class: 0x04, data_coding: 0, short_message: Buffer.from(encodeGsm7(text)) }, new Map([[TLV.network_error_code, Buffer.from([3, 0, 1])]])),
    ).toString('hex');
    const result = JSON.parse(normalize(['smpp', '--kind', 'smpp-receipt'], hex.replace(/(..)/g, '$1 ')).out);
    assert.equal(result.messages[0].state, 'undelivered');
    assert.equal(result.messages[0].error.code, 'unknown_subscriber');
    assert.equal(result.messages[0].error.permanent, true);
    assert.equal(result.messages[0].error.provider.context, 'gsm-map-error');
  });

  test('a command_status reads as the state a submit would take', () => {
    assert.equal(JSON.parse(normalize(['smpp', '--kind', 'smpp-status'], '0x00000058').out).messages[0].state, 'queued');
    assert.equal(JSON.parse(normalize(['smpp', '--kind', 'smpp-status'], '11').out).messages[0].error.code, 'invalid_phone_number');
    assert.equal(JSON.parse(normalize(['smpp', '--kind', 'smpp-status'], '0').out).messages[0].state, 'sent');
  });

  test('a payload it cannot read is a clear error, never a crash', () => {
    const bad = normalize(['smpp'], 'hello');
    assert.equal(bad.status, 1);
    assert.match(JSON.parse(bad.out).error, /no receipt id and status/);
    const pduOfAnotherKind = normalize(['smpp'], encodePdu(pdu('enquire_link', 1)).toString('hex'));
    assert.match(JSON.parse(pduOfAnotherKind.out).error, /not a deliver_sm/);
    const unknown = normalize(['carrier-pigeon'], '');
    assert.equal(unknown.status, 2);
    assert.match(unknown.err, /unknown provider/);
  });

  test('--jsonl: one result per line, in order', () => {
    const lines = [
      JSON.stringify({ provider: 'smpp', kind: 'smpp-status', raw: 'ESME_RTHROTTLED' }),
      'not json',
      JSON.stringify({ provider: 'smpp', raw: 'id:1 stat:EXPIRED' }),
    ].join('\n');
    const out = normalize(['--jsonl'], lines).out.split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, 3);
    assert.equal(out[0].messages[0].error.code, 'rate_limit_exceeded');
    assert.equal(out[1].error, 'the line is not JSON');
    assert.equal(out[2].messages[0].state, 'expired');
  });

  test('--jsonl: a null, scalar or ill-typed line is an error for that line, and the next lines are read', () => {
    const lines = ['null', '[1]', '"text"', JSON.stringify({ provider: 'smpp', kind: 5, raw: 'x' }), JSON.stringify({ provider: 'smpp', kind: 'smpp-status', raw: '0' })].join('\n');
    const { status, out } = normalize(['--jsonl'], lines);
    assert.equal(status, 0);
    const results = out.split('\n').map((l) => JSON.parse(l));
    assert.equal(results.length, 5);
    for (const r of results.slice(0, 4)) assert.match(r.error, /expected \{"provider": string/);
    assert.equal(results[4].messages[0].state, 'sent');
  });

  test('a payload of a shape a reader does not expect is a clear error naming the provider and kind', () => {
    const lines = [
      JSON.stringify({ provider: 'infobip', raw: '{"results":[null]}' }),
      JSON.stringify({ provider: 'vonage', kind: 'submit-response', raw: '{"messages":[null]}' }),
    ].join('\n');
    const [infobip, vonage] = normalize(['--jsonl'], lines).out.split('\n').map((l) => JSON.parse(l));
    assert.match(infobip.error, /^infobip receipt: a shape Switchboard cannot read/);
    assert.match(vonage.error, /^vonage submit-response: a shape Switchboard cannot read/);
  });

  test('a Twilio status callback body and a Messages answer', () => {
    const receipt = JSON.parse(normalize(['twilio'], 'MessageSid=SM1&MessageStatus=undelivered&ErrorCode=30005&To=%2B447400123456').out);
    assert.equal(receipt.messages[0].provider_message_id, 'SM1');
    assert.equal(receipt.messages[0].state, 'undelivered');
    assert.equal(receipt.messages[0].error.code, 'unknown_subscriber');
    const accepted = JSON.parse(normalize(['twilio', '--kind', 'submit-response'], '{"sid":"SM2","status":"queued"}').out);
    assert.deepEqual(accepted.messages, [{ provider_message_id: 'SM2', state: 'sent', error: null }]);
    const refused = JSON.parse(normalize(['twilio', '--kind', 'submit-response'], '{"code":21610,"message":"Attempt to send to unsubscribed recipient","status":400}').out);
    assert.equal(refused.messages[0].state, 'rejected');
    assert.equal(refused.messages[0].error.code, 'destination_opted_out');
    assert.match(JSON.parse(normalize(['twilio'], 'MessageSid=SM3').out).error, /MessageStatus/);
  });

  test('a Vonage receipt as JSON or as a query string, and an /sms/json answer', () => {
    const json = JSON.parse(normalize(['vonage'], JSON.stringify({ messageId: 'ABC', status: 'failed', 'err-code': '6', 'message-timestamp': '2026-11-22 10:31:00' })).out);
    assert.equal(json.messages[0].state, 'undelivered');
    assert.equal(json.messages[0].provider_code, '6');
    assert.equal(json.messages[0].occurred_at, '2026-11-22T10:31:00.000Z');
    const query = JSON.parse(normalize(['vonage'], 'messageId=ABC&status=delivered&err-code=0').out);
    assert.equal(query.messages[0].state, 'delivered');
    const answer = JSON.parse(normalize(['vonage', '--kind', 'submit-response'], JSON.stringify({ 'message-count': '1', messages: [{ status: '29', 'error-text': 'Non White-listed Destination - rejected' }] })).out);
    assert.equal(answer.messages[0].error.code, 'destination_not_allowed');
  });
});
