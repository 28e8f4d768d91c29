import { webhookReadings, type PayloadReader } from '../../app/normalize.js';
import { formParams } from './signature.js';
import { readSubmitAnswer, readWebhook } from './wire.js';

/** A status callback or incoming message body (form-encoded), or the JSON answer of the Messages resource. */
export const twilioReaders: Readonly<Record<string, PayloadReader>> = {
  receipt: (raw) => webhookReadings(readWebhook(formParams(raw.trim()))),
  'submit-response': (raw) => [{ kind: 'submit', result: readSubmitAnswer(undefined, raw) }],
};
