import type { SendRequest } from '../../app/accept.js';
import { SwitchboardError } from '../../core/errors.js';
import { MAX_VALIDITY_SECONDS, MIN_VALIDITY_SECONDS } from '../../core/message.js';
import { networkOf, type Route } from '../../core/routing/router.js';
import type { VonageSettings } from './credential.js';
import { RECEIPT_EVENTS } from './receipt-codes.js';

/** Parameters Vonage documents that Switchboard cannot honour: refused (status 3) rather than dropped. */
const UNSUPPORTED = ['body', 'udh', 'protocol-id', 'message-class', 'title', 'url', 'vcard', 'vcal'] as const;
/** Vonage's bounds of `ttl`, in milliseconds. */
const MIN_TTL_MS = 20_000;
const MAX_TTL_MS = MAX_VALIDITY_SECONDS * 1000;
const MAX_CLIENT_REF = 100;

function required(params: Readonly<Record<string, string>>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw new SwitchboardError('missing_parameter', `Missing ${name} param.`, { param: name });
  return value;
}

/** Vonage's numbers have no `+`; a number (not a short code) becomes E.164. */
function e164(value: string): string {
  return /^\+?[1-9]\d{8,14}$/.test(value) ? `+${value.replace(/^\+/, '')}` : value;
}

/**
 * An SMS API request as a send request of the native API, checked as Vonage checks it first:
 * its type (text or unicode: the encoding follows the text), `ttl`, `client-ref`, and a
 * `network-code` that must be the network whose ranges hold the number. `callback`, else the
 * credential's receipt URL, gets the message's final receipt unless `status-report-req` is off.
 */
export function sendRequest(params: Readonly<Record<string, string>>, settings: VonageSettings, routes: readonly Route[]): SendRequest {
  const from = e164(required(params, 'from'));
  const to = e164(required(params, 'to'));
  const type = params.type ?? 'text';
  if (type !== 'text' && type !== 'unicode') {
    throw new SwitchboardError('invalid_parameter', `type ${JSON.stringify(type)} is not supported here: send text or unicode.`, { param: 'type' });
  }
  const unsupported = UNSUPPORTED.find((name) => params[name] !== undefined);
  if (unsupported) throw new SwitchboardError('invalid_parameter', `${unsupported} is not supported here: only text messages are sent.`, { param: unsupported });
  const text = required(params, 'text');
  const clientRef = params['client-ref'];
  if (clientRef !== undefined && clientRef.length > MAX_CLIENT_REF) {
    throw new SwitchboardError('invalid_parameter', `client-ref may hold at most ${MAX_CLIENT_REF} characters.`, { param: 'client-ref' });
  }
  const networkCode = params['network-code'];
  if (networkCode !== undefined && networkOf(routes, to) !== networkCode) {
    throw new SwitchboardError('invalid_network_code', `The network code ${JSON.stringify(networkCode)} is not the known network of ${to}.`, { param: 'network-code' });
  }
  const callback = params.callback ?? settings.receiptUrl ?? undefined;
  const report = !['false', '0'].includes(params['status-report-req'] ?? 'true');
  return {
    from,
    to,
    text,
    ...(params.ttl !== undefined && { validity: validity(params.ttl) }),
    ...(clientRef !== undefined && { client_ref: clientRef }),
    ...(callback !== undefined && report && { callback_url: callback, callback_events: RECEIPT_EVENTS }),
  };
}

/** `ttl` in milliseconds (20,000 to 7 days), as whole seconds of validity; under a minute is a minute. */
function validity(ttl: string): number {
  const ms = /^\d{1,12}$/.test(ttl) ? Number(ttl) : NaN;
  if (!(ms >= MIN_TTL_MS && ms <= MAX_TTL_MS)) throw new SwitchboardError('invalid_parameter', `ttl must be a whole number of milliseconds from ${MIN_TTL_MS} to ${MAX_TTL_MS}.`, { param: 'ttl' });
  return Math.max(MIN_VALIDITY_SECONDS, Math.ceil(ms / 1000));
}
