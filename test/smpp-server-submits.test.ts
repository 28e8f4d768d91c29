import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { decodePdu, encodePdu, pdu, type Pdu } from '../src/providers/smpp/pdu/codec.js';
import { bearer, eventually, STORES, testNodeOn, type TestNode } from './helpers.js';
import { NodeSmppClient, type NodeSmppPdu } from './clients/node-smpp.js';

// The SMPP server's window of submits per session, submit_multi and data_sm: with the `smpp` npm
// package as the customer, and with PDUs written on a raw socket by Switchboard's own codec
// where a test needs to send far past any window and read the answers' bytes.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const ESME = { ROK: 0x00, RINVDSTADR: 0x0b, RINVNUMDESTS: 0x33, RCNTSUBDL: 0x44, RSUBMITFAIL: 0x45, RTHROTTLED: 0x58 } as const;
const WINDOW = 4;
const TO = '447700900000';
// The sandbox's unknown subscriber: accepted, then undelivered.
const UNKNOWN = '447700900001';

/** A PDU read, and its bytes as they came. */
interface Read extends Pdu {
  readonly bytes: Buffer;
}

/** A customer's connection that writes whole PDUs and reads what comes back, PDU by PDU. */
class RawCustomer {
  readonly #read: Read[] = [];
  #pending = Buffer.alloc(0);
  #wake: (() => void) | undefined;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#pending = Buffer.concat([this.#pending, chunk]);
      while (this.#pending.length >= 4 && this.#pending.length >= this.#pending.readUInt32BE(0)) {
        const bytes = this.#pending.subarray(0, this.#pending.readUInt32BE(0));
        this.#pending = this.#pending.subarray(bytes.length);
        this.#read.push({ ...decodePdu(bytes), bytes });
      }
      this.#wake?.();
    });
  }

  static open(port: number): Promise<RawCustomer> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawCustomer(socket)));
      socket.once('error', reject);
    });
  }

  /** Writes the PDUs in one write, as a client with a huge window pipelines them. */
  write(pdus: Pdu[]): void {
    this.socket.write(Buffer.concat(pdus.map(encodePdu)));
  }

  /** The next `n` PDUs read. */
  async next(n: number): Promise<Read[]> {
    while (this.#read.length < n) {
      assert.ok(!this.socket.destroyed, 'the connection closed');
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    return this.#read.splice(0, n);
  }
}

function receiptText(p: NodeSmppPdu): string {
  return Buffer.isBuffer(p.short_message) ? p.short_message.toString('latin1') : String((p.short_message as { message?: string }).message ?? '');
}

for (const storeName of STORES) {
  describe(`the SMPP server's window, submit_multi and data_sm on ${storeName}`, () => {
    let node: TestNode;
    let port: number;
    const clients: NodeSmppClient[] = [];
    const sockets: Socket[] = [];

    const api = (method: string, url: string, key: string, payload?: Json) =>
      node.api.inject({ method: method as 'GET', url, headers: bearer(key), ...(payload !== undefined && { payload }) });

    /** A new account with a key and an SMPP credential; `prices` makes it pay, from `credit`. */
    async function account(body: Json = {}, credit?: string): Promise<{ id: string; key: string; systemId: string; password: string }> {
      const made = await api('POST', '/v1/accounts', node.key, { name: 'SMPP customer', ...body });
      assert.equal(made.statusCode, 201, made.body);
      const id = made.json().id as string;
      if (credit) assert.equal((await api('POST', `/v1/accounts/${id}/top-ups`, node.key, { amount: credit })).statusCode, 201);
      const key = (await api('POST', `/v1/accounts/${id}/keys`, node.key, { scopes: ['send', 'read'] })).json().key as string;
      const cred = (await api('POST', `/v1/accounts/${id}/credentials`, node.key, { protocol: 'smpp' })).json() as { key: string; secret: string };
      return { id, key, systemId: cred.key, password: cred.secret };
    }

    async function bound(who: { systemId: string; password: string }): Promise<NodeSmppClient> {
      const c = await NodeSmppClient.connect(port);
      clients.push(c);
      assert.equal(await c.bind('transceiver', who.systemId, who.password), ESME.ROK);
      return c;
    }

    /** The account's message log, every page of it. */
    async function messages(key: string): Promise<Json[]> {
      const all: Json[] = [];
      for (let cursor: string | null = ''; cursor !== null; ) {
        const page = (await api('GET', `/v1/messages?limit=100${cursor ? `&cursor=${cursor}` : ''}`, key)).json() as { messages: Json[]; next_cursor: string | null };
        all.push(...page.messages);
        cursor = page.next_cursor;
      }
      return all;
    }

    before(async () => {
      node = await testNodeOn(storeName, { SWITCHBOARD_SMPP_PORT: '0', SWITCHBOARD_SMPP_WINDOW: String(WINDOW) });
      port = (await node.smpp!.listen()).port!;
    });

    after(async () => {
      for (const c of clients) c.close();
      for (const s of sockets) s.destroy();
      await node.close();
    });

    test('a client pipelining far past the window has every submit answered, those past it ESME_RTHROTTLED, and stays bound', async () => {
      const shop = await account();
      const raw = await RawCustomer.open(port);
      sockets.push(raw.socket);
      raw.write([pdu('bind_transmitter', 1, { system_id: shop.systemId, password: shop.password, interface_version: 0x34 })]);
      assert.deepEqual((await raw.next(1)).map((p) => [p.command, p.status]), [['bind_transmitter_resp', 0]]);

      const total = 300;
      const submits = Array.from({ length: total }, (_, i) =>
        pdu('submit_sm', 100 + i, { source_addr: 'Shop', dest_addr_ton: 1, destination_addr: TO, short_message: Buffer.from(`Message ${i}`, 'latin1') }),
      );
      raw.write(submits);
      const answers = await raw.next(total);
      assert.deepEqual(answers.map((a) => a.sequence).sort((a, b) => a - b), submits.map((s) => s.sequence), 'every submit answered once');
      assert.ok(answers.every((a) => a.command === 'submit_sm_resp'));
      const taken = answers.filter((a) => a.status === ESME.ROK);
      const throttled = answers.filter((a) => a.status === ESME.RTHROTTLED);
      assert.equal(taken.length + throttled.length, total);
      assert.ok(taken.length >= WINDOW, `${taken.length} taken: at least the window`);
      assert.ok(throttled.length > 0, 'the submits past the window are refused');
      // A refusal is a bare header: SMPP 3.4 sends no body with an error status.
      assert.equal(throttled[0]!.bytes.toString('hex'), '00000010' + '80000004' + '00000058' + throttled[0]!.sequence.toString(16).padStart(8, '0'));
      assert.ok(taken.every((a) => /^[0-9A-Z]{26}$/.test(String(a.body.message_id))));

      // What was taken is in the message log, and nothing else.
      const logged = await messages(shop.key);
      assert.deepEqual(new Set(logged.map((m) => m.id)), new Set(taken.map((a) => `msg_${String(a.body.message_id)}`)));

      // The session is up: enquire_link is answered, and a submit within the window is taken.
      raw.write([pdu('enquire_link', 9000), pdu('submit_sm', 9001, { source_addr: 'Shop', dest_addr_ton: 1, destination_addr: TO, short_message: Buffer.from('After', 'latin1') })]);
      const last = await raw.next(2);
      assert.deepEqual(last.map((p) => [p.command, p.sequence, p.status]), [['enquire_link_resp', 9000, 0], ['submit_sm_resp', 9001, 0]]);

      // A submit_multi_resp as it comes: the id, then one unsuccessful destination with its 4-octet status.
      const dest = (to: string) => ({ dest_flag: 1, dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: to });
      raw.write([pdu('submit_multi', 9002, { source_addr: 'Shop', dest_address: [dest(TO), dest('12')], short_message: Buffer.from('Multi', 'latin1') })]);
      const [multi] = await raw.next(1);
      const id = String(multi!.body.message_id);
      const body = Buffer.concat([Buffer.from(`${id}\0`, 'latin1'), Buffer.from('01' + '0101' + '313200' + '0000000b', 'hex')]);
      assert.equal(multi!.bytes.toString('hex'), (16 + body.length).toString(16).padStart(8, '0') + '80000021' + '00000000' + (9002).toString(16).padStart(8, '0') + body.toString('hex'));
      assert.equal((await messages(shop.key)).find((m) => m.text === 'Multi')?.id, `msg_${id}`);
    });

    test('submit_multi: one message per SME address, one id for their receipts, each refused destination listed with its error', async () => {
      const shop = await account();
      const c = await bound(shop);
      const res = await c.request('submit_multi', {
        source_addr: 'Shop',
        dest_address: [
          { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: TO },
          { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '12' },
          { dl_name: 'staff' },
          { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: UNKNOWN },
        ],
        registered_delivery: 1,
        short_message: 'To you all',
      });
      assert.equal(res.command, 'submit_multi_resp');
      assert.equal(res.command_status, ESME.ROK);
      const id = res.message_id as string;
      assert.match(id, /^[0-9A-Z]{26}$/);
      assert.deepEqual(res.unsuccess_sme, [
        { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '12', error_status_code: ESME.RINVDSTADR },
        { dest_addr_ton: 0, dest_addr_npi: 0, destination_addr: 'staff', error_status_code: ESME.RCNTSUBDL },
      ]);

      const logged = await messages(shop.key);
      assert.deepEqual(logged.map((m) => [m.to, m.from, m.text]).sort(), [['+447700900000', 'Shop', 'To you all'], ['+447700900001', 'Shop', 'To you all']]);
      assert.equal(logged.find((m) => m.to === '+447700900000')!.id, `msg_${id}`, 'the answer carries the first destination\'s id');

      // Both receipts carry the id the submit_multi was answered with; source_addr tells the destinations apart.
      const receipts = await eventually(async () => (c.delivered.length >= 2 ? c.delivered : undefined));
      assert.deepEqual(receipts.map((r) => [r.source_addr, r.receipted_message_id, /stat:(\w+)/.exec(receiptText(r))?.[1]]).sort(), [
        [TO, id, 'DELIVRD'],
        [UNKNOWN, id, 'UNDELIV'],
      ]);
      assert.ok(receipts.every((r) => receiptText(r).startsWith(`id:${id} `)));
    });

    test('submit_multi: each destination is priced and charged; none taken answers the first error; 0 or 255 destinations are ESME_RINVNUMDESTS', async () => {
      const shop = await account({ prices: { entries: [{ prefix: '+44', price: '0.05' }] } }, '0.10');
      const c = await bound(shop);
      const dest = (to: string) => ({ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: to });
      const res = await c.request('submit_multi', { source_addr: 'Shop', dest_address: [TO, '447700900002', '447700900003'].map(dest), short_message: 'Paid' });
      assert.equal(res.command_status, ESME.ROK);
      assert.deepEqual((res.unsuccess_sme as Json[]).map((u) => u.error_status_code), [ESME.RSUBMITFAIL], 'the credit pays for two');
      const logged = await messages(shop.key);
      assert.deepEqual([logged.length, logged.every((m) => m.price === '0.050000')], [2, true]);
      assert.equal((await api('GET', `/v1/accounts/${shop.id}`, node.key)).json().balance, '0.000000');

      const none = await c.request('submit_multi', { source_addr: 'Shop', dest_address: [dest('12'), { dl_name: 'staff' }], short_message: 'Nobody' });
      assert.deepEqual([none.command_status, none.message_id], [ESME.RINVDSTADR, undefined]);
      assert.equal((await c.request('submit_multi', { source_addr: 'Shop', dest_address: [], short_message: 'x' })).command_status, ESME.RINVNUMDESTS);
      const many = Array.from({ length: 255 }, (_, i) => dest(`4477009${String(i).padStart(5, '0')}`));
      assert.equal((await c.request('submit_multi', { source_addr: 'Shop', dest_address: many, short_message: 'x' })).command_status, ESME.RINVNUMDESTS);
      assert.equal((await messages(shop.key)).length, 2, 'nothing more is stored');
    });

    test('submit_multi in UDH parts, out of order: one whole message per destination, every part answered alike', async () => {
      const shop = await account();
      const c = await bound(shop);
      const dest_address = [TO, '447700900004'].map((to) => ({ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: to }));
      const parts = ['First half, ', 'second half.'];
      const answers = await Promise.all(
        [1, 0].map((i) =>
          c.request('submit_multi', { source_addr: 'Shop', dest_address, esm_class: 0x40, short_message: Buffer.concat([Buffer.from([5, 0, 3, 0x33, 2, i + 1]), Buffer.from(parts[i]!, 'latin1')]) }),
        ),
      );
      assert.deepEqual(answers.map((a) => [a.command_status, a.unsuccess_sme]), [[ESME.ROK, []], [ESME.ROK, []]]);
      assert.equal(answers[0]!.message_id, answers[1]!.message_id);
      const logged = await messages(shop.key);
      assert.deepEqual(logged.map((m) => [m.to, m.text]).sort(), [['+447700900000', parts.join('')], ['+447700900004', parts.join('')]]);
    });

    test('data_sm: its message_payload is the text, data_sm_resp carries the id, and the receipt comes as for submit_sm', async () => {
      const shop = await account();
      const c = await bound(shop);
      const text = 'A long text sent with data_sm. '.repeat(10).trim();
      const res = await c.request('data_sm', { source_addr: 'Shop', dest_addr_ton: 1, destination_addr: TO, registered_delivery: 1, data_coding: 0, message_payload: text });
      assert.deepEqual([res.command, res.command_status], ['data_sm_resp', ESME.ROK]);
      const id = res.message_id as string;
      const [logged] = await messages(shop.key);
      assert.deepEqual([logged!.id, logged!.to, logged!.text, logged!.segments], [`msg_${id}`, '+447700900000', text, 3]);
      const receipt = await eventually(async () => c.delivered.find((r) => r.receipted_message_id === id));
      assert.match(receiptText(receipt), new RegExp(`^id:${id} sub:001 dlvrd:001 .* stat:DELIVRD err:000 text:A long text sent wit$`));

      const refused = await c.request('data_sm', { source_addr: 'Shop', dest_addr_ton: 1, destination_addr: '12', message_payload: 'x' });
      assert.deepEqual([refused.command, refused.command_status], ['data_sm_resp', ESME.RINVDSTADR]);
    });
  });
}
