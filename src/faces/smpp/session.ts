import type { Logger } from 'pino';
import type { Clock } from '../../app/clock.js';
import type { Coordination } from '../../app/coordination.js';
import type { FaceCredentials } from '../../app/credentials.js';
import type { MessageService } from '../../app/messages.js';
import type { Store } from '../../app/store.js';
import { toSwitchboardError } from '../../api/errors.js';
import { isFinal } from '../../core/lifecycle.js';
import { SwitchboardError } from '../../core/errors.js';
import type { Pdu } from '../../providers/smpp/pdu/codec.js';
import { STATUS } from '../../providers/smpp/pdu/commands.js';
import type { SmppSession } from '../../providers/smpp/session.js';
import { authorizeBind } from './binds.js';
import { smppSettings } from './credential.js';
import type { Receiver, SmppOutbox } from './outbox.js';
import { apiMessageId, mapError, MESSAGE_STATES, smppMessageId } from './receipt.js';
import { commandStatus } from './statuses.js';
import type { Sender, SmppSubmits } from './submits.js';
import { smppTime } from './times.js';

/** What every session of the server shares. */
export interface SessionContext {
  readonly credentials: FaceCredentials;
  readonly store: Store;
  readonly messages: MessageService;
  readonly coordination: Coordination;
  readonly clock: Clock;
  readonly log: Logger;
  readonly submits: SmppSubmits;
  readonly outbox: SmppOutbox;
  /** How long a bind's hold on its credential's bind limit lasts unless renewed: a dead node's binds free after it. */
  readonly leaseMs: number;
  /** Requests a session may have read and not yet answered: a submit past it is answered ESME_RTHROTTLED. */
  readonly window: number;
}

type BindMode = 'transmitter' | 'receiver' | 'transceiver';

const BIND_MODES: Readonly<Record<string, BindMode>> = {
  bind_transmitter: 'transmitter',
  bind_receiver: 'receiver',
  bind_transceiver: 'transceiver',
};

const SYSTEM_ID = 'Switchboard';

/** What a transmitter or transceiver submits with. */
const SUBMITS: ReadonlySet<string> = new Set(['submit_sm', 'data_sm', 'submit_multi']);

/**
 * One customer's SMPP connection: bind (with an SMPP credential, within its bind limit across
 * the nodes), then submit_sm, data_sm, submit_multi, query_sm, cancel_sm, enquire_link and
 * unbind. A receiver or transceiver takes the account's deliver_sm from the outbox. Any other
 * request is answered ESME_RINVCMDID (a command the codec does not know, generic_nack), and the
 * session stays up.
 */
export class CustomerSession implements Receiver {
  outstanding = 0;
  #bound: (Sender & { readonly mode: BindMode; readonly slots: string }) | undefined;
  #binding = false;
  #renewal: NodeJS.Timeout | undefined;

  constructor(
    readonly smpp: SmppSession,
    private readonly context: SessionContext,
    /** This session's name among the holders of its credential's binds: the node and a serial. */
    private readonly holder: string,
    private readonly address: string,
  ) {
    smpp.on('request', (p) => void this.#handle(p).catch((err: unknown) => this.context.log.error({ err, command: p.command }, 'SMPP request failed')));
    smpp.on('error', (err) => this.context.log.debug({ err, address }, 'SMPP PDU not read'));
    smpp.on('close', () => void this.#closed());
  }

  async #handle(p: Pdu): Promise<void> {
    const mode = BIND_MODES[p.command];
    if (mode) return this.#bind(p, mode);
    switch (p.command) {
      case 'enquire_link':
        return this.smpp.respond(p);
      case 'unbind':
        this.smpp.respond(p);
        return this.smpp.end();
    }
    const bound = this.#bound;
    if (!bound) return this.smpp.respond(p, STATUS.ESME_RINVBNDSTS);
    if (SUBMITS.has(p.command)) {
      if (bound.mode === 'receiver') return this.smpp.respond(p, STATUS.ESME_RINVBNDSTS);
      // Past the window, a submit is refused rather than left unread: reading goes on, so the
      // session's enquire_link and deliver_sm_resp are still taken. It is ESME_RTHROTTLED, SMPP
      // 3.4's status for an ESME past its allowed limits (ESME_RMSGQFUL is the SMSC's own queue
      // full), the one Jasmin's server gives a user past its throughput, and on which Kannel's
      // client pauses and sends again.
      if (this.smpp.unanswered > this.context.window) return this.smpp.respond(p, STATUS.ESME_RTHROTTLED);
      return p.command === 'submit_multi' ? this.context.submits.multi(bound, this.smpp, p) : this.context.submits.submit(bound, this.smpp, p);
    }
    switch (p.command) {
      case 'query_sm':
        return this.#answer(p, () => this.#query(bound.caller.payer.accountId, String(p.body.message_id ?? '')));
      case 'cancel_sm':
        return this.#answer(p, async () => {
          await this.context.messages.cancel(bound.caller.payer.accountId, apiMessageId(String(p.body.message_id ?? '')));
          return {};
        });
      default:
        return this.smpp.respond(p, STATUS.ESME_RINVCMDID);
    }
  }

  async #bind(p: Pdu, mode: BindMode): Promise<void> {
    const systemId = String(p.body.system_id ?? '');
    if (this.#bound || this.#binding) return this.#refuseBind(p, STATUS.ESME_RALYBND, 'the session is bound already', systemId);
    this.#binding = true;
    try {
      await this.#authorize(p, mode, systemId);
    } catch (err) {
      this.context.log.error({ err, system_id: systemId }, 'SMPP bind failed');
      if (!this.#bound) this.smpp.respond(p, STATUS.ESME_RSYSERR);
    } finally {
      this.#binding = false;
    }
  }

  async #authorize(p: Pdu, mode: BindMode, systemId: string): Promise<void> {
    const caller = await authorizeBind(this.context.credentials, systemId, String(p.body.password ?? ''), this.address);
    if ('status' in caller) return this.#refuseBind(p, caller.status, caller.why, systemId);
    const settings = smppSettings(caller.credential.settings);
    const slots = `smpp-binds:${caller.credential.id}`;
    if (!(await this.context.coordination.holdSlots(slots, this.holder, 1, settings.bindLimit, this.context.leaseMs))) {
      return this.#refuseBind(p, STATUS.ESME_RBINDFAIL, `the credential's ${settings.bindLimit} binds are all in use`, systemId);
    }
    if (this.smpp.closed) return void (await this.context.coordination.releaseSlots(slots, this.holder));
    this.#bound = { caller, settings, mode, slots };
    this.#renewal = setInterval(() => void this.#renew(), Math.max(1, Math.floor(this.context.leaseMs / 3)));
    this.smpp.respond(p, 0, { system_id: SYSTEM_ID });
    this.context.log.info({ system_id: systemId, account: caller.payer.accountId, mode, address: this.address }, 'SMPP bind');
    if (mode !== 'transmitter') this.context.outbox.add(caller.payer.accountId, this);
  }

  #refuseBind(p: Pdu, status: number, why: string, systemId: string): void {
    this.context.log.warn({ system_id: systemId, address: this.address, command_status: `0x${status.toString(16).padStart(8, '0')}`, why }, 'SMPP bind refused');
    this.smpp.respond(p, status);
  }

  /**
   * Keeps the bind's hold, and looks the credential and account up again: a credential revoked,
   * or an account disabled or no longer allowed SMPP, ends the session (unbind) within a third
   * of the lease.
   */
  async #renew(): Promise<void> {
    const bound = this.#bound;
    if (!bound) return;
    try {
      await this.context.coordination.holdSlots(bound.slots, this.holder, 1, bound.settings.bindLimit, this.context.leaseMs);
      const still = await authorizeBind(this.context.credentials, bound.caller.credential.key, bound.caller.credential.secret, this.address);
      if ('status' in still) {
        this.context.log.warn({ system_id: bound.caller.credential.key, why: still.why }, 'SMPP session ended: its bind is no longer allowed');
        await this.smpp.request('unbind').catch(() => undefined);
        this.smpp.destroy();
      }
    } catch (err) {
      this.context.log.warn({ err }, 'renewing an SMPP bind failed');
    }
  }

  async #closed(): Promise<void> {
    clearInterval(this.#renewal);
    const bound = this.#bound;
    this.#bound = undefined;
    if (!bound) return;
    this.context.outbox.remove(bound.caller.payer.accountId, this);
    this.context.log.info({ system_id: bound.caller.credential.key, account: bound.caller.payer.accountId }, 'SMPP session closed');
    await this.context.coordination.releaseSlots(bound.slots, this.holder).catch(() => undefined);
  }

  async #query(accountId: string, id: string): Promise<Record<string, string | number>> {
    const message = await this.context.store.getMessage(accountId, apiMessageId(id));
    if (!message) throw new SwitchboardError('message_not_found', `No message ${id}.`, { param: 'message_id' });
    return {
      message_id: smppMessageId(message.id),
      final_date: isFinal(message.status) ? smppTime(message.updatedAt) : '',
      message_state: MESSAGE_STATES[message.status].state,
      error_code: mapError(message) ?? 0,
    };
  }

  async #answer(p: Pdu, work: () => Promise<Record<string, string | number>>): Promise<void> {
    try {
      this.smpp.respond(p, 0, await work());
    } catch (raw) {
      const error = toSwitchboardError(raw as Error);
      this.smpp.respond(p, commandStatus(error.code, error.param));
    }
  }
}
