import { webhookReadings, type PayloadReader } from '../../app/normalize.js';
import { pastedType, webhookParams } from '../http/params.js';
import { formParams } from './signature.js';
import { readSubmitAnswer, readWebhook } from './wire.js';

/**
 * A status callback or incoming message body, or the JSON answer of the Messages resource. Twilio
 * posts its webhooks as forms; the same fields written as a JSON object are read too, as a log
 * may hold them.
 */
export const twilioReaders: Readonly<Record<string, PayloadReader>> = {
  receipt: (raw, contentType) => {
    const text = raw.trim();
    const json = pastedType(text, contentType).includes('json');
    const params = json ? new Map(Object.entries(webhookParams('http://localhost/', 'application/json', text)).map(([k, v]) => [k, [v]])) : formParams(text);
    return webhookReadings(readWebhook(params));
  },
  'submit-response': (raw) => [{ kind: 'submit', result: readSubmitAnswer(undefined, raw) }],
};
