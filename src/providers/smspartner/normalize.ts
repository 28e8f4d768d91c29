import type { PayloadReader, ProviderReading } from '../../app/normalize.js';
import { parseJsonBody, pastedType, webhookParams } from '../http/params.js';
import { looksLikeXml, readXml } from '../http/xml.js';
import { readHlrNotification } from './lookups.js';
import { readReceipt, readSubmitAnswer } from './wire.js';

type Entry = Readonly<Record<string, unknown>>;

const isEntry = (value: unknown): value is Entry => value !== null && typeof value === 'object' && !Array.isArray(value);

/** An answer's body as an object: JSON, or XML (SMSPartner's `_format=xml`); undefined for a form or query string. */
function answer(text: string): unknown {
  if (looksLikeXml(text)) return readXml(text);
  return text.startsWith('{') || text.startsWith('[') ? parseJsonBody(text) : undefined;
}

/**
 * One entry of a status answer (/message-status, or each of /multi-status's and /bulk-status's
 * `StatutResponse_List`): its status as a receipt, or, with `success: false`, a look-up that
 * failed (code 4, the message or number not found), which says nothing of the message's delivery.
 */
function statusEntry(entry: Entry): ProviderReading {
  const params = webhookParams('http://localhost/', 'application/json', JSON.stringify(entry));
  if (entry.success !== false) return { kind: 'receipt', report: readReceipt(params) };
  const id = params.messageId ?? params.message_id;
  const to = params.phoneNumber ?? params.number;
  const message = params.message ?? params.status ?? params.statut;
  return {
    kind: 'lookup_failed',
    ...(id !== undefined && { providerMessageId: id }),
    ...(to !== undefined && { to }),
    code: { provider: 'smspartner', context: 'status-retrieval', code: params.code ?? '', ...(message !== undefined && { message }) },
  };
}

/**
 * A delivery report (JSON, XML, form or query string), or a status answer: one message's, or a
 * list of them, each entry read on its own.
 */
const receipt: PayloadReader = (raw, contentType) => {
  const text = raw.trim();
  const body = answer(text);
  if (Array.isArray(body)) return body.filter(isEntry).map(statusEntry);
  if (isEntry(body)) {
    // In XML, a list of one entry reads as its one element: <StatutResponse_List><entry>...
    const list = isEntry(body.StatutResponse_List) && Object.keys(body.StatutResponse_List).length === 1 ? Object.values(body.StatutResponse_List)[0] : body.StatutResponse_List;
    if (Array.isArray(list)) return list.filter(isEntry).map(statusEntry);
    if (isEntry(list)) return [statusEntry(list)];
    if (typeof body.success === 'boolean') return [statusEntry(body)];
    return [{ kind: 'receipt', report: readReceipt(webhookParams('http://localhost/', 'application/json', JSON.stringify(body))) }];
  }
  return [{ kind: 'receipt', report: readReceipt(webhookParams('http://localhost/', pastedType(text, contentType), text.replace(/^\?/, ''))) }];
};

export const smspartnerReaders: Readonly<Record<string, PayloadReader>> = {
  receipt,
  status: receipt,
  'submit-response': (raw) => {
    const text = raw.trim();
    return [{ kind: 'submit', result: readSubmitAnswer(undefined, looksLikeXml(text) ? JSON.stringify(readXml(text)) : text) }];
  },
  /** An HLR notification, as posted to the notify URL (JSON or form). */
  hlr: (raw, contentType) => {
    const text = raw.trim();
    return [{ kind: 'number', report: readHlrNotification(webhookParams('http://localhost/', pastedType(text, contentType), text.replace(/^\?/, ''))) }];
  },
};
