import type { PayloadReader } from '../../app/normalize.js';
import { readReceipts, readSubmitAnswer } from './wire.js';

/** A delivery callback (deliveryInfoNotification), or the answer of /v1/sms/messages. */
export const webexConnectReaders: Readonly<Record<string, PayloadReader>> = {
  receipt: (raw) => readReceipts(raw).map((report) => ({ kind: 'receipt', report })),
  'submit-response': (raw) => [{ kind: 'submit', result: readSubmitAnswer(undefined, raw) }],
};
