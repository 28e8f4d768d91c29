import type { ReceiptReport } from '../../app/connector.js';
import type { ReportedCode } from '../../core/catalogue/interpret.js';
import { describe, textOf } from './fields.js';
import type { Pdu } from './pdu/codec.js';
import { TLV } from './pdu/commands.js';

/** What a delivery receipt says, from its text (Appendix B) and its optional parameters. */
export interface SmppReceipt {
  readonly id: string | undefined;
  readonly stat: string | undefined;
  readonly err: string | undefined;
  readonly submitDate: string | undefined;
  readonly doneDate: string | undefined;
  readonly text: string | undefined;
  readonly receiptedMessageId: string | undefined;
  readonly messageState: number | undefined;
  /** network_error_code: network type (1 ANSI-136, 2 IS-95, 3 GSM), then the error. */
  readonly networkError: { readonly type: number; readonly code: number } | undefined;
}

const FIELD = /\b(id|sub|dlvrd|submit date|done date|stat|err|text):/gi;

/** Reads `id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…`, in any order. */
export function parseReceiptText(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const marks = [...text.matchAll(FIELD)];
  marks.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const end = i + 1 < marks.length ? marks[i + 1]!.index! : text.length;
    fields[m[1]!.toLowerCase()] = (m[1]!.toLowerCase() === 'text' ? text.slice(start, end) : text.slice(start, end).trim());
  });
  return fields;
}

/** True when esm_class marks the deliver_sm as an SMSC delivery receipt (bits 2-5 = 0001). */
export function isReceipt(deliver: Pdu): boolean {
  return ((Number(deliver.body.esm_class ?? 0) >> 2) & 0x0f) === 0x01;
}

function cstring(buffer: Buffer | undefined): string | undefined {
  if (!buffer) return undefined;
  const end = buffer.indexOf(0);
  return buffer.toString('latin1', 0, end === -1 ? buffer.length : end);
}

export function readReceipt(deliver: Pdu): SmppReceipt {
  const fields = parseReceiptText(textOf(deliver));
  const state = deliver.tlvs.get(TLV.message_state);
  const network = deliver.tlvs.get(TLV.network_error_code);
  return {
    id: fields.id,
    stat: fields.stat?.toUpperCase(),
    err: fields.err,
    submitDate: fields['submit date'],
    doneDate: fields['done date'],
    text: fields.text,
    receiptedMessageId: cstring(deliver.tlvs.get(TLV.receipted_message_id)),
    messageState: state && state.length >= 1 ? state[0] : undefined,
    networkError: network && network.length >= 3 ? { type: network[0]!, code: network.readUInt16BE(1) } : undefined,
  };
}

/** The receipt's status as a catalogue code: the stat: text, else the message_state parameter. */
export function receiptStatus(r: SmppReceipt): ReportedCode | undefined {
  if (r.stat) return { provider: 'smpp', context: 'receipt-stat', code: r.stat };
  if (r.messageState !== undefined) return { provider: 'smpp', context: 'message-state', code: String(r.messageState) };
  return undefined;
}

/** `done date:` (YYMMDDhhmm or YYMMDDhhmmss, read as UTC) in epoch milliseconds. */
export function doneAt(r: SmppReceipt): number | null {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/.exec(r.doneDate ?? '');
  if (!m) return null;
  const [, yy, mo, dd, hh, mi, ss] = m;
  return Date.UTC(2000 + Number(yy), Number(mo) - 1, Number(dd), Number(hh), Number(mi), Number(ss ?? 0));
}

/** The receipt's error: a GSM network_error_code reads through the MAP table; a bare err: stays raw. */
function receiptError(r: SmppReceipt): { error?: ReportedCode } {
  if (r.networkError?.type === 3) return { error: { provider: 'smpp', context: 'gsm-map-error', code: String(r.networkError.code) } };
  if (r.err !== undefined) return { error: { provider: 'smpp', context: 'receipt-err', code: r.err } };
  return {};
}

/** A receipt deliver_sm as the application reads receipts; undefined when it names no message or status. */
export function receiptReport(p: Pdu): ReceiptReport | undefined {
  const r = readReceipt(p);
  const id = r.receiptedMessageId ?? r.id;
  const status = receiptStatus(r);
  if (!id || !status) return undefined;
  return { providerMessageId: id, status, ...receiptError(r), occurredAt: doneAt(r), raw: Object.assign(describe(p), { receipt: r }) };
}

/** The key a message id is recorded under: no leading zeros, upper case. */
export function idKey(id: string): string {
  return id.replace(/^0+(?=.)/, '').toUpperCase();
}

/**
 * The keys a receipt's id may match: carriers give an id in hex in the submit answer and in
 * decimal in the receipt, or the reverse, with or without leading zeros.
 */
export function idVariants(id: string): string[] {
  const out = new Set<string>([idKey(id)]);
  if (/^[0-9]+$/.test(id) && id.length <= 20) out.add(idKey(BigInt(id).toString(16)));
  if (/^[0-9a-f]+$/i.test(id) && id.length <= 16) out.add(idKey(BigInt(`0x${id}`).toString(10)));
  return [...out];
}
