import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../src/app/clock.js';
import { smppPlugin } from '../src/providers/smpp/plugin.js';
import { SmscSimulator } from '../src/providers/smpp/simulator.js';
import { CANONICAL_ERRORS } from '../src/core/catalogue/canonical.js';
import { COMMAND_STATUSES } from '../src/faces/smpp/statuses.js';
import { bearer, eventually, tempDir, testNode, type TestNode } from './helpers.js';
import { NodeSmppClient, type NodeSmppPdu } from './clients/node-smpp.js';

// Customers binding to Switchboard's SMPP server with the `smpp` npm package, a client written
// apart from Switchboard's codec: binds, submits through the API's accept, long messages,
// receipts and inbound messages as deliver_sm, query_sm, cancel_sm, throttling.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const ESME = {
  ROK: 0x00,
  RINVCMDID: 0x03,
  RINVBNDSTS: 0x04,
  RALYBND: 0x05,
  RINVDSTADR: 0x0b,
  RINVMSGID: 0x0c,
  RBINDFAIL: 0x0d,
  RINVPASWD: 0x0e,
  RINVSYSID: 0x0f,
  RCANCELFAIL: 0x11,
  RINVSRCADR: 0x0a,
  RSUBMITFAIL: 0x45,
  RTHROTTLED: 0x58,
  RX_T_APPN: 0x64,
} as const;

interface Credential {
  readonly id: string;
  readonly key: string;
  readonly secret: string;
}

const TO = '447700900000';

/** A UDH of the 8-bit (IEI 0) or 16-bit (IEI 8) concatenation element. */
function udh(ref: number, total: number, seq: number, wide = false): Buffer {
  return wide ? Buffer.from([6, 8, 4, ref >> 8, ref & 0xff, total, seq]) : Buffer.from([5, 0, 3, ref, total, seq]);
}

function receiptFields(pdu: NodeSmppPdu): Record<string, string> {
  const text = Buffer.isBuffer(pdu.short_message) ? pdu.short_message.toString('latin1') : String((pdu.short_message as { message?: string }).message ?? pdu.short_message);
  return Object.fromEntries([...text.matchAll(/(id|sub|dlvrd|submit date|done date|stat|err|text):(\S*)/g)].map((m) => [m[1]!, m[2]!]));
}

describe('the SMPP server, with the smpp npm package as the customer', () => {
  let node: TestNode;
  let port: number;
  const clients: NodeSmppClient[] = [];

  const api = (method: string, url: string, payload?: Json, key = node.key) =>
    node.api.inject({ method: method as 'GET', url, headers: bearer(key), ...(payload !== undefined && { payload }) });

  async function account(body: Json): Promise<{ id: string; key: string }> {
    const made = await api('POST', '/v1/accounts', body);
    assert.equal(made.statusCode, 201, made.body);
    const key = await api('POST', `/v1/accounts/${made.json().id}/keys`, { scopes: ['send', 'read'] });
    return { id: made.json().id as string, key: key.json().key as string };
  }

  async function credential(accountId: string, body: Json = {}): Promise<Credential> {
    const res = await api('POST', `/v1/accounts/${accountId}/credentials`, { protocol: 'smpp', ...body });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Credential;
  }

  async function client(): Promise<NodeSmppClient> {
    const c = await NodeSmppClient.connect(port);
    clients.push(c);
    return c;
  }

  async function bound(cred: Credential, mode: 'transmitter' | 'receiver' | 'transceiver' = 'transceiver'): Promise<NodeSmppClient> {
    const c = await client();
    assert.equal(await c.bind(mode, cred.key, cred.secret), ESME.ROK);
    return c;
  }

  const submit = (c: NodeSmppClient, fields: Json) =>
    c.request('submit_sm', { source_addr: 'Shop', destination_addr: TO, dest_addr_ton: 1, short_message: 'Hello', ...fields });

  const message = async (id: string, key = node.key) => (await api('GET', `/v1/messages/msg_${id}`, undefined, key)).json() as Json;

  before(async () => {
    node = await testNode({ env: { SWITCHBOARD_SMPP_PORT: '0', SWITCHBOARD_SMPP_PART_TIMEOUT_MS: '300', SWITCHBOARD_LEASE_MS: '3000' } });
    port = (await node.smpp!.listen()).port!;
  });

  after(async () => {
    for (const c of clients) c.close();
    await node.close();
  });

  test('every canonical error has one command_status', () => {
    const listed = Object.values(COMMAND_STATUSES).flat() as string[];
    assert.equal(new Set(listed).size, listed.length, 'a code is listed twice');
    assert.deepEqual(
      CANONICAL_ERRORS.map((e) => e.code).filter((code) => !listed.includes(code)),
      [],
    );
  });

  test('bind refusals: unknown system_id, wrong password, revoked, disabled, not allowed SMPP, outside the IP allowlist, already bound, over the bind limit', async () => {
    const shop = await account({ name: 'Binds' });
    const cred = await credential(shop.id, { bind_limit: 1 });
    assert.match(cred.key, /^sb[0-9a-f]{8}$/);
    assert.equal(cred.secret.length, 8);

    assert.equal(await (await client()).bind('transceiver', 'nobody', 'x'), ESME.RINVSYSID);
    assert.equal(await (await client()).bind('transmitter', cred.key, 'wrong'), ESME.RINVPASWD);

    const first = await client();
    assert.equal((await submit(first, {})).command_status, ESME.RINVBNDSTS, 'a submit before binding');
    assert.equal(await first.bind('transceiver', cred.key, cred.secret), ESME.ROK);
    assert.equal(await first.bind('receiver', cred.key, cred.secret), ESME.RALYBND);
    // The limit is 1: a second bind is refused while the first holds, and taken once it unbinds.
    const second = await client();
    assert.equal(await second.bind('receiver', cred.key, cred.secret), ESME.RBINDFAIL);
    assert.equal((await first.request('unbind')).command_status, ESME.ROK);
    await eventually(async () => (first.closed ? true : undefined));
    await eventually(async () => ((await second.bind('receiver', cred.key, cred.secret)) === ESME.ROK ? true : undefined));

    const apiOnly = await account({ name: 'API only', protocols: ['api'] });
    const apiCred = await credential(apiOnly.id);
    assert.equal(await (await client()).bind('transceiver', apiCred.key, apiCred.secret), ESME.RBINDFAIL);

    const disabled = await account({ name: 'Disabled' });
    const disabledCred = await credential(disabled.id);
    assert.equal((await api('PATCH', `/v1/accounts/${disabled.id}`, { status: 'disabled' })).statusCode, 200);
    assert.equal(await (await client()).bind('transceiver', disabledCred.key, disabledCred.secret), ESME.RBINDFAIL);

    // The account's IP allowlist holds for binds: from 127.0.0.1, one that leaves it out is refused.
    const elsewhere = await account({ name: 'Elsewhere', ip_allowlist: ['203.0.113.0/24'] });
    const elsewhereCred = await credential(elsewhere.id);
    assert.equal(await (await client()).bind('transceiver', elsewhereCred.key, elsewhereCred.secret), ESME.RBINDFAIL);
    assert.equal((await api('PATCH', `/v1/accounts/${elsewhere.id}`, { ip_allowlist: ['203.0.113.0/24', '127.0.0.1'] })).statusCode, 200);
    assert.equal(await (await client()).bind('transceiver', elsewhereCred.key, elsewhereCred.secret), ESME.ROK);

    const revoked = await credential(shop.id);
    assert.equal((await api('DELETE', `/v1/accounts/${shop.id}/credentials/${revoked.id}`)).statusCode, 204);
    assert.equal(await (await client()).bind('transceiver', revoked.key, revoked.secret), ESME.RINVSYSID);
  });

  test('submit_sm goes through accept: the id is the API message id, errors are the catalogue mapped to command_status', async () => {
    const shop = await account({ name: 'Submits', prices: { entries: [{ prefix: '+44', price: '0.05' }] }, allowed_senders: ['Shop', '+447400123456'] });
    const cred = await credential(shop.id);
    const c = await bound(cred, 'transmitter');

    assert.equal((await submit(c, {})).command_status, ESME.RSUBMITFAIL, 'no credit: insufficient_credit');
    assert.equal((await api('POST', `/v1/accounts/${shop.id}/top-ups`, { amount: '1' })).statusCode, 201);
    const ok = await submit(c, {});
    assert.equal(ok.command_status, ESME.ROK);
    const id = ok.message_id as string;
    assert.match(id, /^[0-9A-Z]{26}$/);
    const stored = await message(id, shop.key);
    assert.deepEqual([stored.id, stored.to, stored.from, stored.text, stored.price], [`msg_${id}`, '+447700900000', 'Shop', 'Hello', '0.050000']);

    assert.equal((await submit(c, { destination_addr: '12' })).command_status, ESME.RINVDSTADR);
    assert.equal((await submit(c, { source_addr: 'Other' })).command_status, ESME.RINVSRCADR, 'a sender the account may not use');
    assert.equal((await submit(c, { short_message: Buffer.alloc(0) })).command_status, ESME.RSUBMITFAIL, 'no text');
  });

  test('data_coding 0 (GSM 7-bit), 1 (ASCII), 3 (Latin-1) and 8 (UCS-2) are read as such', async () => {
    const cred = await credential('acct_default');
    const c = await bound(cred, 'transmitter');
    const cases: [number, Buffer, string][] = [
      [0, Buffer.from([0x00, 0x02, 0x11, 0x1b, 0x65, 0x41]), '@$_€A'],
      [1, Buffer.from('Plain ASCII', 'latin1'), 'Plain ASCII'],
      [3, Buffer.from('Café crème', 'latin1'), 'Café crème'],
      [8, Buffer.from('Привет 👋', 'utf16le').swap16(), 'Привет 👋'],
    ];
    for (const [dataCoding, bytes, text] of cases) {
      const res = await submit(c, { data_coding: dataCoding, short_message: bytes });
      assert.equal(res.command_status, ESME.ROK, `data_coding ${dataCoding}`);
      assert.equal((await message(res.message_id as string)).text, text, `data_coding ${dataCoding}`);
    }
  });

  test('long messages become one message: UDH parts (8- and 16-bit references) out of order, SAR parameters, message_payload', async () => {
    const cred = await credential('acct_default');
    const c = await bound(cred, 'transmitter');
    const parts = ['First part, ', 'second part, ', 'third part.'];
    for (const wide of [false, true]) {
      const ref = wide ? 0x1234 : 0x42;
      const answers = await Promise.all(
        [2, 0, 1].map((i) => submit(c, { esm_class: 0x40, short_message: Buffer.concat([udh(ref, 3, i + 1, wide), Buffer.from(parts[i]!, 'latin1')]) })),
      );
      assert.deepEqual(answers.map((a) => a.command_status), [0, 0, 0]);
      assert.equal(new Set(answers.map((a) => a.message_id)).size, 1, 'every part answers with the one message id');
      assert.equal((await message(answers[0]!.message_id as string)).text, parts.join(''));
    }
    const sar = await Promise.all(
      [1, 0].map((i) => submit(c, { short_message: parts[i], sar_msg_ref_num: 7, sar_total_segments: 2, sar_segment_seqnum: i + 1 })),
    );
    assert.equal(sar[0]!.message_id, sar[1]!.message_id);
    assert.equal((await message(sar[0]!.message_id as string)).text, parts.slice(0, 2).join(''));

    const long = 'x'.repeat(400);
    const payload = await c.request('submit_sm', { source_addr: 'Shop', destination_addr: TO, dest_addr_ton: 1, message_payload: long });
    assert.equal(payload.command_status, ESME.ROK);
    assert.deepEqual([(await message(payload.message_id as string)).text, (await message(payload.message_id as string)).segments], [long, 3]);

    // A part that never comes: the parts that came are refused, nothing is sent.
    const lonely = await submit(c, { esm_class: 0x40, short_message: Buffer.concat([udh(9, 2, 1), Buffer.from('Half', 'latin1')]) });
    assert.equal(lonely.command_status, ESME.RSUBMITFAIL);
  });

  test('receipts wait while the account is bound nowhere, then reach its receiver in order; one refused is sent again', async () => {
    const shop = await account({ name: 'Receipts' });
    const cred = await credential(shop.id);
    const tx = await bound(cred, 'transmitter');
    const ids: string[] = [];
    for (const to of [TO, '447700900001', TO]) ids.push((await submit(tx, { destination_addr: to, registered_delivery: 1 })).message_id as string);
    // A message with no receipt asked for owes none.
    const quiet = (await submit(tx, { registered_delivery: 0 })).message_id as string;
    for (const id of [...ids, quiet]) await eventually(async () => (['delivered', 'undelivered'].includes((await message(id, shop.key)).status) ? true : undefined));

    const rx = await client();
    rx.deliverStatus = ESME.RX_T_APPN;
    assert.equal(await rx.bind('receiver', cred.key, cred.secret), ESME.ROK);
    await eventually(async () => (rx.delivered.length >= 3 ? true : undefined));
    rx.deliverStatus = ESME.ROK;
    // Refused once, each goes again.
    await eventually(async () => (rx.delivered.length >= 6 ? true : undefined), 10_000);
    const firsts = rx.delivered.slice(0, 3).map((p) => receiptFields(p));
    assert.deepEqual(firsts.map((f) => f.id), ids, 'in the order the messages ended');
    assert.deepEqual(firsts.map((f) => f.stat), ['DELIVRD', 'UNDELIV', 'DELIVRD']);
    assert.equal(firsts[1]!.err, '001', 'the GSM MAP error of an unknown subscriber');
    const receipt = rx.delivered[3]!;
    assert.equal(receipt.esm_class, 0x04);
    assert.equal(receipt.receipted_message_id, ids[0]);
    assert.equal(receipt.message_state, 2);
    assert.equal(receipt.source_addr, TO);
    assert.equal(receipt.destination_addr, 'Shop');
    assert.ok(!rx.delivered.some((p) => receiptFields(p).id === quiet));
  });

  test('throttling: a burst beyond the account\'s throughput is answered ESME_RTHROTTLED, and the session stays up', async () => {
    const shop = await account({ name: 'Throttled' });
    const cred = await credential(shop.id, { throughput: 1, throughput_burst: 5 });
    const c = await bound(cred, 'transmitter');
    const answers = await Promise.all(Array.from({ length: 20 }, () => submit(c, {})));
    const ok = answers.filter((a) => a.command_status === ESME.ROK).length;
    const throttled = answers.filter((a) => a.command_status === ESME.RTHROTTLED).length;
    assert.ok(ok >= 5 && ok <= 6, `${ok} taken`);
    assert.equal(ok + throttled, 20);
    assert.equal((await c.request('enquire_link')).command_status, ESME.ROK);
    // A long message costs its segments: 3 of them are more than what is left.
    const long = await c.request('submit_sm', { source_addr: 'Shop', destination_addr: TO, dest_addr_ton: 1, message_payload: 'y'.repeat(400) });
    assert.equal(long.command_status, ESME.RTHROTTLED);
  });

  test('query_sm and cancel_sm; an unsupported command is answered and the session stays up', async () => {
    const cred = await credential('acct_default');
    const c = await bound(cred);
    const sent = (await submit(c, {})).message_id as string;
    await eventually(async () => ((await message(sent)).status === 'delivered' ? true : undefined));
    const query = await c.request('query_sm', { message_id: sent, source_addr: 'Shop' });
    assert.deepEqual([query.command_status, query.message_id, query.message_state], [ESME.ROK, sent, 2]);
    assert.ok(query.final_date instanceof Date, 'a final date, which the client reads as a time');
    assert.equal((await c.request('query_sm', { message_id: '01NOSUCHMESSAGE00000000000' })).command_status, ESME.RINVMSGID);

    // Scheduled an hour ahead (relative time), then canceled.
    const later = (await submit(c, { schedule_delivery_time: '000000010000000R' })).message_id as string;
    assert.equal((await message(later)).status, 'scheduled');
    assert.equal((await c.request('cancel_sm', { message_id: later, source_addr: 'Shop', destination_addr: TO })).command_status, ESME.ROK);
    assert.equal((await message(later)).status, 'canceled');
    assert.equal((await c.request('cancel_sm', { message_id: later })).command_status, ESME.RCANCELFAIL);

    // Another account's session learns nothing of the message.
    const other = await bound(await credential((await account({ name: 'Other' })).id));
    const scheduled = (await submit(c, { schedule_delivery_time: '000000010000000R' })).message_id as string;
    assert.equal((await other.request('query_sm', { message_id: sent })).command_status, ESME.RINVMSGID);
    assert.equal((await other.request('cancel_sm', { message_id: scheduled })).command_status, ESME.RINVMSGID);
    assert.equal((await message(scheduled)).status, 'scheduled');

    const replace = await c.request('replace_sm', { message_id: sent, short_message: 'x' });
    assert.equal(replace.command_status, ESME.RINVCMDID);
    const broadcast = await c.request('query_broadcast_sm', { message_id: sent });
    assert.deepEqual([broadcast.command, broadcast.command_status], ['generic_nack', ESME.RINVCMDID]);
    assert.equal((await c.request('enquire_link')).command_status, ESME.ROK);
    assert.equal((await submit(c, {})).command_status, ESME.ROK, 'still bound');
  });
});

describe('the SMPP server: messages sent in, and SMPP over TLS', () => {
  let sim: SmscSimulator;
  let node: TestNode;
  let dir: string;
  let ports: { port?: number; tlsPort?: number };
  const clients: NodeSmppClient[] = [];

  before(async () => {
    sim = new SmscSimulator({ port: 0, receiptDelayMs: 10 });
    const simPort = await sim.listen();
    const connector = smppPlugin.create(
      { name: 'carrier', provider: 'smpp', host: '127.0.0.1', port: simPort, system_id: 'sb', password: 'pw', reconnect_min_ms: 50, reconnect_max_ms: 200, test_numbers: true },
      { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
    );
    dir = tempDir();
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
    assert.equal(made.status, 0, String(made.stderr));
    node = await testNode({
      connectors: [connector],
      env: { SWITCHBOARD_SMPP_PORT: '0', SWITCHBOARD_SMPP_TLS_PORT: '0', SWITCHBOARD_SMPP_TLS_CERT: join(dir, 'cert.pem'), SWITCHBOARD_SMPP_TLS_KEY: join(dir, 'key.pem') },
    });
    ports = await node.smpp!.listen();
    await eventually(async () => (sim.sessions > 0 ? true : undefined));
  });

  after(async () => {
    for (const c of clients) c.close();
    await node.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a message sent in reaches the operator's receiver as a deliver_sm; a transceiver over TLS submits and gets its receipt", async () => {
    const made = await node.api.inject({ method: 'POST', url: '/v1/accounts/acct_default/credentials', headers: bearer(node.key), payload: { protocol: 'smpp' } });
    const cred = made.json() as Credential;

    const rx = await NodeSmppClient.connect(ports.port!);
    clients.push(rx);
    assert.equal(await rx.bind('receiver', cred.key, cred.secret), ESME.ROK);
    await sim.deliverMo('+447700900123', '447700900999', 'Hi there ¿');
    const mo = await eventually(async () => rx.delivered.find((p) => p.esm_class === 0));
    assert.deepEqual([mo.source_addr, mo.destination_addr, (mo.short_message as { message: string }).message], ['447700900123', '447700900999', 'Hi there ¿']);

    const secure = await NodeSmppClient.connect(ports.tlsPort!, true);
    clients.push(secure);
    assert.equal(await secure.bind('transceiver', cred.key, cred.secret), ESME.ROK);
    const sent = await secure.request('submit_sm', { source_addr: 'Shop', destination_addr: TO, dest_addr_ton: 1, short_message: 'Over TLS', registered_delivery: 1 });
    assert.equal(sent.command_status, ESME.ROK);
    // The carrier (the simulator) has it, and its receipt comes back to a receiver of the account.
    await eventually(async () => (sim.submitted.some((s) => s.pdu.body.destination_addr === TO) ? true : undefined));
    await eventually(async () => [...rx.delivered, ...secure.delivered].find((p) => p.receipted_message_id === sent.message_id));
  });
});
