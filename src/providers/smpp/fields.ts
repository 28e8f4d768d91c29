import type { InboundReport } from '../../app/connector.js';
import { decodeGsm7 } from '../../core/encoding/gsm7.js';
import type { Pdu } from './pdu/codec.js';
import { TLV } from './pdu/commands.js';

/** validity_period in the relative format of 7.1.1: YYMMDDhhmmss000R. */
export function relativeValidity(ms: number): string {
  let s = Math.max(60, Math.floor(ms / 1000));
  const days = Math.min(99, Math.floor(s / 86400));
  s -= days * 86400;
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return `0000${two(days)}${two(hh)}${two(mm)}${two(ss)}000R`;
}

/** The text a submit_sm or deliver_sm carries, read by its data_coding. */
export function textOf(p: Pdu): string {
  const bytes = (p.body.short_message as Buffer | undefined) ?? p.tlvs.get(TLV.message_payload) ?? Buffer.alloc(0);
  return decodeText(bytes, Number(p.body.data_coding ?? 0));
}

/**
 * Octets as text by data_coding: 0 the SMSC default alphabet (GSM 7-bit, one octet per septet),
 * 8 UCS-2 big-endian, any other as Latin-1 (1 IA5/ASCII is its lower half, 3 is Latin-1).
 */
export function decodeText(bytes: Buffer, dataCoding: number): string {
  // A peer may send an odd number of UCS-2 octets: the last one cannot be a character.
  if (dataCoding === 8) return Buffer.from(bytes.subarray(0, bytes.length & ~1)).swap16().toString('utf16le');
  return dataCoding === 0 ? decodeGsm7(bytes) : bytes.toString('latin1');
}

/** A PDU as kept on a message's events: readable fields, binary as hex. */
export function describe(p: Pdu): Record<string, unknown> {
  // Built field by field: every receipt goes through here, and entries/fromEntries cost twice as much.
  const out: Record<string, unknown> = { command: p.command, command_status: p.status, sequence_number: p.sequence };
  for (const k in p.body) {
    const v = p.body[k];
    out[k] = Buffer.isBuffer(v) ? v.toString('hex') : v;
  }
  if (p.tlvs.size > 0) {
    const tlvs: Record<string, string> = {};
    for (const [t, v] of p.tlvs) tlvs[`0x${t.toString(16).padStart(4, '0')}`] = v.toString('hex');
    out.tlvs = tlvs;
  }
  return out;
}

/** The number a subscriber's message was sent to: international (TON 1) in E.164, a short code as it is. */
function moDestination(p: Pdu): string {
  const addr = String(p.body.destination_addr);
  return p.body.dest_addr_ton === 1 && !addr.startsWith('+') ? `+${addr}` : addr;
}

/** A deliver_sm that is not a receipt: the message a subscriber sent. */
export function inboundReport(p: Pdu): InboundReport {
  return { from: `+${String(p.body.source_addr)}`, to: moDestination(p), text: textOf(p), raw: describe(p) };
}
