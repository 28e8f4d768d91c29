import { lookupReadings, type PayloadReader } from '../../app/normalize.js';
import { parseJsonBody } from '../http/params.js';
import { readInsightAnswer } from './lookups.js';
import { pastedType, webhookParams } from '../http/params.js';
import { looksLikeXml, readXml, type XmlValue } from '../http/xml.js';
import { readReceipt, readSubmitAnswer } from './wire.js';

type XmlObject = { readonly [name: string]: XmlValue };
const isObject = (v: XmlValue | undefined): v is XmlObject => v !== undefined && typeof v === 'object' && !Array.isArray(v);

/**
 * The answer of /sms/xml (`<mt-submission-response><messages><message>`, camelCase elements) as
 * the /sms/json answer it stands for (`messages[]`, kebab-case fields).
 */
function xmlAnswer(text: string): string {
  const doc = readXml(text);
  const messages = isObject(doc) ? doc.messages : undefined;
  const list = Array.isArray(messages) ? messages : isObject(messages) && messages.message !== undefined ? [messages.message] : [];
  const kebab = (o: XmlObject) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), v]));
  return JSON.stringify({ 'message-count': String(list.length), messages: list.filter(isObject).map(kebab) });
}

/** A delivery receipt (JSON, form or query string), the answer of /sms/json (or /sms/xml), or of Number Insight Advanced (/ni/advanced/json). */
export const vonageReaders: Readonly<Record<string, PayloadReader>> = {
  receipt: (raw, contentType) => {
    const text = raw.trim();
    return [{ kind: 'receipt', report: readReceipt(webhookParams('http://localhost/', pastedType(text, contentType), text.replace(/^\?/, ''))) }];
  },
  'submit-response': (raw) => [{ kind: 'submit', result: readSubmitAnswer(undefined, looksLikeXml(raw) ? xmlAnswer(raw) : raw) }],
  'number-insight': (raw) => {
    const number = (parseJsonBody(raw) as { international_format_number?: unknown } | undefined)?.international_format_number;
    return lookupReadings(readInsightAnswer(typeof number === 'string' ? `+${number}` : '', 200, raw));
  },
};
