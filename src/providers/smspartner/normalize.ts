import type { PayloadReader } from '../../app/normalize.js';
import { webhookParams } from '../http/params.js';
import { readReceipt, readSubmitAnswer } from './wire.js';

/** A delivery report (JSON, form or query string), or the answer of /v1/send. */
export const smspartnerReaders: Readonly<Record<string, PayloadReader>> = {
  receipt: (raw, contentType) => {
    const text = raw.trim();
    const type = contentType ?? (text.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded');
    return [{ kind: 'receipt', report: readReceipt(webhookParams('http://localhost/', type, text.replace(/^\?/, ''))) }];
  },
  'submit-response': (raw) => [{ kind: 'submit', result: readSubmitAnswer(undefined, raw) }],
};
