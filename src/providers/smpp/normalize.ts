import type { PayloadReader } from '../../app/normalize.js';
import { decodePdu, pdu, PduError } from './pdu/codec.js';
import { receiptReport } from './receipt.js';

const HEX = /^(?:[0-9a-f]{2}\s*)+$/i;

/** A receipt: its short_message text, or a whole deliver_sm PDU in hex as a capture shows it. */
const receipt: PayloadReader = (raw) => {
  const text = raw.trim();
  let deliver;
  if (HEX.test(text) && text.replace(/\s/g, '').length >= 32) {
    try {
      deliver = decodePdu(Buffer.from(text.replace(/\s/g, ''), 'hex'));
    } catch (error) {
      throw new Error(`not a readable SMPP PDU: ${error instanceof PduError ? error.message : String(error)}`);
    }
    if (deliver.command !== 'deliver_sm') throw new Error(`the PDU is a ${deliver.command}, not a deliver_sm`);
  } else {
    deliver = pdu('deliver_sm', 0, { esm_class: 0x04, data_coding: 3, short_message: Buffer.from(text, 'latin1') });
  }
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

export const smppReaders: Readonly<Record<string, PayloadReader>> = {
  'smpp-receipt': receipt,
  receipt,
  'smpp-status': status,
};
