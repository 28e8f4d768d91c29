import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { encodeGsm7 } from '../../core/encoding/gsm7.js';
import type { Random } from '../../core/quality/random.js';
import { receiptFor, type DestinationProfiles } from '../sandbox/destinations.js';
import { behaviourFor } from '../sandbox/numbers.js';
import type { Pdu } from './pdu/codec.js';
import { STATUS, TLV } from './pdu/commands.js';
import { textOf } from './fields.js';
import { wholeText } from './parts.js';
import { SmppSession } from './session.js';

/** How the simulated SMSC answers. Every option has a default that behaves like a healthy carrier. */
export interface SimulatorOptions {
  readonly host?: string;
  /** 0 picks a free port. Default 2775. */
  readonly port?: number;
  /** Credentials to accept; any are accepted when unset. */
  readonly systemId?: string;
  readonly password?: string;
  /** Delay before each receipt. Default 200 ms. */
  readonly receiptDelayMs?: number;
  /** Form of message ids in submit_sm_resp. Default hex. */
  readonly idFormat?: 'hex' | 'decimal';
  /** Form of the ids in receipts: the same as submit_sm_resp, or converted. Default same. */
  readonly receiptIdFormat?: 'same' | 'hex' | 'decimal';
  /** submit_sm per second above which it answers ESME_RTHROTTLED. Default unlimited. */
  readonly tps?: number;
  /** How long it takes to answer each submit_sm, as a slow SMSC. Default 0. */
  readonly submitDelayMs?: number;
  /**
   * A command_status to refuse the n-th submit_sm (counted from 1) with, whatever its
   * destination; undefined lets the table answer. Default: the table answers every one.
   */
  readonly refuse?: (n: number, submit: Pdu) => number | undefined;
  /** How numbers under some prefixes are treated: delivery rate, latency, fake or no receipts. Default: none. */
  readonly destinations?: DestinationProfiles;
  /** Draws of the destinations' delivery rates. Default Math.random. */
  readonly random?: Random;
}

/** What the sandbox's submit codes become on the wire: a command_status. */
const SUBMIT_STATUS: Readonly<Record<string, number>> = {
  THROTTLED: STATUS.ESME_RTHROTTLED,
  PLATFORM_ERROR: STATUS.ESME_RSYSERR,
};

/**
 * What the sandbox's receipt codes become: stat:, err: (the GSM MAP error, or one of the
 * simulator's own err: codes in the catalogue) and the MAP error of network_error_code. The
 * submit refusals SMPP has no command_status for (a barred destination, a sender not allowed)
 * are accepted and rejected in their receipt, so they end in the sandbox's status and error.
 */
const RECEIPTS: Readonly<Record<string, { stat: string; state: number; err: string; map?: number }>> = {
  DELIVERED: { stat: 'DELIVRD', state: 2, err: '000' },
  UNKNOWN_SUBSCRIBER: { stat: 'UNDELIV', state: 5, err: '001', map: 1 },
  ABSENT_SUBSCRIBER: { stat: 'UNDELIV', state: 5, err: '027', map: 27 },
  SPAM_REJECTED: { stat: 'UNDELIV', state: 5, err: 'SPM' },
  MEMORY_FULL: { stat: 'UNDELIV', state: 5, err: '033', map: 33 },
  BARRED: { stat: 'REJECTD', state: 8, err: '013', map: 13 },
  SENDER_REFUSED: { stat: 'REJECTD', state: 8, err: 'SND' },
};

export interface SubmittedMessage {
  readonly messageId: string;
  readonly pdu: Pdu;
  /** When it was taken, epoch milliseconds. */
  readonly at: number;
}

function smscTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
}

/**
 * An SMSC for development and tests: accepts binds, answers submit_sm with message ids, sends
 * receipts after a delay, and answers by destination with the sandbox's magic numbers (the same
 * table), command_status errors and throttling included. It can also send MO messages.
 */
export class SmscSimulator {
  readonly submitted: SubmittedMessage[] = [];
  readonly #server: Server;
  readonly #sessions = new Set<SmppSession>();
  readonly #receivers = new Set<SmppSession>();
  #closed = false;
  readonly #throttledOnce = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #counter = BigInt(`0x${randomBytes(4).toString('hex')}`);
  #window = { second: 0, count: 0 };
  #submits = 0;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.#server = createServer((socket) => this.#accept(new SmppSession(socket, { responseTimeoutMs: 10_000 })));
  }

  /** Starts listening; resolves with the port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.options.port ?? 2775, this.options.host ?? '127.0.0.1', () => {
        resolve((this.#server.address() as { port: number }).port);
      });
    });
  }

  /** Bound sessions. */
  get sessions(): number {
    return this.#sessions.size;
  }

  /** Drops every connection, as a crashing SMSC would. */
  dropAll(): void {
    for (const s of this.#sessions) s.destroy();
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.dropAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Sends a mobile-originated message to every bound receiver. */
  async deliverMo(from: string, to: string, text: string): Promise<void> {
    const { tlvs, ...fields } = wholeText(text);
    const body = { source_addr_ton: 1, source_addr_npi: 1, source_addr: from.replace(/^\+/, ''), dest_addr_ton: 0, dest_addr_npi: 0, destination_addr: to, esm_class: 0, ...fields };
    await Promise.all([...this.#receivers].map((s) => s.request('deliver_sm', body, tlvs).catch(() => undefined)));
  }

  #accept(session: SmppSession): void {
    this.#sessions.add(session);
    session.on('close', () => {
      this.#sessions.delete(session);
      this.#receivers.delete(session);
    });
    session.on('error', () => undefined);
    session.on('request', (p) => this.#onRequest(session, p));
  }

  #onRequest(session: SmppSession, p: Pdu): void {
    switch (p.command) {
      case 'bind_transceiver':
      case 'bind_transmitter':
      case 'bind_receiver': {
        const { systemId, password } = this.options;
        if ((systemId !== undefined && p.body.system_id !== systemId) || (password !== undefined && p.body.password !== password)) {
          session.respond(p, p.body.system_id === systemId ? STATUS.ESME_RINVPASWD : 0x0f);
          return;
        }
        if (p.command !== 'bind_transmitter') this.#receivers.add(session);
        session.respond(p, 0, { system_id: 'SMSCSIM' });
        return;
      }
      case 'enquire_link':
      case 'unbind':
        session.respond(p);
        return;
      case 'submit_sm':
        if (this.options.submitDelayMs) this.#later(() => this.#submit(session, p), this.options.submitDelayMs);
        else this.#submit(session, p);
        return;
      default:
        session.respond(p, STATUS.ESME_RINVCMDID);
    }
  }

  #submit(session: SmppSession, p: Pdu): void {
    const to = `+${String(p.body.destination_addr)}`;
    const behaviour = behaviourFor(to);
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.#window.second) this.#window = { second, count: 0 };
    if (this.options.tps !== undefined && ++this.#window.count > this.options.tps) {
      session.respond(p, STATUS.ESME_RTHROTTLED);
      return;
    }
    const refusal = this.options.refuse?.(++this.#submits, p);
    if (refusal !== undefined) {
      session.respond(p, refusal);
      return;
    }
    const key = `${to}|${(p.body.short_message as Buffer).toString('hex')}`;
    if (behaviour.firstSubmit && !this.#throttledOnce.has(key)) {
      this.#throttledOnce.add(key);
      session.respond(p, SUBMIT_STATUS[behaviour.firstSubmit] ?? STATUS.ESME_RSYSERR);
      return;
    }
    if (behaviour.submit && !RECEIPTS[behaviour.submit]) {
      session.respond(p, SUBMIT_STATUS[behaviour.submit] ?? STATUS.ESME_RSYSERR);
      return;
    }
    this.#counter += 1n;
    const messageId = this.options.idFormat === 'decimal' ? this.#counter.toString(10) : this.#counter.toString(16).toUpperCase().padStart(10, '0');
    this.submitted.push({ messageId, pdu: p, at: Date.now() });
    session.respond(p, 0, { message_id: messageId });
    if (!(Number(p.body.registered_delivery ?? 0) & 0x03)) return;
    const delay = this.options.receiptDelayMs ?? 200;
    const { receipt, delayMs } = behaviour.submit ? { receipt: behaviour.submit, delayMs: delay } : receiptFor(to, this.options.destinations ?? {}, this.options.random ?? Math.random, delay);
    if (receipt) this.#receiptLater(p, messageId, receipt, delayMs);
  }

  #receiptLater(submit: Pdu, messageId: string, outcome: string, delayMs: number): void {
    const submittedAt = Date.now();
    this.#later(() => {
      const r = RECEIPTS[outcome];
      if (!r) return;
      const format = this.options.receiptIdFormat ?? 'same';
      const n = BigInt(this.options.idFormat === 'decimal' ? messageId : `0x${messageId}`);
      const id = format === 'same' ? messageId : format === 'decimal' ? n.toString(10) : n.toString(16).toUpperCase();
      const original = textOf(submit).slice(0, 20);
      const text = `id:${id} sub:001 dlvrd:${r.stat === 'DELIVRD' ? '001' : '000'} submit date:${smscTime(submittedAt)} done date:${smscTime(Date.now())} stat:${r.stat} err:${r.err} text:${original}`;
      const tlvs = new Map<number, Buffer>([
        [TLV.receipted_message_id, Buffer.from(`${id}\0`, 'latin1')],
        [TLV.message_state, Buffer.from([r.state])],
      ]);
      if (r.map !== undefined) tlvs.set(TLV.network_error_code, Buffer.from([3, r.map >> 8, r.map & 0xff]));
      this.#deliver(
        {
            source_addr_ton: submit.body.dest_addr_ton,
            source_addr_npi: submit.body.dest_addr_npi,
            source_addr: submit.body.destination_addr,
            dest_addr_ton: submit.body.source_addr_ton,
            dest_addr_npi: submit.body.source_addr_npi,
            destination_addr: submit.body.source_addr,
            esm_class: 0x04,
            data_coding: 0,
            short_message: Buffer.from(encodeGsm7(text.replace(/[^\n\r -~]|`/g, '?'))),
        },
        tlvs,
      );
    }, delayMs);
  }

  /** Runs `fn` after `ms`, unless the simulator closes first. */
  #later(fn: () => void, ms: number): void {
    // Closing drops the sessions, and what was being delivered on them would be tried again.
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  /**
   * Sends a receipt to a bound receiver; as an SMSC does, one that fails (its bind died, no
   * bind at all) is tried again later, on whichever bind there is then.
   */
  /**
   * Like a real SMSC, keeps what it owes an ESME until a receiver takes it: across a dropped bind
   * and the time another node needs to bind in its place (two minutes, then it gives up).
   */
  #deliver(body: Pdu['body'], tlvs: Map<number, Buffer>, attempt = 1): void {
    const retry = () => {
      if (attempt >= 70) return;
      this.#later(() => this.#deliver(body, tlvs, attempt + 1), Math.min(200 * attempt, 2000));
    };
    const receiver = [...this.#receivers][0];
    if (!receiver) return retry();
    receiver.request('deliver_sm', body, tlvs).then((resp) => {
      if (resp.status !== 0) retry();
    }, retry);
  }
}
