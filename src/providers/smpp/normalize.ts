import type { PayloadReader, ProviderReading } from '../../app/normalize.js';
import { inboundReport } from './fields.js';
import { decodePdu, HEADER_LENGTH, pdu, PduError } from './pdu/codec.js';
import { COMMAND_BY_ID } from './pdu/commands.js';
import { isReceipt, receiptReport } from './receipt.js';

/** SMPP 3.4 commands Switchboard's codec does not take, named so that a pasted one is called what it is. */
const OTHER_COMMANDS: ReadonlyMap<number, string> = new Map([
  [0x03, 'query_sm'],
  [0x07, 'replace_sm'],
  [0x08, 'cancel_sm'],
  [0x0b, 'outbind'],
  [0x21, 'submit_multi'],
  [0x102, 'alert_notification'],
  [0x103, 'data_sm'],
]);

function commandName(id: number): string {
  const response = (id & 0x80000000) !== 0;
  const known = COMMAND_BY_ID.get(id >>> 0) ?? OTHER_COMMANDS.get(id & 0x7fffffff);
  if (known === undefined) return `command_id 0x${(id >>> 0).toString(16).padStart(8, '0')}`;
  return response && !known.endsWith('_resp') && known !== 'generic_nack' ? `${known}_resp` : known;
}

/** PDUs pasted in hex, as a capture or a log shows them: any spacing or colons, an optional 0x. */
function hexPdus(raw: string): Buffer | undefined {
  const text = raw.trim().replace(/^0x/i, '');
  if (!/^[0-9a-f][0-9a-f\s:]*$/i.test(text)) return undefined;
  const hex = text.replace(/[\s:]/g, '');
  return hex.length >= HEADER_LENGTH * 2 && hex.length % 2 === 0 ? Buffer.from(hex, 'hex') : undefined;
}

const refused = (status: number): ProviderReading => ({ kind: 'submit', result: { kind: 'refused', code: { provider: 'smpp', context: 'command-status', code: `0x${status.toString(16).padStart(8, '0')}` } } });

/**
 * What one PDU says of a message: a deliver_sm's receipt or the subscriber's message; a
 * submit_sm_resp's (or data_sm_resp's) message id, or its command_status refusing the submit; any
 * other response's or a generic_nack's command_status. A request that carries no outcome (a
 * submit_sm, an enquire_link) is said to be one.
 */
function readOne(bytes: Buffer): ProviderReading[] {
  const id = bytes.readUInt32BE(4);
  const status = bytes.readUInt32BE(8);
  const name = commandName(id);
  const response = (id & 0x80000000) !== 0;
  if (response && status !== 0) return [refused(status)];
  if (name === 'submit_sm_resp' || name === 'data_sm_resp') {
    const end = bytes.indexOf(0, HEADER_LENGTH);
    const messageId = bytes.toString('latin1', HEADER_LENGTH, end === -1 ? bytes.length : end);
    return [{ kind: 'submit', result: { kind: 'accepted', providerMessageIds: messageId === '' ? [] : [messageId] } }];
  }
  if (name !== 'deliver_sm') {
    if (response) throw new Error(`the PDU is ${name} with command_status 0 (ESME_ROK): it acknowledges, and says nothing of a message`);
    throw new Error(`the PDU is ${name}, a request that carries no outcome; a deliver_sm, a submit_sm_resp or another response (generic_nack included) does`);
  }
  const deliver = decodePdu(bytes);
  if (!isReceipt(deliver)) return [{ kind: 'inbound', message: inboundReport(deliver) }];
  const report = receiptReport(deliver);
  if (!report) throw new Error('the deliver_sm is marked a receipt but names no message id and status (id:/stat: text, or receipted_message_id/message_state)');
  return [{ kind: 'receipt', report }];
}

/** Every PDU of a hex capture, in order; a length that does not fit the bytes is named. */
function readPdus(bytes: Buffer): ProviderReading[] {
  const out: ProviderReading[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (bytes.length - at < HEADER_LENGTH) throw new Error(`${bytes.length - at} octet(s) after the last PDU are too few for a header`);
    const length = bytes.readUInt32BE(at);
    if (length < HEADER_LENGTH || at + length > bytes.length) throw new Error(`the PDU at octet ${at} says it is ${length} octets long; ${bytes.length - at} are there`);
    try {
      out.push(...readOne(bytes.subarray(at, at + length)));
    } catch (error) {
      throw new Error(error instanceof PduError ? `not a readable SMPP PDU: ${error.message}` : (error as Error).message);
    }
    at += length;
  }
  return out;
}

/** Reads PDUs in hex whatever kind was asked; anything else with `text`. */
const orPdus =
  (text: PayloadReader): PayloadReader =>
  (raw, contentType) => {
    const bytes = hexPdus(raw);
    return bytes ? readPdus(bytes) : text(raw, contentType);
  };

/** A receipt's short_message text (Appendix B). */
const receiptText: PayloadReader = (raw) => {
  const deliver = pdu('deliver_sm', 0, { esm_class: 0x04, data_coding: 3, short_message: Buffer.from(raw.trim(), 'latin1') });
  const report = receiptReport(deliver);
  if (!report) throw new Error('no receipt id and status (id:/stat: text, or receipted_message_id/message_state) in the payload');
  return [{ kind: 'receipt', report }];
};

/** A command_status value: hex (0x58), decimal (88) or its name (ESME_RTHROTTLED). */
const status: PayloadReader = (raw) => {
  const code = raw.trim();
  if (!/^(0x[0-9a-f]{1,8}|\d{1,10}|ESME_[A-Z_]+)$/i.test(code)) throw new Error(`not a command_status value: ${JSON.stringify(code)}`);
  if (/^(0x0*|0+)$/i.test(code) || code.toUpperCase() === 'ESME_ROK') return [{ kind: 'submit', result: { kind: 'accepted', providerMessageIds: [] } }];
  return [{ kind: 'submit', result: { kind: 'refused', code: { provider: 'smpp', context: 'command-status', code } } }];
};

/** Every kind also takes whole PDUs in hex (one or several, as a capture shows them), read by their command. */
export const smppReaders: Readonly<Record<string, PayloadReader>> = {
  'smpp-receipt': orPdus(receiptText),
  receipt: orPdus(receiptText),
  'smpp-status': orPdus(status),
  pdu: orPdus(() => {
    throw new Error('not an SMPP PDU in hex (at least the 16 octets of a header)');
  }),
};
