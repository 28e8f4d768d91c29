import { connect } from 'node:net';
import type { Clock } from '../../app/clock.js';
import type { Connector, ConnectorCapabilities, ConnectorContext, OutboundMessage, SubmitResult } from '../../app/connector.js';
import type { ReportedCode } from '../../core/catalogue/interpret.js';
import { classifySender } from '../../core/validation/sender.js';
import { isReservedNumber } from '../sandbox/numbers.js';
import type { Pdu } from './pdu/codec.js';
import { describe, inboundReport, relativeValidity, textOf } from './fields.js';
import { STATUS } from './pdu/commands.js';
import { submitParts, type LongMessageMode } from './parts.js';
import { idKey, idVariants, isReceipt, receiptReport } from './receipt.js';
import { ResponseTimeout, SessionClosed, SmppSession } from './session.js';

export interface SmppSettings {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly systemId: string;
  readonly password: string;
  readonly systemType: string;
  /** One transceiver bind, or a transmitter and a receiver. */
  readonly bindMode: 'transceiver' | 'transmitter_receiver';
  /** Binds allowed for the account across every node; a node over the limit stands by. */
  readonly maxBinds: number;
  readonly window: number;
  readonly tps: number;
  /** Source TON/NPI; when absent they follow the sender (alphanumeric 5/0, short code 3/0, number 1/1). */
  readonly sourceTon: number | undefined;
  readonly sourceNpi: number | undefined;
  readonly destTon: number;
  readonly destNpi: number;
  /** data_coding for GSM 7-bit text: 0 (SMSC default alphabet) unless the carrier wants 1. */
  readonly gsmDataCoding: number;
  readonly longMessages: LongMessageMode;
  readonly enquireLinkMs: number;
  readonly responseTimeoutMs: number;
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /**
   * Accept the sandbox's reserved test range, as the SMSC simulator answers it. Never on a live
   * carrier: there those numbers stay invalid.
   */
  readonly testNumbers: boolean;
}

/** The shortest hold on a carrier's binds (see #holdMs). */
const HOLD_FLOOR_MS = 5_000;

const code = (status: number): ReportedCode => ({ provider: 'smpp', context: 'command-status', code: `0x${status.toString(16).padStart(8, '0')}` });
const sessionCode = (c: string): ReportedCode => ({ provider: 'smpp', context: 'session', code: c });

function sourceAddressing(from: string, s: SmppSettings): { ton: number; npi: number; addr: string } {
  const kind = classifySender(from);
  const [ton, npi] = kind === 'alphanumeric' ? [5, 0] : kind === 'short_code' ? [3, 0] : [1, 1];
  return { ton: s.sourceTon ?? ton, npi: s.sourceNpi ?? npi, addr: kind === 'number' ? from.slice(1) : from };
}

/**
 * The number an MO message went to, as sends write it: an international one (TON 1) in E.164, so
 * that a STOP to a long number opts out of what that number sends. Anything else (a short code)
 * stays as the carrier wrote it. The subscriber's own number is always international.
 */
/**
 * An SMPP 3.4 client connection (ESME) to a carrier's SMSC: binds, keeps the link alive with
 * enquire_link, reconnects with backoff and jitter, submits in GSM 7-bit or UCS-2 (long messages
 * with a UDH or message_payload), slows down when throttled, and reads delivery receipts.
 */
export class SmppConnector implements Connector {
  readonly provider = 'smpp';
  readonly name: string;
  readonly tps: number;
  readonly window: number;
  readonly capabilities: ConnectorCapabilities;
  readonly webhooks = null;
  readonly lookups = null;
  #context: ConnectorContext | undefined;
  #transmitter: SmppSession | undefined;
  #receiver: SmppSession | undefined;
  #running = false;
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #keepAlive: NodeJS.Timeout | undefined;
  /** Until when this node's last renewed hold on its binds lasts (real time, as the coordination's TTL). */
  #heldUntil = 0;
  /** Set while renewals get no answer: drops the binds when the last hold ends. */
  #holdEnds: NodeJS.Timeout | undefined;
  #pausedUntil = 0;
  #throttleMs = 0;
  #reference = 0;
  /** Long messages refused partway: the parts the SMSC took, so the next attempt resumes after them. */
  readonly #partial = new Map<string, { reference: number; ids: string[]; expiresAt: number }>();

  constructor(
    private readonly settings: SmppSettings,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {
    this.name = settings.name;
    this.tps = settings.tps;
    this.window = settings.window;
    this.capabilities = { receipts: true, unicode: true, maxParts: 255, idKey, idVariants, ...(settings.testNumbers && { reservedNumbers: isReservedNumber }) };
  }

  async start(context: ConnectorContext): Promise<void> {
    this.#context = context;
    this.#running = true;
    void this.#connect();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#reconnectTimer);
    clearInterval(this.#keepAlive);
    this.#keepHold();
    // Let go of the sessions first: one closing must not take the other down before its unbind.
    const sessions = [...new Set([this.#transmitter, this.#receiver])].filter((s): s is SmppSession => s !== undefined && !s.closed);
    this.#transmitter = this.#receiver = undefined;
    await Promise.all(
      sessions.map(async (session) => {
        await session.request('unbind').catch(() => undefined);
        session.destroy();
      }),
    );
    if (Number.isFinite(this.settings.maxBinds)) await this.#context?.releaseSessions().catch(() => undefined);
  }

  /** True while a session that can submit is bound. */
  get ready(): boolean {
    return this.#transmitter !== undefined && !this.#transmitter.closed;
  }

  async send(message: OutboundMessage): Promise<SubmitResult> {
    const session = this.#transmitter;
    if (!session || session.closed) return { kind: 'refused', code: sessionCode('NOT_BOUND'), retryAfterMs: this.settings.reconnectMinMs };
    const wait = this.#pausedUntil - this.clock.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const s = this.settings;
    const source = sourceAddressing(message.from, s);
    const resumed = this.#resume(message.id);
    const reference = resumed?.reference ?? (this.#reference = (this.#reference + 1) & 0xff);
    const parts = submitParts(message, s.longMessages, reference, s.gsmDataCoding);
    const ids = resumed?.ids ?? [];
    const raw: unknown[] = [];
    for (const part of parts.slice(ids.length)) {
      let resp: Pdu;
      try {
        resp = await session.request(
          'submit_sm',
          {
            service_type: '',
            source_addr_ton: source.ton,
            source_addr_npi: source.npi,
            source_addr: source.addr,
            dest_addr_ton: s.destTon,
            dest_addr_npi: s.destNpi,
            destination_addr: message.to.slice(1),
            esm_class: part.esm_class,
            registered_delivery: 1,
            data_coding: part.data_coding,
            short_message: part.short_message,
            validity_period: relativeValidity(message.expiresAt - this.clock.now()),
          },
          part.tlvs,
        );
      } catch (error) {
        if (error instanceof ResponseTimeout || error instanceof SessionClosed) return { kind: 'unknown', reason: error.message, raw };
        throw error;
      }
      raw.push({ command_status: resp.status, message_id: resp.body.message_id ?? null, sequence: resp.sequence });
      if (resp.status !== STATUS.ESME_ROK) {
        const throttled = resp.status === STATUS.ESME_RTHROTTLED || resp.status === STATUS.ESME_RMSGQFUL;
        // Back off, twice as long each time the SMSC throttles again after a pause; the other
        // submits of the same burst, answered alike, join the pause already taken.
        if (throttled && this.clock.now() >= this.#pausedUntil) {
          this.#throttleMs = Math.min(30_000, Math.max(500, this.#throttleMs * 2));
          this.#pausedUntil = this.clock.now() + this.#throttleMs;
        }
        if (ids.length === 0) return { kind: 'refused', code: code(resp.status), raw, ...(throttled && { retryAfterMs: this.#throttleMs }) };
        // The parts before it reached the carrier: a next attempt sends only the rest, with the
        // same reference, so the handset still joins them.
        this.#partial.set(message.id, { reference, ids, expiresAt: message.expiresAt });
        return { kind: 'refused', code: code(resp.status), partIds: [...ids], raw, ...(throttled && { retryAfterMs: this.#throttleMs }) };
      }
      ids.push(String(resp.body.message_id ?? ''));
    }
    this.#throttleMs = 0;
    return { kind: 'accepted', providerMessageIds: ids, raw };
  }

  /** The parts of this message an earlier attempt got through, if any (forgetting those past their validity). */
  #resume(messageId: string): { reference: number; ids: string[] } | undefined {
    const now = this.clock.now();
    for (const [id, p] of this.#partial) if (p.expiresAt <= now) this.#partial.delete(id);
    const resumed = this.#partial.get(messageId);
    this.#partial.delete(messageId);
    return resumed;
  }

  /** Binds this node needs: one transceiver, or a transmitter and a receiver. */
  get #binds(): number {
    return this.settings.bindMode === 'transceiver' ? 1 : 2;
  }

  /**
   * How long this node's hold on its binds lasts unless renewed (at every enquire_link): three
   * enquire_links, and never under HOLD_FLOOR_MS, so that a busy node's pause (a collection, a
   * stalled event loop) does not hand its binds to another while it still holds them.
   */
  get #holdMs(): number {
    return Math.max(this.settings.enquireLinkMs * 3, HOLD_FLOOR_MS);
  }

  /**
   * Holds (or renews) this node's share of the account's binds; always true without a limit.
   * Rejects where the coordination gave no answer.
   */
  async #holdBinds(): Promise<boolean> {
    if (!Number.isFinite(this.settings.maxBinds) || !this.#context) return true;
    const asked = Date.now();
    const held = await this.#context.holdSessions(this.#binds, this.settings.maxBinds, this.#holdMs);
    if (held) this.#heldUntil = asked + this.#holdMs;
    return held;
  }

  async #connect(): Promise<void> {
    if (!this.#running) return;
    if (!(await this.#holdBinds().catch(() => false))) {
      // Other nodes hold every bind the carrier allows: stand by, and look again.
      this.#context?.status({ state: 'standby' });
      this.#reconnectTimer = setTimeout(() => {
        this.#reconnectTimer = undefined;
        void this.#connect();
      }, this.settings.enquireLinkMs);
      return;
    }
    try {
      if (this.settings.bindMode === 'transceiver') {
        const session = await this.#bind('bind_transceiver');
        this.#transmitter = this.#receiver = session;
      } else {
        this.#transmitter = await this.#bind('bind_transmitter');
        this.#receiver = await this.#bind('bind_receiver');
      }
      this.#attempt = 0;
      this.#context?.status({ state: 'up' });
      this.#keepAlive = setInterval(() => void this.#keepBinds(), this.settings.enquireLinkMs);
    } catch (error) {
      this.#down(error);
    }
  }

  async #bind(command: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver'): Promise<SmppSession> {
    const s = this.settings;
    const socket = connect({ host: s.host, port: s.port });
    const session = new SmppSession(socket, { responseTimeoutMs: s.responseTimeoutMs });
    session.on('request', (p) => this.#onRequest(session, p));
    session.on('error', () => undefined); // a malformed PDU is answered and skipped by the session
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      session.once('close', (e) => reject(e ?? new SessionClosed()));
    });
    const resp = await session.request(command, {
      system_id: s.systemId,
      password: s.password,
      system_type: s.systemType,
      interface_version: 0x34,
      addr_ton: 0,
      addr_npi: 0,
      address_range: '',
    });
    if (resp.status !== STATUS.ESME_ROK) {
      session.destroy();
      throw new BindRefused(resp.status);
    }
    session.once('close', () => this.#down(new SessionClosed()));
    return session;
  }

  #down(error: unknown): void {
    clearInterval(this.#keepAlive);
    this.#keepHold();
    for (const session of [this.#transmitter, this.#receiver]) session?.destroy();
    this.#transmitter = this.#receiver = undefined;
    // Free this node's binds at once, so another node can take the connection over.
    if (Number.isFinite(this.settings.maxBinds)) void this.#context?.releaseSessions().catch(() => undefined);
    if (!this.#running || this.#reconnectTimer) return;
    const reason = error instanceof BindRefused ? code(error.status) : sessionCode(error instanceof Error && 'code' in error ? String(error.code) : 'CONNECTION_LOST');
    this.#context?.status({ state: 'down', reason });
    // Exponential backoff with full jitter, so that many nodes do not reconnect in step.
    const ceiling = Math.min(this.settings.reconnectMaxMs, this.settings.reconnectMinMs * 2 ** this.#attempt++);
    const delay = Math.max(this.settings.reconnectMinMs / 2, Math.round(ceiling * this.random()));
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#connect();
    }, delay);
  }

  /**
   * At each enquire_link: renew this node's hold on its binds; one lost (others took it) is
   * unbound. A renewal that got no answer (the coordination's store out of reach for a moment)
   * keeps the binds while the last hold lasts, as no other node can take them before it ends:
   * dropping them at once would leave every submit awaiting its answer with an unknown outcome.
   */
  async #keepBinds(): Promise<void> {
    this.#enquire();
    const session = this.#transmitter;
    let held: boolean;
    try {
      held = await this.#holdBinds();
    } catch {
      if (session === this.#transmitter) this.#holdEnds ??= setTimeout(() => this.#down(new SessionClosed()), this.#heldUntil - Date.now());
      return;
    }
    // Sessions ended meanwhile are not this renewal's to drop.
    if (session !== this.#transmitter) return;
    this.#keepHold();
    if (!held) this.#down(new SessionClosed());
  }

  /** Calls off the drop at the hold's end: a renewal got through, or the binds are let go. */
  #keepHold(): void {
    clearTimeout(this.#holdEnds);
    this.#holdEnds = undefined;
  }

  #enquire(): void {
    const session = this.#transmitter;
    if (!session || session.closed) return;
    session.request('enquire_link').catch(() => session.destroy());
    if (this.#receiver && this.#receiver !== session && !this.#receiver.closed) {
      const rx = this.#receiver;
      rx.request('enquire_link').catch(() => rx.destroy());
    }
  }

  #onRequest(session: SmppSession, p: Pdu): void {
    switch (p.command) {
      case 'enquire_link':
        session.respond(p);
        return;
      case 'unbind':
        session.respond(p);
        session.destroy();
        return;
      case 'deliver_sm':
        void this.#deliver(session, p);
        return;
      default:
        session.respond(p, STATUS.ESME_RINVCMDID);
    }
  }

  /**
   * Acknowledges a deliver_sm only once what it carries is committed: a node that dies before
   * leaves it unacknowledged, and the SMSC delivers it again (to this bind or another).
   */
  async #deliver(session: SmppSession, p: Pdu): Promise<void> {
    try {
      if (isReceipt(p)) {
        const report = receiptReport(p);
        if (report) await this.#context?.receipt(report);
      } else {
        await this.#context?.inbound(inboundReport(p));
      }
      session.respond(p, 0, { message_id: '' });
    } catch {
      session.respond(p, STATUS.ESME_RX_T_APPN, { message_id: '' });
    }
  }
}

class BindRefused extends Error {
  constructor(readonly status: number) {
    super(`bind refused with command_status 0x${status.toString(16)}`);
  }
}
