import { webhookReadings, type PayloadReader } from '../../app/normalize.js';
import { readSubmitAnswer, readWebhook } from './wire.js';

/** A webhook body (message.sent, message.finalized, message.received), or the answer of POST /v2/messages. */
export const telnyxReaders: Readonly<Record<string, PayloadReader>> = {
  receipt: (raw) => webhookReadings(readWebhook(raw)),
  'submit-response': (raw) => [{ kind: 'submit', result: readSubmitAnswer(undefined, raw) }],
};
