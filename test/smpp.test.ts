import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { systemClock } from '../src/app/clock.js';
import { encodePdu, pdu, PduError, PduReader, type Pdu } from '../src/providers/smpp/pdu/codec.js';
import { STATUS } from '../src/providers/smpp/pdu/commands.js';
import { idKey } from '../src/providers/smpp/receipt.js';
import { smppPlugin } from '../src/providers/smpp/plugin.js';
import { SmscSimulator, type SimulatorOptions } from '../src/providers/smpp/simulator.js';
import { MAGIC_NUMBERS } from '../src/providers/sandbox/numbers.js';
import { isFinal } from '../src/core/lifecycle.js';
import { bearer, eventually, testNode, type TestNode } from './helpers.js';

async function setup(sim: SimulatorOptions, settings: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const smsc = new SmscSimulator({ port: 0, receiptDelayMs: 20, ...sim });
  const port = await smsc.listen();
  const connector = smppPlugin.create(
    { name: 'carrier', provider: 'smpp', host: '127.0.0.1', port, system_id: 'switchboard', password: 'secret', window: 20, tps: 500, reconnect_min_ms: 50, reconnect_max_ms: 200, test_numbers: true, ...settings },
    { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
  );
  const node = await testNode({ connectors: [connector], env });
  await eventually(async () => (smsc.sessions > 0 ? true : undefined));
  return { smsc, node };
}

function client(node: TestNode) {
  const send = async (to: string, text: string) => {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Switchboard', to, text } });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().messages[0].id as string;
  };
  const get = async (id: string) => (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
  const until = (id: string, status: string) => eventually(async () => ((await get(id)).status === status ? get(id) : undefined), 8000);
  return { send, get, until };
}

describe('SMPP connector against the SMSC simulator', () => {
  let smsc: SmscSimulator;
  let node: TestNode;
  let api: ReturnType<typeof client>;
  before(async () => {
    ({ smsc, node } = await setup({}));
    api = client(node);
  });
  after(async () => {
    await node.close();
    await smsc.close();
  });

  test('GSM text goes as data_coding 0, one octet per septet, and is delivered', async () => {
    const id = await api.until(await api.send('+447700900000', 'Price: 5€ [ok]'), 'delivered').then((m) => m.id);
    const pdu = smsc.submitted.at(-1)!.pdu;
    assert.equal(pdu.body.data_coding, 0);
    assert.equal(pdu.body.destination_addr, '447700900000');
    assert.equal(pdu.body.source_addr, 'Switchboard');
    assert.equal(pdu.body.source_addr_ton, 5);
    assert.equal(pdu.body.registered_delivery, 1);
    assert.deepEqual([...(pdu.body.short_message as Buffer)].slice(0, 3), [0x50, 0x72, 0x69]); // "Pri"
    assert.ok((pdu.body.short_message as Buffer).includes(Buffer.from([0x1b, 0x65]))); // € as escape + 0x65
    const m = await api.get(id);
    assert.equal(m.provider_message_id, smsc.submitted.at(-1)!.messageId);
    assert.equal(m.events.at(-1).payload.receipt.stat, 'DELIVRD');
    // The receipt's done date has minute resolution: kept as the provider's time, while the
    // message's own times never go backwards.
    assert.ok(Date.parse(m.events.at(-1).detail.provider_time) <= Date.parse(m.events.at(-1).at));
    assert.ok(Date.parse(m.updated_at) >= Date.parse(m.created_at), `${m.updated_at} >= ${m.created_at}`);
    const times = m.events.map((e: { at: string }) => Date.parse(e.at));
    assert.deepEqual(times, [...times].sort((x, y) => x - y));
  });

  test('UCS-2 text goes as data_coding 8, big-endian', async () => {
    await api.until(await api.send('+447700900000', 'Привет 😀'), 'delivered');
    const pdu = smsc.submitted.at(-1)!.pdu;
    assert.equal(pdu.body.data_coding, 8);
    assert.equal((pdu.body.short_message as Buffer).toString('hex').slice(0, 4), '041f');
  });

  test('a 3-part message goes as three submit_sm with a UDH, and is delivered when all parts are', async () => {
    const before = smsc.submitted.length;
    const m = await api.until(await api.send('+447700900000', 'x'.repeat(400)), 'delivered');
    const parts = smsc.submitted.slice(before);
    assert.equal(parts.length, 3);
    parts.forEach((p, i) => {
      assert.equal(Number(p.pdu.body.esm_class) & 0x40, 0x40);
      const udh = (p.pdu.body.short_message as Buffer).subarray(0, 6);
      assert.deepEqual([...udh.subarray(0, 3)], [0x05, 0x00, 0x03]);
      assert.deepEqual([udh[4], udh[5]], [3, i + 1]);
    });
    assert.equal(new Set(parts.map((p) => (p.pdu.body.short_message as Buffer)[3])).size, 1, 'one reference for all parts');
    const receipts = m.events.filter((e: { type: string }) => e.type === 'receipt');
    assert.equal(receipts.length, 3, JSON.stringify(m.events.map((e: { type: string; status: string; detail: unknown }) => [e.type, e.status, e.detail])));
    assert.deepEqual(receipts.map((e: { status: string | null }) => e.status).sort(), ['delivered', null, null]);
  });

  test('every magic number ends as in the sandbox: the same status and canonical error', async () => {
    const sandbox = await testNode();
    try {
      const through = [api, client(sandbox)] as const;
      const numbers = Object.keys(MAGIC_NUMBERS);
      // A short validity, so that the number whose receipt never comes expires once the clocks move on.
      const send = (c: ReturnType<typeof client>, n: TestNode, to: string) =>
        n.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(n.key), payload: { from: 'Switchboard', to, text: 'Hi', validity: 60 } }).then((r) => r.json().messages[0].id as string).then((id) => ({ c, id }));
      const sent = await Promise.all(numbers.map((to) => Promise.all([send(through[0], node, to), send(through[1], sandbox, to)])));
      const final = ({ c, id }: { c: ReturnType<typeof client>; id: string }) =>
        eventually(async () => {
          const m = await c.get(id);
          return isFinal(m.status) ? [m.status, m.error?.code ?? null] : undefined;
        }, 15_000);
      const waiting = numbers.map((to, i) => (MAGIC_NUMBERS[to]!.receipt === null && !MAGIC_NUMBERS[to]!.submit ? undefined : Promise.all(sent[i]!.map(final))));
      const settled = await Promise.all(waiting);
      node.clock.advance(61_000);
      sandbox.clock.advance(61_000);
      const outcomes = await Promise.all(numbers.map((_, i) => settled[i] ?? Promise.all(sent[i]!.map(final))));
      node.clock.offset = 0;
      const [smpp, inSandbox] = ([0, 1] as const).map((k) => Object.fromEntries(numbers.map((to, i) => [to, outcomes[i]![k]])));
      assert.deepEqual(smpp, inSandbox, 'over SMPP as in the sandbox');
      assert.deepEqual(smpp, {
        '+447700900000': ['delivered', null],
        '+447700900001': ['undelivered', 'unknown_subscriber'],
        '+447700900002': ['undelivered', 'absent_subscriber'],
        '+447700900003': ['undelivered', 'carrier_rejected'],
        '+447700900004': ['expired', 'message_expired'],
        '+447700900005': ['rejected', 'destination_barred'],
        '+447700900006': ['delivered', null],
        '+447700900007': ['undelivered', 'handset_storage_full'],
        '+447700900008': ['failed', 'provider_error'],
        '+447700900009': ['rejected', 'sender_not_authorized'],
      }, 'as the README table says');
    } finally {
      await sandbox.close();
    }
  });

  test('ESME_RTHROTTLED slows down and the message goes again later', async () => {
    const m = await api.until(await api.send('+447700900006', 'throttled once'), 'delivered');
    const retry = m.events.find((e: { type: string }) => e.type === 'retry_scheduled');
    assert.equal(retry.error.code, 'rate_limit_exceeded');
    assert.equal(retry.error.provider.code, '0x00000058');
  });

  test('a deliver_sm that is not a receipt is an inbound message, readable through the API', async () => {
    await smsc.deliverMo('+447700900123', '12345', 'STOP please');
    const page = await eventually(async () => {
      const res = (await node.api.inject({ method: 'GET', url: '/v1/inbound', headers: bearer(node.key) })).json();
      return res.messages.length > 0 ? res : undefined;
    });
    assert.equal(page.messages[0].from, '+447700900123');
    assert.equal(page.messages[0].to, '12345');
    assert.equal(page.messages[0].text, 'STOP please');
    assert.equal(page.messages[0].connection, 'carrier');
  });

  test('the connection comes back after the SMSC drops it', async () => {
    smsc.dropAll();
    await eventually(async () => (smsc.sessions > 0 ? true : undefined));
    await api.until(await api.send('+447700900000', 'after the drop'), 'delivered');
    const metrics = (await node.api.inject({ method: 'GET', url: '/metrics', headers: bearer(node.key) })).body;
    assert.match(metrics, /switchboard_connection_up\{connection="carrier"\} 1/);
  });
});

describe('SMPP receipts with ids in another form', () => {
  for (const [ids, receiptIds] of [['hex', 'decimal'], ['decimal', 'hex']] as const) {
    test(`submit_sm_resp in ${ids}, receipt in ${receiptIds}`, async () => {
      const { smsc, node } = await setup({ idFormat: ids, receiptIdFormat: receiptIds });
      try {
        const api = client(node);
        const m = await api.until(await api.send('+447700900000', 'Hi'), 'delivered');
        const receipt = m.events.at(-1).payload.receipt;
        assert.notEqual(receipt.receiptedMessageId, m.provider_message_id);
      } finally {
        await node.close();
        await smsc.close();
      }
    });
  }

  test('long messages as message_payload', async () => {
    const { smsc, node } = await setup({}, { long_messages: 'payload' });
    try {
      const api = client(node);
      await api.until(await api.send('+447700900000', 'y'.repeat(400)), 'delivered');
      const pdu = smsc.submitted.at(-1)!.pdu;
      assert.equal((pdu.body.short_message as Buffer).length, 0);
      assert.equal(pdu.tlvs.get(0x0424)?.length, 400);
    } finally {
      await node.close();
      await smsc.close();
    }
  });
});

describe('SMPP sends slower than the lease', () => {
  test('a submit_sm answered after the lease ran out goes once, and the message is delivered once', async () => {
    const { smsc, node } = await setup({ submitDelayMs: 2500 }, {}, { SWITCHBOARD_LEASE_MS: '1000' });
    let open = true;
    try {
      const api = client(node);
      const m = await api.until(await api.send('+447700900000', 'slow carrier'), 'delivered');
      // Stopping waits for every send in flight: a second submit would be on the wire by then.
      await node.close();
      open = false;
      assert.equal(smsc.submitted.length, 1);
      assert.equal(m.attempts, 1);
      assert.deepEqual(
        m.events.map((e: { type: string }) => e.type),
        ['queued', 'sending', 'sent', 'receipt'],
      );
    } finally {
      if (open) await node.close();
      await smsc.close();
    }
  });
});

describe('SMPP long messages refused partway', () => {
  const udh = (p: Pdu) => {
    const sm = p.body.short_message as Buffer;
    return { reference: sm[3], part: sm[5] };
  };

  test('throttled at part 2 of 3: the next attempt resumes at part 2 with the same reference, part 1 kept', async () => {
    const wire: Pdu[] = [];
    const { smsc, node } = await setup({ refuse: (n, p) => (wire.push(p), n === 2 ? STATUS.ESME_RTHROTTLED : undefined) });
    try {
      const api = client(node);
      const id = await api.send('+447700900000', 'z'.repeat(400));
      await api.until(id, 'delivered');
      // The last two parts' receipts can arrive together: the one that completes the message moves
      // it, and the other is noted just after, so all three are read once they are all there.
      const receipts = (m: { events: { type: string }[] }) => m.events.filter((e) => e.type === 'receipt').length;
      const m = await eventually(async () => {
        const now = await api.get(id);
        return receipts(now) >= 3 ? now : undefined;
      });
      assert.deepEqual(wire.map((p) => udh(p).part), [1, 2, 2, 3]);
      assert.equal(new Set(wire.map((p) => udh(p).reference)).size, 1, 'one reference for every part');
      const sent = m.events.find((e: { type: string }) => e.type === 'sent');
      assert.deepEqual(sent.detail.provider_message_ids, smsc.submitted.map((s) => s.messageId));
      assert.equal(receipts(m), 3);
    } finally {
      await node.close();
      await smsc.close();
    }
  });

  test('part 2 of 3 refused for good: the message fails, part 1 recorded as reached the carrier', async () => {
    const wire: Pdu[] = [];
    const { smsc, node } = await setup({ refuse: (n, p) => (wire.push(p), n === 2 ? STATUS.ESME_RX_P_APPN : undefined) });
    try {
      const api = client(node);
      const m = await api.until(await api.send('+447700900000', 'z'.repeat(400)), 'rejected');
      assert.equal(m.error.code, 'carrier_rejected');
      assert.deepEqual(wire.map((p) => udh(p).part), [1, 2]);
      const [first] = smsc.submitted;
      const note = m.events.find((e: { type: string }) => e.type === 'parts_submitted');
      assert.deepEqual(note.detail, { connection: 'carrier', attempt: 1, parts: 'part 1 of 3 reached the carrier', provider_message_ids: [first!.messageId] });
      assert.deepEqual(await node.store.findProviderIds('carrier', [idKey(first!.messageId)]), [{ connection: 'carrier', providerMessageId: idKey(first!.messageId), messageId: m.id, part: 1, parts: 3 }]);
    } finally {
      await node.close();
      await smsc.close();
    }
  });
});

describe('SMPP when the SMSC is away', () => {
  test('messages wait queued while no bind is up, then go when the SMSC comes back', async () => {
    const probe = new SmscSimulator({ port: 0 });
    const port = await probe.listen();
    await probe.close(); // a port with nothing listening, for now
    const connector = smppPlugin.create(
      { name: 'carrier', provider: 'smpp', host: '127.0.0.1', port, system_id: 'sb', password: 'pw', reconnect_min_ms: 50, reconnect_max_ms: 100, test_numbers: true },
      { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
    );
    const node = await testNode({ connectors: [connector] });
    const smsc = new SmscSimulator({ port, receiptDelayMs: 10 });
    try {
      const api = client(node);
      const id = await api.send('+447700900000', 'patience');
      await new Promise((r) => setTimeout(r, 300));
      const waiting = await api.get(id);
      assert.equal(waiting.status, 'queued');
      assert.equal(waiting.attempts, 0);
      // A message whose validity ends while the SMSC is away expires, without being sent.
      const stale = (
        await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Switchboard', to: '+447700900000', text: 'stale', validity: 60 } })
      ).json().messages[0].id;
      node.clock.advance(61_000);
      const expired = await api.until(stale, 'expired');
      assert.equal(expired.error.code, 'message_expired');
      assert.equal(expired.attempts, 0);
      node.clock.offset = 0;
      await smsc.listen();
      await api.until(id, 'delivered');
    } finally {
      await node.close();
      await smsc.close();
    }
  });

  test('a refused bind is explained from the catalogue in the log, and retried', async () => {
    const smsc = new SmscSimulator({ port: 0, systemId: 'sb', password: 'right' });
    const port = await smsc.listen();
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const connector = smppPlugin.create(
      { name: 'carrier', provider: 'smpp', host: '127.0.0.1', port, system_id: 'sb', password: 'wrong', reconnect_min_ms: 50, reconnect_max_ms: 100 },
      { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
    );
    const node = await testNode({ connectors: [connector], logger });
    try {
      const down = await eventually(async () => lines.filter((l) => l.msg === 'connection down').at(-1));
      assert.deepEqual(down.reason, {
        code: '0x0000000e',
        meaning: 'Invalid Password',
        canonical: 'provider_authentication_failed',
        resolution: down.reason && (down.reason as { resolution: string }).resolution,
      });
      await eventually(async () => (lines.filter((l) => l.msg === 'connection down').length >= 3 ? true : undefined));
    } finally {
      await node.close();
      await smsc.close();
    }
  });
});

/** A connector context that takes everything and holds every bind. */
const context = { receipt: async () => undefined, inbound: async () => undefined, status: () => undefined, holdSessions: async () => true, releaseSessions: async () => undefined, awaitingReceipts: async () => [] };

/** An SMSC of a few lines, for what the simulator does not do: `answer` sees every PDU of every connection. */
async function rawPeer(answer: (p: Pdu, reply: (out: Pdu) => void, connection: number) => void) {
  let connections = 0;
  const server = createServer((socket) => {
    const connection = ++connections;
    const reader = new PduReader();
    socket.on('data', (chunk: Buffer) => {
      for (const p of reader.push(chunk)) if (!(p instanceof PduError)) answer(p, (out) => socket.write(encodePdu(out)), connection);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('SMPP binds held across nodes (max_binds)', () => {
  test('a renewal of the hold that gets no answer keeps the session until the last hold ends; a refused one drops it at once', async () => {
    const binds: number[] = [];
    const peer = await rawPeer((p, reply, connection) => {
      if (p.command === 'bind_transceiver') binds.push(connection);
      answering(() => undefined)(p, reply);
    });
    let coordination: 'holds' | 'refuses' | 'unreachable' = 'holds';
    const holdSessions = async () => {
      if (coordination === 'unreachable') throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      return coordination === 'holds';
    };
    // Renewed every 100 ms; each hold lasts its floor of 5 s.
    const connector = smppPlugin.create(
      { name: 'carrier', provider: 'smpp', host: '127.0.0.1', port: peer.port, system_id: 'sb', password: 'pw', max_binds: 1, enquire_link_seconds: 0.1, reconnect_min_ms: 50, reconnect_max_ms: 100 },
      { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
    );
    await connector.start({ ...context, holdSessions });
    try {
      await eventually(async () => (connector.ready ? true : undefined));
      coordination = 'unreachable';
      const unreachableAt = Date.now();
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(connector.ready, 'ten renewals without an answer: still bound');
      assert.deepEqual(binds, [1]);
      await eventually(async () => (connector.ready ? undefined : true), 10_000);
      // The last hold got through at most one renewal (100 ms) before the coordination went away.
      assert.ok(Date.now() - unreachableAt >= 4900, `dropped ${Date.now() - unreachableAt} ms after the last hold, which lasts 5 s`);

      coordination = 'holds';
      await eventually(async () => (connector.ready ? true : undefined));
      assert.deepEqual(binds, [1, 2], 'bound again once a hold is granted');
      coordination = 'refuses';
      await eventually(async () => (connector.ready ? undefined : true), 1000);
    } finally {
      await connector.stop();
      await peer.close();
    }
  });
});

describe('SMPP with a transmitter and a receiver', () => {
  test('binds bind_transmitter and bind_receiver, and reads receipts on the receiver', async () => {
    const { smsc, node } = await setup({}, { bind_mode: 'transmitter_receiver' });
    try {
      await eventually(async () => (smsc.sessions === 2 ? true : undefined));
      const api = client(node);
      const m = await api.until(await api.send('+447700900000', 'two binds'), 'delivered');
      assert.equal(m.events.at(-1).payload.receipt.stat, 'DELIVRD');
    } finally {
      await node.close();
      await smsc.close();
    }
  });

  test('on shutdown both sessions unbind', async () => {
    const seen: string[] = [];
    const peer = await rawPeer((p, reply, connection) => {
      seen.push(`${connection}:${p.command}`);
      if (p.command.startsWith('bind_') || p.command === 'unbind') reply(pdu(`${p.command}_resp` as 'unbind_resp', p.sequence, p.command === 'unbind' ? {} : { system_id: 'raw' }));
    });
    const connector = smppPlugin.create(
      { name: 'raw', provider: 'smpp', host: '127.0.0.1', port: peer.port, system_id: 'sb', password: 'pw', bind_mode: 'transmitter_receiver' },
      { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
    );
    await connector.start(context);
    try {
      await eventually(async () => (seen.includes('2:bind_receiver') ? true : undefined));
      await connector.stop();
      assert.deepEqual(seen.sort(), ['1:bind_transmitter', '1:unbind', '2:bind_receiver', '2:unbind']);
    } finally {
      await peer.close();
    }
  });
});

/** A node whose one connection is an SMPP transceiver bound to `port`. */
async function nodeOn(port: number, settings: Record<string, unknown> = {}) {
  const connector = smppPlugin.create(
    { name: 'carrier', provider: 'smpp', host: '127.0.0.1', port, system_id: 'sb', password: 'pw', reconnect_min_ms: 50, reconnect_max_ms: 100, test_numbers: true, ...settings },
    { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
  );
  return testNode({ connectors: [connector] });
}

/** Answers binds and enquire_links; submit_sm as `submit` says. */
const answering = (submit: (p: Pdu, reply: (out: Pdu) => void) => void) => (p: Pdu, reply: (out: Pdu) => void) => {
  if (p.command === 'bind_transceiver') reply(pdu('bind_transceiver_resp', p.sequence, { system_id: 'raw' }));
  else if (p.command === 'enquire_link' || p.command === 'unbind') reply(pdu(`${p.command}_resp`, p.sequence));
  else if (p.command === 'submit_sm') submit(p, reply);
};

describe('SMPP flow control', () => {
  test('never more than `window` submit_sm outstanding on the wire', async () => {
    let outstanding = 0;
    let most = 0;
    let n = 0;
    const peer = await rawPeer(
      answering((p, reply) => {
        most = Math.max(most, ++outstanding);
        setTimeout(() => {
          outstanding--;
          reply(pdu('submit_sm_resp', p.sequence, { message_id: `M${++n}` }));
        }, 30);
      }),
    );
    const node = await nodeOn(peer.port, { window: 3, tps: 1000 });
    try {
      const api = client(node);
      const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => api.send(`+4474001234${String(10 + i)}`, 'windowed')));
      await Promise.all(ids.map((id) => api.until(id, 'sent')));
      assert.equal(n, 12);
      assert.equal(most, 3);
    } finally {
      await node.close();
      await peer.close();
    }
  });

  test('ESME_RMSGQFUL slows down and the message goes again later', async () => {
    const { smsc, node } = await setup({ refuse: (n) => (n === 1 ? STATUS.ESME_RMSGQFUL : undefined) });
    try {
      const api = client(node);
      const m = await api.until(await api.send('+447700900000', 'queue full'), 'delivered');
      const retry = m.events.find((e: { type: string }) => e.type === 'retry_scheduled');
      assert.equal(retry.error.code, 'provider_queue_full');
      assert.equal(retry.error.provider.code, '0x00000014');
      assert.equal(smsc.submitted.length, 1);
    } finally {
      await node.close();
      await smsc.close();
    }
  });

  test('a generic_nack to our submit_sm is the refusal its command_status says', async () => {
    const peer = await rawPeer(answering((p, reply) => reply(pdu('generic_nack', p.sequence, {}, new Map(), STATUS.ESME_RINVCMDLEN))));
    const node = await nodeOn(peer.port);
    try {
      const api = client(node);
      const id = await api.send('+447700900000', 'nacked');
      const m = await eventually(async () => {
        const got = await api.get(id);
        return got.events.some((e: { type: string }) => e.type === 'retry_scheduled' || e.type === 'submit_failed') ? got : undefined;
      });
      const refused = m.events.find((e: { type: string }) => e.type === 'retry_scheduled' || e.type === 'submit_failed');
      assert.equal(refused.error.code, 'provider_protocol_error');
      assert.equal(refused.error.provider.code, '0x00000002');
    } finally {
      await node.close();
      await peer.close();
    }
  });
});

describe('SMPP session robustness and pacing', () => {
  test('a malformed PDU from the SMSC is answered with generic_nack and the session keeps reading', async () => {
    const received: string[] = [];
    const server = createServer((socket) => {
      const reader = new PduReader();
      socket.on('data', (chunk: Buffer) => {
        for (const p of reader.push(chunk)) {
          if (p instanceof PduError) continue;
          received.push(`${p.command}:${p.status}`);
          if (p.command === 'bind_transceiver') {
            socket.write(encodePdu(pdu('bind_transceiver_resp', p.sequence, { system_id: 'raw' })));
            // A submit_sm whose first string never ends, then a good enquire_link.
            socket.write(Buffer.from('00000014' + '00000004' + '00000000' + '00000063' + '41424344', 'hex'));
            socket.write(encodePdu(pdu('enquire_link', 100)));
          }
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const connector = smppPlugin.create({ name: 'raw', provider: 'smpp', host: '127.0.0.1', port, system_id: 'sb', password: 'pw' }, { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' });
    await connector.start(context);
    try {
      await eventually(async () => (received.includes('enquire_link_resp:0') ? true : undefined));
      assert.deepEqual(received.slice(0, 3), ['bind_transceiver:0', 'generic_nack:2', 'enquire_link_resp:0']);
    } finally {
      await connector.stop();
      server.close();
    }
  });

  test('never more submit_sm per second than the connection’s TPS', async () => {
    const { smsc, node } = await setup({}, { tps: 10, window: 5 });
    try {
      const api = client(node);
      const ids = await Promise.all(Array.from({ length: 25 }, (_, i) => api.send(`+4474001234${String(10 + i)}`, 'paced')));
      await Promise.all(ids.map((id) => api.until(id, 'delivered')));
      const times = smsc.submitted.map((s) => s.at);
      for (const t of times) {
        const inOneSecond = times.filter((u) => u >= t && u < t + 1000).length;
        assert.ok(inOneSecond <= 11, `${inOneSecond} submits within one second`);
      }
    } finally {
      await node.close();
      await smsc.close();
    }
  });
});
