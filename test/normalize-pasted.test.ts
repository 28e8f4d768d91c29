import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encodeGsm7 } from '../src/core/encoding/gsm7.js';
import { encodePdu, pdu } from '../src/providers/smpp/pdu/codec.js';

// What people paste into `normalize`: captured requests, PDUs in hex, XML, status polls. The
// payloads are published ones (each cites where it comes from); only the data needed is copied.

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

function normalize(args: string[], input: string) {
  const res = spawnSync(process.execPath, [CLI, 'normalize', ...args], { encoding: 'utf8', input });
  return { status: res.status, result: JSON.parse(res.stdout.trim()) as { error?: string; kind: string; messages: Record<string, any>[] } };
}

const spaced = (bytes: Buffer) => bytes.toString('hex').replace(/(..)(?!$)/g, '$1 ');

describe('a whole captured HTTP request, as ngrok or a proxy log shows it', () => {
  // Vonage's delivery receipt example (https://developer.vonage.com/en/messaging/sms/guides/delivery-receipts),
  // sent as a GET callback: the payload is the query string.
  const vonageQuery =
    'msisdn=447700900000&to=AcmeInc&network-code=12345&messageId=0A0000001234567B&price=0.03330000&status=delivered&scts=2001011400&err-code=0&api-key=abcd1234&message-timestamp=2020-01-01+12%3A00%3A00';

  test('a GET receipt: request line, headers, no body', () => {
    const capture = `GET /v1/providers/vonage/uk/receipts?${vonageQuery} HTTP/1.1\r\nHost: 1a2b.ngrok-free.app\r\nUser-Agent: Vonage\r\nAccept: */*\r\n\r\n`;
    const { status, result } = normalize(['vonage'], capture);
    assert.equal(status, 0);
    assert.deepEqual(result.messages, [{ provider_message_id: '0A0000001234567B', state: 'delivered', provider_code: '0', error: null, occurred_at: '2020-01-01T12:00:00.000Z' }]);
  });

  test('a POST form, its Content-Type read from the headers; a chunked body put back together', () => {
    // A Twilio WhatsApp read callback, with the fields of Twilio's status callbacks
    // (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status), as captured in a
    // public integration: EventType=READ, SmsStatus=read, MessageStatus=read.
    const form = 'EventType=READ&SmsSid=SMd5cfa9e002d043c18defc777668b08c1&SmsStatus=read&MessageStatus=read&ChannelPrefix=whatsapp&MessageSid=SMd5cfa9e002d043c18defc777668b08c1&From=whatsapp%3A%2B14155238886&ApiVersion=2010-04-01';
    const headers = 'POST /v1/providers/twilio/us/receipts HTTP/1.1\nHost: 1a2b.ngrok-free.app\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\nX-Twilio-Signature: aGVsbG8=\n';
    const plain = normalize(['twilio'], `${headers}Content-Length: ${form.length}\n\n${form}`);
    assert.deepEqual(plain.result.messages, [{ provider_message_id: 'SMd5cfa9e002d043c18defc777668b08c1', state: 'read', provider_code: 'read', error: null }]);
    const chunked = `${headers}Transfer-Encoding: chunked\n\n${(40).toString(16)}\r\n${form.slice(0, 40)}\r\n${(form.length - 40).toString(16)}\r\n${form.slice(40)}\r\n0\r\n\r\n`;
    assert.deepEqual(normalize(['twilio'], chunked).result, plain.result);
  });

  test('a captured answer to a send: status line, headers, JSON body', () => {
    const capture = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"success":true,"code":200,"message_id":306,"nb_sms":1,"cost":0.045,"currency":"EUR"}';
    assert.deepEqual(normalize(['smspartner', '--kind', 'submit-response'], capture).result.messages, [{ provider_message_id: '306', state: 'sent', error: null }]);
  });

  test('JSON posted where the provider posts forms is read the same, even under a form Content-Type', () => {
    const json = JSON.stringify(Object.fromEntries(new URLSearchParams(vonageQuery)));
    for (const type of ['application/json', 'application/x-www-form-urlencoded']) {
      const capture = `POST /v1/providers/vonage/uk/receipts HTTP/1.1\r\nContent-Type: ${type}\r\n\r\n${json}`;
      assert.deepEqual(normalize(['vonage'], capture).result, normalize(['vonage'], vonageQuery).result, type);
    }
    const twilio = normalize(['twilio'], 'POST /t HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\n{"MessageSid":"SM1","MessageStatus":"delivered"}');
    assert.equal(twilio.result.messages[0]!.state, 'delivered');
    // Where a provider posts JSON, a form is refused saying what is expected.
    assert.match(normalize(['telnyx'], 'POST /t HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\nid=1&status=delivered').result.error!, /JSON object with data\.event_type/);
  });
});

describe('SMPP PDUs of any command, in hex, with or without spaces', () => {
  test('a submit_sm_resp reads as its message id, or as its command_status refusing the submit', () => {
    const ok = encodePdu(pdu('submit_sm_resp', 7, { message_id: '0A1B2C3D' }));
    for (const hex of [ok.toString('hex'), spaced(ok), `0x${ok.toString('hex').toUpperCase()}`]) {
      const { status, result } = normalize(['smpp'], hex);
      assert.equal(status, 0, hex);
      assert.deepEqual(result.messages, [{ provider_message_id: '0A1B2C3D', state: 'sent', error: null }]);
    }
    const throttled = encodePdu(pdu('submit_sm_resp', 8, { message_id: '' }, new Map(), 0x58));
    const [m] = normalize(['smpp', '--kind', 'pdu'], spaced(throttled)).result.messages;
    assert.equal(m!.state, 'queued');
    assert.equal(m!.error.code, 'rate_limit_exceeded');
  });

  test('a generic_nack and a refused bind read as their command_status', () => {
    const nack = encodePdu(pdu('generic_nack', 3, {}, new Map(), 0x02));
    const [n] = normalize(['smpp'], spaced(nack)).result.messages;
    assert.equal(n!.error.code, 'provider_protocol_error');
    assert.equal(n!.error.provider.message, 'Command Length is invalid');
    const bind = encodePdu(pdu('bind_transmitter_resp', 1, { system_id: 'SMSC' }, new Map(), 0x0e));
    assert.equal(normalize(['smpp', '--kind', 'smpp-status'], bind.toString('hex')).result.messages[0]!.error.code, 'provider_authentication_failed');
  });

  test("a deliver_sm that is not a receipt reads as the subscriber's message; a capture of several PDUs reads each", () => {
    const mo = encodePdu(pdu('deliver_sm', 4, { source_addr_ton: 1, source_addr: '447700900123', dest_addr_ton: 1, destination_addr: '447700900999', data_coding: 0, short_message: Buffer.from(encodeGsm7('STOP')) }));
    const resp = encodePdu(pdu('submit_sm_resp', 5, { message_id: '77' }));
    const { result } = normalize(['smpp'], `${spaced(resp)}\n${spaced(mo)}`);
    assert.deepEqual(result.messages, [
      { provider_message_id: '77', state: 'sent', error: null },
      { direction: 'inbound', from: '+447700900123', to: '+447700900999', text: 'STOP', keyword: 'stop' },
    ]);
  });

  test('a PDU that carries no outcome, or whose length does not fit, is named as what it is', () => {
    assert.match(normalize(['smpp'], encodePdu(pdu('enquire_link', 1)).toString('hex')).result.error!, /is enquire_link, a request that carries no outcome/);
    assert.match(normalize(['smpp'], encodePdu(pdu('enquire_link_resp', 1)).toString('hex')).result.error!, /enquire_link_resp with command_status 0/);
    const dataSm = Buffer.from('00000010000001030000000000000009', 'hex');
    assert.match(normalize(['smpp'], dataSm.toString('hex')).result.error!, /data_sm/);
    const short = encodePdu(pdu('submit_sm_resp', 7, { message_id: 'X' })).subarray(0, 17);
    assert.match(normalize(['smpp'], short.toString('hex')).result.error!, /says it is 18 octets long; 17 are there/);
  });
});

describe('answers nobody knows the outcome of', () => {
  test("stat:UNKNOWN reads as unknown: not a failure, not retried (Telesign's documented receipt)", () => {
    // https://developer.telesign.com/enterprise/docs/sms-smpp-tlvs
    const { result } = normalize(['smpp'], 'id:e9ca671b2497d778d771938333dc0c52 sub:001 dlvrd:000 submit date:260905143000 done date:260905143010 stat:UNKNOWN err:4A6 text:');
    const [m] = result.messages;
    assert.equal(m!.state, 'unknown');
    assert.equal(m!.error.code, 'delivery_unknown');
    assert.equal(m!.error.retry, 'never');
    assert.equal(m!.occurred_at, '2026-09-05T14:30:10.000Z');
  });

  test('message_state 7 (UNKNOWN) in a deliver_sm reads as unknown too', () => {
    const receipt = encodePdu(pdu('deliver_sm', 2, { esm_class: 0x04, data_coding: 0, short_message: Buffer.alloc(0) }, new Map([[0x001e, Buffer.from('ABC\0', 'latin1')], [0x0427, Buffer.from([7])]])));
    assert.equal(normalize(['smpp'], spaced(receipt)).result.messages[0]!.state, 'unknown');
  });

  test("Vonage's status unknown and Telnyx's delivery_unconfirmed read as unknown", () => {
    const [vonage] = normalize(['vonage'], 'messageId=0A0000001234567B&status=unknown&err-code=1').result.messages;
    assert.equal(vonage!.state, 'unknown');
    assert.equal(vonage!.error.code, 'delivery_unknown', 'err-code 1 beside it does not make it a failure');
    const finalized = { data: { event_type: 'message.finalized', occurred_at: '2026-11-22T10:31:00.000Z', payload: { id: 'T9', to: [{ phone_number: '+13125550000', status: 'delivery_unconfirmed' }] } } };
    const [m] = normalize(['telnyx'], JSON.stringify(finalized)).result.messages;
    assert.equal(m!.state, 'unknown');
    assert.equal(m!.error.code, 'delivery_unknown');
  });
});

describe("a status poll's answer with several entries", () => {
  // SMSPartner's /v1/multi-status answer, from the fixture of the smspartner-go client
  // (https://github.com/hoflish/smspartner-go/blob/ab30317e31ffaa52a2bf8ff17ca994fbd192c3fc/v1/testdata/multi_status.json).
  const multiStatus = {
    success: true,
    code: 200,
    StatutResponse_List: [
      { success: true, code: 200, phoneNumber: '+212620429957', messageId: 2270142, status: 'Delivered', date: '1534615206', stopSms: '0', isSpam: '0' },
      { success: false, code: 4, phoneNumber: '+212666403692', messageId: 2270110, status: 'Numéro introuvable' },
    ],
  };

  test('each entry is read; one whose look-up failed is a failed look-up, not a failed delivery', () => {
    const { status, result } = normalize(['smspartner', '--kind', 'status'], JSON.stringify(multiStatus));
    assert.equal(status, 0);
    const [delivered, notFound] = result.messages;
    assert.equal(delivered!.state, 'delivered');
    assert.equal(delivered!.provider_message_id, '2270142');
    assert.equal(delivered!.occurred_at, '2018-08-18T18:00:06.000Z', 'date in Unix seconds');
    assert.equal(notFound!.lookup_failed, true);
    assert.equal('state' in notFound!, false, 'no status is claimed for the message');
    assert.equal(notFound!.provider_message_id, '2270110');
    assert.equal(notFound!.to, '+212666403692');
    assert.equal(notFound!.error.code, 'message_not_found');
    assert.equal(notFound!.error.provider.message, 'Numéro introuvable');
  });

  test('the same answer in XML (SMSPartner answers XML with _format=xml) reads the same', () => {
    // The XML is the JSON answer's fields as elements: SMSPartner's documentation gives `_format`
    // but no XML example, so this shape is assumed, not published.
    const entry = (e: Record<string, unknown>) => `<entry>${Object.entries(e).map(([k, v]) => `<${k}>${String(v)}</${k}>`).join('')}</entry>`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<result><success>true</success><code>200</code><StatutResponse_List>${multiStatus.StatutResponse_List.map(entry).join('')}</StatutResponse_List></result>`;
    assert.deepEqual(normalize(['smspartner', '--kind', 'status'], xml).result.messages, normalize(['smspartner', '--kind', 'status'], JSON.stringify(multiStatus)).result.messages);
    const refused = normalize(['smspartner', '--kind', 'submit-response'], '<result><success>false</success><code>14</code><message>STOP</message></result>');
    assert.equal(refused.result.messages[0]!.error.code, 'destination_opted_out');
    assert.match(normalize(['smspartner', '--kind', 'submit-response'], '<result><success>true</result>').result.error!, /closes <result> where <success> is open/);
  });

});

describe('XML answers, where a provider has them', () => {
  test("Vonage's /sms/xml answer reads as its /sms/json answer", () => {
    // The answers of nexmo-java's SendMessageEndpoint tests (https://github.com/Nexmo/nexmo-java).
    const message = (id: string, balance: string) =>
      `<message><to>not-a-number</to><messageId>${id}</messageId><status>0</status><remainingBalance>${balance}</remainingBalance><messagePrice>0.03330000</messagePrice><network>12345</network></message>`;
    const two = `<?xml version='1.0' encoding='UTF-8' ?>\n<mt-submission-response>\n<messages count='2'>${message('message-id-1', '26.43133450')}${message('message-id-2', '26.39803450')}</messages>\n</mt-submission-response>`;
    assert.deepEqual(normalize(['vonage', '--kind', 'submit-response'], two).result.messages.map((m) => m.provider_message_id), ['message-id-1', 'message-id-2']);
    const invalid = "<?xml version='1.0' encoding='UTF-8' ?>\n<mt-submission-response>\n<messages count='1'>\n<message>\n<status>6</status>\n<errorText>The message was invalid</errorText>\n</message>\n</messages>\n</mt-submission-response>";
    const [m] = normalize(['vonage', '--kind', 'submit-response'], invalid).result.messages;
    assert.equal(m!.state, 'rejected');
    assert.equal(m!.error.code, 'invalid_message');
    assert.equal(m!.error.provider.message, 'The message was invalid');
  });
});
