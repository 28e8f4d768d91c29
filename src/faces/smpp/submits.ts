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
import type { Pdu, PduBody } from '../../providers/smpp/pdu/codec.js';
import type { SmppSession } from '../../providers/smpp/session.js';
import { readAddress } from './address.js';
import type { SmppSettings } from './credential.js';
import { smppFace } from './face.js';
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

/** submit_multi's most destinations (SMPP 3.4, 4.5.1). */
const MAX_DESTINATIONS = 254;
const SME_ADDRESS = 1;

/** How a submit_multi's destination went: accepted (with its SMPP message id), or refused as unsuccess_sme. */
type Outcome = { readonly id: string } | { readonly unsuccess: PduBody };

/**
 * submit_sm, data_sm and submit_multi, through the same accept as the API (validation,
 * opt-outs, pricing and credit, routing). A long message's parts are held until the last comes,
 * then accepted as one message and every part answered with its id; the account's throughput is
 * taken in segments.
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
    const parts = this.#whole(sender, smpp, pdu, (s) => s.to);
    if (parts) await this.#acceptWhole(sender, parts);
  }

  /**
   * submit_multi: one message per SME address, each accepted as a submit_sm would be, answered
   * with one message id (the first accepted destination's, which every destination's receipt
   * carries, as Appendix B has it) and the destinations refused, each with its command_status.
   * A distribution list is refused (ESME_RCNTSUBDL): Switchboard keeps none. A long message's
   * parts, each with the same destinations, are held as a submit_sm's and answered alike.
   */
  async multi(sender: Sender, smpp: SmppSession, pdu: Pdu): Promise<void> {
    const destinations = (pdu.body.dest_address as readonly PduBody[] | undefined) ?? [];
    if (destinations.length === 0 || destinations.length > MAX_DESTINATIONS) return smpp.respond(pdu, statusValue('ESME_RINVNUMDESTS'));
    const parts = this.#whole(sender, smpp, pdu, () => `multi:${JSON.stringify(destinations)}`);
    if (parts) await this.#acceptMulti(sender, parts, destinations);
  }

  close(): void {
    this.#reassembly.clear();
  }

  /**
   * Reads a submit; a part of a long message is held (under the account, sender and `to`) until
   * the message is whole. Resolves with every part once it is, or undefined: held, or refused.
   */
  #whole(sender: Sender, smpp: SmppSession, pdu: Pdu, to: (s: Submitted) => string): HeldPart[] | undefined {
    let submitted: Submitted;
    try {
      submitted = readSubmit(pdu);
    } catch (error) {
      this.#refuse(smpp, pdu, error as Error);
      return undefined;
    }
    const held: HeldPart = { smpp, pdu, submitted };
    return submitted.part ? this.#reassembly.add(`${sender.caller.payer.accountId}|${submitted.from}|${to(submitted)}`, submitted.part, held) : [held];
  }

  /** A whole message's text: its parts' octets read together (a character may straddle two), or each alone when their data_coding differ. */
  #text(parts: readonly HeldPart[]): string {
    const first = parts[0]!.submitted;
    return parts.every((p) => p.submitted.dataCoding === first.dataCoding)
      ? decodeText(Buffer.concat(parts.map((p) => p.submitted.octets)), first.dataCoding)
      : parts.map((p) => decodeText(p.submitted.octets, p.submitted.dataCoding)).join('');
  }

  async #acceptMulti(sender: Sender, parts: readonly HeldPart[], destinations: readonly PduBody[]): Promise<void> {
    let text: string;
    try {
      text = this.#text(parts);
    } catch (error) {
      for (const part of parts) this.#refuse(part.smpp, part.pdu, error as Error);
      return;
    }
    const submitted = parts[0]!.submitted;
    const send = async (d: PduBody, receiptId?: string): Promise<Outcome> => {
      const address = { dest_addr_ton: Number(d.dest_addr_ton ?? 0), dest_addr_npi: Number(d.dest_addr_npi ?? 0) };
      if (d.dest_flag !== SME_ADDRESS) return { unsuccess: { ...address, destination_addr: String(d.dl_name ?? ''), error_status_code: statusValue('ESME_RCNTSUBDL') } };
      const to = String(d.destination_addr ?? '');
      try {
        return { id: await this.#acceptOne(sender, { ...submitted, to: readAddress(to, address.dest_addr_ton) }, text, receiptId) };
      } catch (error) {
        return { unsuccess: { ...address, destination_addr: to, error_status_code: this.#status(error as Error) } };
      }
    };
    // One by one until a destination is accepted: its id is the one the others' receipts carry.
    const outcomes: Outcome[] = [];
    let id: string | undefined;
    while (id === undefined && outcomes.length < destinations.length) {
      const outcome = await send(destinations[outcomes.length]!);
      if ('id' in outcome) id = outcome.id;
      outcomes.push(outcome);
    }
    outcomes.push(...(await Promise.all(destinations.slice(outcomes.length).map((d) => send(d, id)))));
    const unsuccess = outcomes.flatMap((o) => ('unsuccess' in o ? [o.unsuccess] : []));
    for (const part of parts) {
      // None accepted: the first destination's error is the command's (and an error response has no body).
      if (id === undefined) part.smpp.respond(part.pdu, Number(unsuccess[0]!.error_status_code));
      else part.smpp.respond(part.pdu, 0, { message_id: id, unsuccess_sme: unsuccess });
    }
  }

  async #acceptWhole(sender: Sender, parts: readonly HeldPart[]): Promise<void> {
    try {
      const id = await this.#acceptOne(sender, parts[0]!.submitted, this.#text(parts));
      for (const part of parts) part.smpp.respond(part.pdu, 0, { message_id: id });
    } catch (error) {
      for (const part of parts) this.#refuse(part.smpp, part.pdu, error as Error);
    }
  }

  /** Accepts one message, within the account's throughput; resolves with its SMPP message id. */
  async #acceptOne(sender: Sender, submitted: Submitted, text: string, receiptId?: string): Promise<string> {
    await this.#throttle(sender, text);
    const request = this.#request(submitted, text);
    const face = smppFace(submitted.receipt, sender.caller.credential.id, receiptId);
    const result = await this.accept.accept(sender.caller.payer, request, undefined, { protocol: 'smpp', face, render: (messages) => messages[0]!.id });
    return smppMessageId(result.body);
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
    smpp.respond(pdu, this.#status(raw));
  }

  /** The command_status a refusal answers with; the gateway's own failures logged as errors. */
  #status(raw: Error): number {
    const error = toSwitchboardError(raw);
    const status = commandStatus(error.code, error.param);
    if (status === statusValue('ESME_RSYSERR')) this.log.error({ err: raw }, 'SMPP submit failed');
    else this.log.debug({ code: error.code, param: error.param, message: error.message }, 'SMPP submit refused');
    return status;
  }
}
