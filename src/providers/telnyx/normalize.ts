import type { PayloadReader } from '../../app/normalize.js';
import { readSubmitAnswer, readWebhook } from './wire.js';

/** A webhook body (message.sent, message.finalized, message.received), or the answer of POST /v2/messages. */
export const telnyxReaders: Readonly<Record<string, PayloadReader>> = {
  receipt: (raw) => readWebhook(raw).receipts.map((report) => ({ kind: 'receipt', report })),
  'submit-response': (raw) => [{ kind: 'submit', result: readSubmitAnswer(undefined, raw) }],
};
