import type { PayloadReader } from '../../app/normalize.js';
import { readReports, readSubmitAnswer } from './wire.js';

/** A delivery report body (results[]), or the answer of /sms/2/text/advanced. */
export const infobipReaders: Readonly<Record<string, PayloadReader>> = {
  receipt: (raw) => readReports(raw).map((report) => ({ kind: 'receipt', report })),
  'submit-response': (raw) => [{ kind: 'submit', result: readSubmitAnswer(undefined, raw) }],
};
