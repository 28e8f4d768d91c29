import { SwitchboardError } from '../../core/errors.js';
import type { Pdu } from '../../providers/smpp/pdu/codec.js';
import { TLV } from '../../providers/smpp/pdu/commands.js';
import { readAddress } from './address.js';

/** data_coding values read as text: SMSC default (GSM 7-bit), IA5/ASCII, Latin-1, UCS-2. */
const TEXT_CODINGS: ReadonlySet<number> = new Set([0, 1, 3, 8]);
const UDHI = 0x40;

/** Where a submit_sm stands in a long message: its reference, the number of parts, and its own place (from 1). */
export interface PartOf {
  readonly ref: number;
  readonly total: number;
  readonly seq: number;
}

/** What one submit_sm asks for, before its text is read (a part waits for the others). */
export interface Submitted {
  readonly from: string;
  readonly to: string;
  readonly dataCoding: number;
  /** The text's octets, without any UDH. */
  readonly octets: Buffer;
  /** Set when the submit is one part of a long message (UDH, 8- or 16-bit reference, or SAR parameters). */
  readonly part?: PartOf;
  /** registered_delivery's receipt bits: 0 none, 1 a final receipt, 2 only a failure's. */
  readonly receipt: number;
  readonly scheduleDeliveryTime: string;
  readonly validityPeriod: string;
}

/** The UDH's concatenation element, 8-bit (IEI 0) or 16-bit (IEI 8) reference; the octets after the UDH. */
function readUdh(sm: Buffer): { part?: PartOf; octets: Buffer } {
  const length = sm[0];
  if (length === undefined || length + 1 > sm.length) throw new SwitchboardError('invalid_message', 'The UDH runs past short_message.', { param: 'short_message' });
  let part: PartOf | undefined;
  for (let at = 1; at + 1 < length + 1; ) {
    const iei = sm[at]!;
    const n = sm[at + 1]!;
    const data = sm.subarray(at + 2, at + 2 + n);
    if (iei === 0x00 && n === 3) part = { ref: data[0]!, total: data[1]!, seq: data[2]! };
    if (iei === 0x08 && n === 4) part = { ref: data.readUInt16BE(0), total: data[2]!, seq: data[3]! };
    at += 2 + n;
  }
  return { ...(part && { part }), octets: sm.subarray(length + 1) };
}

function sarPart(p: Pdu): PartOf | undefined {
  const ref = p.tlvs.get(TLV.sar_msg_ref_num);
  const total = p.tlvs.get(TLV.sar_total_segments);
  const seq = p.tlvs.get(TLV.sar_segment_seqnum);
  if (!ref || !total || !seq || ref.length < 2) return undefined;
  return { ref: ref.readUInt16BE(0), total: total[0]!, seq: seq[0]! };
}

/**
 * Reads a submit_sm: its addresses as numbers, its text's octets (short_message or
 * message_payload, a UDH taken off), the part it is of a long message, and what it asks for.
 */
export function readSubmit(p: Pdu): Submitted {
  const dataCoding = Number(p.body.data_coding ?? 0);
  if (!TEXT_CODINGS.has(dataCoding)) {
    throw new SwitchboardError('invalid_encoding', `data_coding ${dataCoding} is not text this server sends: use 0 (GSM 7-bit), 1 (ASCII), 3 (Latin-1) or 8 (UCS-2).`, { param: 'data_coding' });
  }
  const short = (p.body.short_message as Buffer | undefined) ?? Buffer.alloc(0);
  const payload = p.tlvs.get(TLV.message_payload);
  const raw = short.length === 0 && payload ? payload : short;
  const udh = Number(p.body.esm_class ?? 0) & UDHI ? readUdh(raw) : { octets: raw };
  const part = udh.part ?? sarPart(p);
  if (part && (part.total < 1 || part.seq < 1 || part.seq > part.total)) {
    throw new SwitchboardError('invalid_message', `Part ${part.seq} of ${part.total} cannot be.`, { param: 'short_message' });
  }
  return {
    from: readAddress(String(p.body.source_addr ?? ''), Number(p.body.source_addr_ton ?? 0)),
    to: readAddress(String(p.body.destination_addr ?? ''), Number(p.body.dest_addr_ton ?? 0)),
    dataCoding,
    octets: udh.octets,
    ...(part && part.total > 1 && { part }),
    receipt: Number(p.body.registered_delivery ?? 0) & 0x03,
    scheduleDeliveryTime: String(p.body.schedule_delivery_time ?? ''),
    validityPeriod: String(p.body.validity_period ?? ''),
  };
}
