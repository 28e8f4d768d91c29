import { lookupReadings, type PayloadReader } from '../../app/normalize.js';
import { readLookupAnswer } from './lookups.js';
import { readSubmitAnswer, readWebhook } from './wire.js';

/** A delivery report body (results[]), the answer of a send (/sms/2/text/advanced, /sms/3/messages), or of Number Lookup (/number/1/query). */
export const infobipReaders: Readonly<Record<string, PayloadReader>> = {
  receipt: (raw) => readWebhook(raw).receipts.map((report) => ({ kind: 'receipt', report })),
  'submit-response': (raw) => [{ kind: 'submit', result: readSubmitAnswer(undefined, raw) }],
  'number-lookup': (raw) => lookupReadings(readLookupAnswer(200, raw)),
};
