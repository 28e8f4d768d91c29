import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../src/app/clock.js';
import { smppPlugin } from '../src/providers/smpp/plugin.js';
import { textBytes } from '../src/providers/smpp/parts.js';
import { SmppSession } from '../src/providers/smpp/session.js';
import { bearer, eventually, testNode, type TestNode } from './helpers.js';

/**
 * A carrier that writes both addresses of an MO message in international form (TON 1, no +), as
 * SMSCs do for a long number. The simulator writes the destination with TON 0, as for a short code.
 */
class InternationalMoSmsc {
  readonly #server: Server;
  #session: SmppSession | undefined;

  constructor() {
    this.#server = createServer((socket) => {
      const session = new SmppSession(socket, { responseTimeoutMs: 5000 });
      session.on('error', () => undefined);
      session.on('request', (p) => {
        if (p.command === 'bind_transceiver') this.#session = session;
        session.respond(p, 0, p.command === 'bind_transceiver' ? { system_id: 'MO' } : {});
      });
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    return (this.#server.address() as { port: number }).port;
  }

  get bound(): boolean {
    return this.#session !== undefined;
  }

  /** Delivers an MO message; resolves with the client's command_status. */
  async deliver(from: string, to: string, text: string): Promise<number> {
    const body = {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: from.slice(1),
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: to.slice(1),
      esm_class: 0,
      data_coding: 0,
      short_message: textBytes(text, 'GSM-7'),
    };
    return (await this.#session!.request('deliver_sm', body)).status;
  }

  async close(): Promise<void> {
    this.#session?.destroy();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}

describe('SMPP inbound to a long number', () => {
  let smsc: InternationalMoSmsc;
  let node: TestNode;
  before(async () => {
    smsc = new InternationalMoSmsc();
    const port = await smsc.listen();
    const connector = smppPlugin.create(
      { name: 'carrier', provider: 'smpp', host: '127.0.0.1', port, system_id: 'sb', password: 'pw', reconnect_min_ms: 50, reconnect_max_ms: 200, test_numbers: true },
      { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
    );
    node = await testNode({ connectors: [connector] });
    await eventually(async () => (smsc.bound ? true : undefined));
  });
  after(async () => {
    await node.close();
    await smsc.close();
  });

  test('both numbers are read in E.164: a STOP to the long number stops what it sends next', async () => {
    assert.equal(await smsc.deliver('+447700900123', '+447700900999', 'STOP'), 0);
    const inbound = (await node.api.inject({ method: 'GET', url: '/v1/inbound', headers: bearer(node.key) })).json();
    assert.equal(inbound.messages[0].from, '+447700900123');
    assert.equal(inbound.messages[0].to, '+447700900999');

    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: '+447700900999', to: '+447700900123', text: 'Last chance!' } });
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().error.code, 'destination_opted_out');
    assert.equal(res.json().error.param, 'to');
  });
});
