import type { PayloadReader } from '../../app/normalize.js';
import { readSubmitAnswer, readWebhook } from './wire.js';

/** A delivery report body (results[]), or the answer of a send (/sms/2/text/advanced, /sms/3/messages). */
export const infobipReaders: Readonly<Record<string, PayloadReader>> = {
  receipt: (raw) => readWebhook(raw).receipts.map((report) => ({ kind: 'receipt', report })),
  'submit-response': (raw) => [{ kind: 'submit', result: readSubmitAnswer(undefined, raw) }],
};
