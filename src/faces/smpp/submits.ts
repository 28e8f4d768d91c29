import type { Logger } from 'pino';
import type { AcceptService, SendRequest } from '../../app/accept.js';
import type { Clock } from '../../app/clock.js';
import type { Coordination } from '../../app/coordination.js';
import type { FaceCaller } from '../../app/credentials.js';
import { toSwitchboardError } from '../../api/errors.js';
import { encodeText } from '../../core/encoding/segments.js';
import { SwitchboardError } from '../../core/errors.js';
import { MIN_VALIDITY_SECONDS } from '../../core/message.js';
import { decodeText } from '../../providers/smpp/fields.js';
import type { Pdu } from '../../providers/smpp/pdu/codec.js';
import type { SmppSession } from '../../providers/smpp/session.js';
import type { SmppSettings } from './credential.js';
import { smppMessageId } from './receipt.js';
import { Reassembly } from './reassembly.js';
import { commandStatus, statusValue } from './statuses.js';
import { readSubmit, type Submitted } from './submit.js';
import { readSmppTime } from './times.js';

/** Who a bound session sends for. */
export interface Sender {
  readonly caller: FaceCaller;
  readonly settings: SmppSettings;
}

interface HeldPart {
  readonly smpp: SmppSession;
  readonly pdu: Pdu;
  readonly submitted: Submitted;
}

/** The face kept on a message sent over SMPP: `smpp:<receipt mode>:<credential>`, or `smpp` when it asked for no receipt. */
export function smppFace(receipt: number, credentialId: string): string {
  return receipt === 0 ? 'smpp' : `smpp:${receipt}:${credentialId}`;
}

/** registered_delivery's receipt mode a message was sent with (0 when it asked for none). */
export function receiptMode(face: string | undefined): number {
  return Number(/^smpp:(\d):/.exec(face ?? '')?.[1] ?? 0);
}

/**
 * submit_sm, through the same accept as the API (validation, opt-outs, pricing and credit,
 * routing). A long message's parts are held until the last comes, then accepted as one message
 * and every part answered with its id; the account's throughput is taken in segments.
 */
export class SmppSubmits {
  readonly #reassembly: Reassembly<HeldPart>;

  constructor(
    private readonly accept: AcceptService,
    private readonly coordination: Coordination,
    private readonly clock: Clock,
    private readonly log: Logger,
    partTimeoutMs: number,
  ) {
    this.#reassembly = new Reassembly(partTimeoutMs, (parts, why) => {
      const error = new SwitchboardError('invalid_message', `The long message was refused: ${why}.`, { param: 'short_message' });
      for (const part of parts) this.#refuse(part.smpp, part.pdu, error);
    });
  }

  async submit(sender: Sender, smpp: SmppSession, pdu: Pdu): Promise<void> {
    let submitted: Submitted;
    try {
      submitted = readSubmit(pdu);
    } catch (error) {
      return this.#refuse(smpp, pdu, error as Error);
    }
    const held: HeldPart = { smpp, pdu, submitted };
    const parts = submitted.part ? this.#reassembly.add(`${sender.caller.payer.accountId}|${submitted.from}|${submitted.to}`, submitted.part, held) : [held];
    if (parts) await this.#acceptWhole(sender, parts);
  }

  close(): void {
    this.#reassembly.clear();
  }

  async #acceptWhole(sender: Sender, parts: readonly HeldPart[]): Promise<void> {
    try {
      const first = parts[0]!.submitted;
      const text = parts.every((p) => p.submitted.dataCoding === first.dataCoding)
        ? decodeText(Buffer.concat(parts.map((p) => p.submitted.octets)), first.dataCoding)
        : parts.map((p) => decodeText(p.submitted.octets, p.submitted.dataCoding)).join('');
      await this.#throttle(sender, text);
      const request = this.#request(first, text);
      const face = smppFace(first.receipt, sender.caller.credential.id);
      const result = await this.accept.accept(sender.caller.payer, request, undefined, { protocol: 'smpp', face, render: (messages) => messages[0]!.id });
      const id = smppMessageId(result.body);
      for (const part of parts) part.smpp.respond(part.pdu, 0, { message_id: id });
    } catch (error) {
      for (const part of parts) this.#refuse(part.smpp, part.pdu, error as Error);
    }
  }

  /** The account's SMPP throughput, in segments, shared by its sessions on every node. */
  async #throttle(sender: Sender, text: string): Promise<void> {
    const { throughput, burst } = sender.settings;
    if (throughput <= 0) return;
    const segments = encodeText(text).parts.length;
    const wait = await this.coordination.rate(`smpp-rate:${sender.caller.payer.accountId}`, throughput, Math.max(burst, segments), segments);
    if (wait > 0) throw new SwitchboardError('rate_limit_exceeded', `The account's SMPP throughput (${throughput} segments per second) is used up; try again in ${wait} ms.`);
  }

  #request(s: Submitted, text: string): SendRequest {
    const now = this.clock.now();
    const sendAt = readSmppTime(s.scheduleDeliveryTime, now, 'send_at');
    const until = readSmppTime(s.validityPeriod, now, 'validity');
    const start = sendAt ?? now;
    return {
      from: s.from,
      to: s.to,
      text,
      ...(sendAt !== undefined && { send_at: new Date(sendAt).toISOString() }),
      // Under a minute is a minute, as SMSCs round a short validity up.
      ...(until !== undefined && { validity: Math.max(MIN_VALIDITY_SECONDS, Math.ceil((until - start) / 1000)) }),
    };
  }

  #refuse(smpp: SmppSession, pdu: Pdu, raw: Error): void {
    const error = toSwitchboardError(raw);
    const status = commandStatus(error.code, error.param);
    if (status === statusValue('ESME_RSYSERR')) this.log.error({ err: raw }, 'SMPP submit_sm failed');
    else this.log.debug({ code: error.code, param: error.param, message: error.message }, 'SMPP submit_sm refused');
    smpp.respond(pdu, status);
  }
}
