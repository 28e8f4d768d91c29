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
    assert.match(JSON.parse(pduOfAnotherKind.out).error, /is enquire_link, a request that carries no outcome/);
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
    const results = normalize(['--jsonl'], lines).out.split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(results.map((r) => [r.provider, r.kind]), [['infobip', 'receipt'], ['vonage', 'submit-response']]);
    for (const r of results) {
      assert.equal(typeof r.error, 'string');
      assert.doesNotMatch(r.error, /^Cannot read properties/, 'a bare TypeError says nothing of the payload');
    }
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

  test('a Twilio callback written as JSON reads as the form Twilio posts; a missing MessageSid is named only when it is missing', () => {
    const form = normalize(['twilio'], 'MessageSid=SM1&MessageStatus=undelivered&ErrorCode=30005');
    const json = normalize(['twilio'], ' {"MessageSid": "SM1", "MessageStatus": "undelivered", "ErrorCode": 30005}\n');
    assert.equal(json.status, 0);
    assert.deepEqual(JSON.parse(json.out), JSON.parse(form.out));
    const inbound = JSON.parse(normalize(['--jsonl'], JSON.stringify({ provider: 'twilio', raw: '{"SmsSid":"SM9","From":"+447400123456","To":"+14155552671","Body":"Stop"}', content_type: 'application/json' })).out);
    assert.deepEqual(inbound.messages, [{ direction: 'inbound', from: '+447400123456', to: '+14155552671', text: 'Stop', keyword: 'stop' }]);
    assert.match(JSON.parse(normalize(['twilio'], '{"MessageStatus":"delivered"}').out).error, /needs MessageSid/);
  });

  test('a Twilio incoming message reads as inbound with its keyword; an ErrorCode not in the table leaves the status to decide', () => {
    const inbound = JSON.parse(normalize(['twilio'], 'MessageSid=SM9&SmsSid=SM9&SmsStatus=received&From=%2B447400123456&To=%2B14155552671&Body=STOP&NumMedia=0').out);
    assert.deepEqual(inbound.messages, [{ direction: 'inbound', from: '+447400123456', to: '+14155552671', text: 'STOP', keyword: 'stop' }]);
    const [m] = JSON.parse(normalize(['twilio'], 'MessageSid=SM1&MessageStatus=undelivered&ErrorCode=30099').out).messages;
    assert.equal(m.provider_code, 'undelivered');
    assert.equal(m.error.code, 'delivery_failed');
    assert.equal(m.error.provider.code, m.provider_code, 'the code shown is the code that decided');
    assert.match(m.error.provider.message, /Twilio error 30099 is not in Switchboard's Twilio table/);
    const [refused] = JSON.parse(normalize(['twilio', '--kind', 'submit-response'], '{"code":29999,"message":"Odd","status":400}').out).messages;
    assert.equal(refused.state, 'rejected', 'a 4xx is a refusal, never queued');
    assert.equal(refused.error.code, 'invalid_parameter');
  });

  test('a Telnyx webhook (receipt or inbound message) and a /v2/messages answer', () => {
    const webhook = (event_type: string, payload: object) => JSON.stringify({ data: { event_type, occurred_at: '2026-11-22T10:31:00.000Z', payload } });
    const receipt = JSON.parse(normalize(['telnyx'], webhook('message.finalized', { id: 'T1', to: [{ phone_number: '+447400123456', status: 'delivered' }] })).out);
    assert.deepEqual(receipt.messages, [{ provider_message_id: 'T1', state: 'delivered', provider_code: 'delivered', error: null, occurred_at: '2026-11-22T10:31:00.000Z' }]);
    const failed = JSON.parse(normalize(['telnyx'], webhook('message.finalized', { id: 'T2', to: [{ status: 'delivery_failed' }], errors: [{ code: '40300', title: 'Blocked (STOP)' }] })).out);
    assert.equal(failed.messages[0].error.code, 'destination_opted_out');
    const mo = JSON.parse(normalize(['telnyx'], webhook('message.received', { from: { phone_number: '+447400123456' }, to: [{ phone_number: '+14155552671' }], text: 'start' })).out);
    assert.equal(mo.messages[0].direction, 'inbound');
    assert.equal(mo.messages[0].keyword, 'start');
    const accepted = JSON.parse(normalize(['telnyx', '--kind', 'submit-response'], '{"data":{"id":"T3","to":[{"status":"queued"}]}}').out);
    assert.deepEqual(accepted.messages, [{ provider_message_id: 'T3', state: 'sent', error: null }]);
    const refused = JSON.parse(normalize(['telnyx', '--kind', 'submit-response'], '{"errors":[{"code":"10009","title":"Authentication failed"}]}').out);
    assert.equal(refused.messages[0].error.code, 'provider_authentication_failed');
    assert.notEqual(refused.messages[0].state, 'queued');
    const bad = normalize(['telnyx'], '{"data":null}');
    assert.equal(bad.status, 1);
    assert.match(JSON.parse(bad.out).error, /data\.event_type and data\.payload/);
    assert.match(JSON.parse(normalize(['telnyx'], webhook('message.received', { text: 'hi' })).out).error, /from\.phone_number/);
  });

  test('an Infobip delivery report and a send answer', () => {
    const report = (status: object) => JSON.stringify({ results: [{ messageId: 'I1', status, doneAt: '2026-11-22T10:31:00.000+0000' }] });
    const delivered = JSON.parse(normalize(['infobip'], report({ groupId: 3, groupName: 'DELIVERED', id: 5, name: 'DELIVERED_TO_HANDSET' })).out);
    assert.deepEqual(delivered.messages, [{ provider_message_id: 'I1', state: 'delivered', provider_code: '5', error: null, occurred_at: '2026-11-22T10:31:00.000Z' }]);
    const rejected = JSON.parse(normalize(['infobip'], report({ groupId: 5, groupName: 'REJECTED', id: 52, name: 'REJECTED_DESTINATION' })).out);
    assert.equal(rejected.messages[0].error.code, 'invalid_phone_number');
    const accepted = JSON.parse(normalize(['infobip', '--kind', 'submit-response'], '{"messages":[{"messageId":"I2","status":{"groupId":1,"groupName":"PENDING","id":26,"name":"PENDING_ACCEPTED"}}]}').out);
    assert.deepEqual(accepted.messages, [{ provider_message_id: 'I2', state: 'sent', error: null }]);
    const bad = normalize(['infobip'], '{"results":"none"}');
    assert.equal(bad.status, 1);
    assert.match(JSON.parse(bad.out).error, /results/);
  });

  test('a Webex Connect delivery callback and a Send SMS answer', () => {
    const callback = (code: string, Description: string) => JSON.stringify({ deliveryInfoNotification: { transid: 'W1', deliveryInfo: { timeStamp: '2026-11-22T11:31:00.000+01:00', code, Description, deliveryStatus: 'x' } } });
    const delivered = JSON.parse(normalize(['webex-connect'], callback('7500', 'Delivered')).out);
    assert.deepEqual(delivered.messages, [{ provider_message_id: 'W1', state: 'delivered', provider_code: '7500', error: null, occurred_at: '2026-11-22T10:31:00.000Z' }]);
    const tooLong = JSON.parse(normalize(['webex-connect'], callback('7107', 'Message length exceeded')).out).messages[0];
    assert.equal(tooLong.state, 'failed');
    assert.equal(tooLong.error.code, 'message_too_long');
    assert.equal(tooLong.error.provider.context, 'sms');
    const accepted = JSON.parse(normalize(['webex-connect', '--kind', 'submit-response'], '{"messageId":"W2","acceptedTime":"2026-11-22T10:31:00Z"}').out);
    assert.deepEqual(accepted.messages, [{ provider_message_id: 'W2', state: 'sent', error: null }]);
    const refused = JSON.parse(normalize(['webex-connect', '--kind', 'submit-response'], '{"code":"7001","message":"Authentication failed."}').out);
    assert.equal(refused.messages[0].error.code, 'provider_authentication_failed');
    const bad = normalize(['webex-connect'], '[null]');
    assert.equal(bad.status, 1);
    assert.match(JSON.parse(bad.out).error, /deliveryInfoNotification/);
  });

  test('an SMSPartner delivery report and a /v1/send answer', () => {
    const delivered = JSON.parse(normalize(['smspartner'], 'messageId=123&statut=Delivered').out);
    assert.equal(delivered.messages[0].provider_message_id, '123');
    assert.equal(delivered.messages[0].state, 'delivered');
    const undelivered = JSON.parse(normalize(['smspartner'], JSON.stringify({ messageId: '124', statut: 'UNDELIV' })).out);
    assert.equal(undelivered.messages[0].state, 'undelivered');
    const accepted = JSON.parse(normalize(['smspartner', '--kind', 'submit-response'], '{"success":true,"code":200,"message_id":4567}').out);
    assert.deepEqual(accepted.messages, [{ provider_message_id: '4567', state: 'sent', error: null }]);
    const stop = JSON.parse(normalize(['smspartner', '--kind', 'submit-response'], '{"success":false,"code":14,"message":"STOP"}').out);
    assert.equal(stop.messages[0].error.code, 'destination_opted_out');
    const bad = normalize(['smspartner'], '{}');
    assert.equal(bad.status, 1);
    assert.match(JSON.parse(bad.out).error, /messageId/);
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
