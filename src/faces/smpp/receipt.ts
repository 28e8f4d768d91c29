import type { MessageStatus } from '../../core/lifecycle.js';
import type { Message } from '../../core/message.js';
import type { InboundMessage } from '../../app/store.js';
import type { PduBody } from '../../providers/smpp/pdu/codec.js';
import { TLV } from '../../providers/smpp/pdu/commands.js';
import { smppNetworkCodes } from '../../providers/smpp/network-codes.js';
import { wholeText } from '../../providers/smpp/parts.js';
import { writeAddress } from './address.js';
import { sharedReceiptId } from './face.js';
import { receiptTime } from './times.js';

/** A status as SMPP tells it: message_state (5.2.28) and the receipt's stat: (Appendix B). */
export const MESSAGE_STATES: Readonly<Record<MessageStatus, { readonly state: number; readonly stat: string }>> = {
  scheduled: { state: 1, stat: 'ENROUTE' },
  queued: { state: 1, stat: 'ENROUTE' },
  sending: { state: 1, stat: 'ENROUTE' },
  sent: { state: 1, stat: 'ENROUTE' },
  delivered: { state: 2, stat: 'DELIVRD' },
  // SMPP 3.4 has no read state: read by the handset is delivered.
  read: { state: 2, stat: 'DELIVRD' },
  expired: { state: 3, stat: 'EXPIRED' },
  canceled: { state: 4, stat: 'DELETED' },
  undelivered: { state: 5, stat: 'UNDELIV' },
  failed: { state: 5, stat: 'UNDELIV' },
  rejected: { state: 8, stat: 'REJECTD' },
  unknown: { state: 7, stat: 'UNKNOWN' },
};

const PREFIX = 'msg_';

/** A message's id over SMPP: its API id without `msg_` (26 letters and digits, the same in GSM 7-bit and ASCII). */
export function smppMessageId(id: string): string {
  return id.startsWith(PREFIX) ? id.slice(PREFIX.length) : id;
}

/** The API id an SMPP message_id names (given with or without `msg_`). */
export function apiMessageId(id: string): string {
  return id.startsWith(PREFIX) ? id : `${PREFIX}${id}`;
}

/** The GSM MAP error of each canonical error, read backwards from the MAP table (first row wins). */
const MAP_ERRORS = new Map<string, number>();
for (const row of smppNetworkCodes[0].rows) if (!MAP_ERRORS.has(row.canonical)) MAP_ERRORS.set(row.canonical, Number(row.code));

/** The GSM MAP error a failed message's canonical error stands for, if the MAP table has one. */
export function mapError(message: Pick<Message, 'error'>): number | undefined {
  return message.error ? MAP_ERRORS.get(message.error.code) : undefined;
}

/** Characters a receipt's text: keeps, the same in GSM 7-bit and ASCII; others become `?`. */
const PLAIN = /[^A-Za-z0-9 .,:;!?'"()+\-*/%&#<=>\n\r]/g;

/** True when the customer asked for this receipt: any final one (1), or only a failure's (2). */
export function receiptWanted(mode: number, status: MessageStatus): boolean {
  return mode === 1 || (mode === 2 && status !== 'delivered');
}

/**
 * A message's receipt as a deliver_sm: the text of Appendix B (`id:` the SMPP message id its
 * submit was answered with, dates YYMMDDhhmm in UTC, `err:` the GSM MAP error or 000, `text:` the
 * first 20 characters) and the receipted_message_id, message_state and network_error_code (GSM)
 * parameters.
 */
export function receiptPdu(message: Message): { body: PduBody; tlvs: Map<number, Buffer> } {
  const id = sharedReceiptId(message.face) ?? smppMessageId(message.id);
  const { state, stat } = MESSAGE_STATES[message.status];
  const map = mapError(message);
  const text =
    `id:${id} sub:001 dlvrd:${message.status === 'delivered' ? '001' : '000'} submit date:${receiptTime(message.createdAt)} ` +
    `done date:${receiptTime(message.updatedAt)} stat:${stat} err:${String(map ?? 0).padStart(3, '0')} text:${message.text.slice(0, 20).replace(PLAIN, '?')}`;
  const to = writeAddress(message.to);
  const from = writeAddress(message.from);
  const tlvs = new Map<number, Buffer>([
    [TLV.receipted_message_id, Buffer.from(`${id}\0`, 'latin1')],
    [TLV.message_state, Buffer.from([state])],
  ]);
  if (map !== undefined) tlvs.set(TLV.network_error_code, Buffer.from([3, map >> 8, map & 0xff]));
  return {
    body: {
      source_addr_ton: to.ton, source_addr_npi: to.npi, source_addr: to.addr,
      dest_addr_ton: from.ton, dest_addr_npi: from.npi, destination_addr: from.addr,
      esm_class: 0x04, data_coding: 0, short_message: Buffer.from(text, 'latin1'),
    },
    tlvs,
  };
}

/** A message a subscriber sent in, as a deliver_sm: from the subscriber to the number it was sent to. */
export function inboundPdu(message: InboundMessage): { body: PduBody; tlvs: Map<number, Buffer> } {
  const from = writeAddress(message.from);
  const to = writeAddress(message.to);
  const { tlvs, ...text } = wholeText(message.text);
  return {
    body: { source_addr_ton: from.ton, source_addr_npi: from.npi, source_addr: from.addr, dest_addr_ton: to.ton, dest_addr_npi: to.npi, destination_addr: to.addr, esm_class: 0, ...text },
    tlvs,
  };
}
