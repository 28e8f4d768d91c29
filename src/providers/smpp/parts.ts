import type { OutboundMessage } from '../../app/connector.js';
import { encodeGsm7 } from '../../core/encoding/gsm7.js';
import { chooseEncoding } from '../../core/encoding/segments.js';
import { TLV } from './pdu/commands.js';

/** How a long message goes: concatenated parts with a UDH (8-bit reference), or one message_payload. */
export type LongMessageMode = 'udh' | 'payload';

/** The fields of one submit_sm that differ between parts. */
export interface SubmitPart {
  readonly data_coding: number;
  readonly esm_class: number;
  readonly short_message: Buffer;
  readonly tlvs: ReadonlyMap<number, Buffer>;
}

const UDHI = 0x40;

/** A text's octets as SMPP carries them: GSM 7-bit unpacked, or UCS-2 big-endian. */
export function textBytes(text: string, encoding: OutboundMessage['encoding']): Buffer {
  return encoding === 'GSM-7' ? Buffer.from(encodeGsm7(text)) : Buffer.from(text, 'utf16le').swap16();
}

/**
 * The submit_sm bodies for a message. GSM 7-bit goes as data_coding `gsmDataCoding` (0, the
 * SMSC default alphabet, unless a carrier says otherwise) with one octet per septet; UCS-2 as
 * data_coding 8, big-endian. The parts are the core encoder's, so no part splits a character.
 */
export function submitParts(message: OutboundMessage, mode: LongMessageMode, reference: number, gsmDataCoding: number): SubmitPart[] {
  const data_coding = message.encoding === 'GSM-7' ? gsmDataCoding : 8;
  if (message.parts.length === 1) {
    return [{ data_coding, esm_class: 0, short_message: textBytes(message.text, message.encoding), tlvs: new Map() }];
  }
  if (mode === 'payload') {
    return [{ data_coding, esm_class: 0, short_message: Buffer.alloc(0), tlvs: new Map([[TLV.message_payload, textBytes(message.text, message.encoding)]]) }];
  }
  const total = message.parts.length;
  return message.parts.map((text, i) => ({
    data_coding,
    esm_class: UDHI,
    short_message: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, reference & 0xff, total, i + 1]), textBytes(text, message.encoding)]),
    tlvs: new Map(),
  }));
}

/**
 * A whole text in one PDU (a message sent in, a receipt): GSM 7-bit as data_coding 0 or UCS-2 as
 * 8, in short_message, or in message_payload past the 254 octets short_message holds.
 */
export function wholeText(text: string): { data_coding: number; short_message: Buffer; tlvs: Map<number, Buffer> } {
  const encoding = chooseEncoding(text);
  const bytes = textBytes(text, encoding);
  const data_coding = encoding === 'GSM-7' ? 0 : 8;
  return bytes.length > 254
    ? { data_coding, short_message: Buffer.alloc(0), tlvs: new Map([[TLV.message_payload, bytes]]) }
    : { data_coding, short_message: bytes, tlvs: new Map() };
}
