import type { PayloadReader } from '../../app/normalize.js';
import { formParams } from './signature.js';
import { readStatusCallback, readSubmitAnswer } from './wire.js';

/** A status callback body (form-encoded), or the JSON answer of the Messages resource. */
export const twilioReaders: Readonly<Record<string, PayloadReader>> = {
  receipt: (raw) => [{ kind: 'receipt', report: readStatusCallback(formParams(raw.trim())) }],
  'submit-response': (raw) => [{ kind: 'submit', result: readSubmitAnswer(undefined, raw) }],
};
