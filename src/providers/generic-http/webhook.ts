import type { WebhookReading, WebhookRequest } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { e164OrShortCode, requireToken, sameSecret, webhookParams } from '../http/params.js';

/** How a connection's callbacks are checked and read: field names, dotted for JSON. */
export interface CallbackRules {
  readonly id: string;
  readonly status: string;
  /** The provider's error code, read through the connection's `<name>-receipt-errors` table. */
  readonly error: string | undefined;
  /** When the provider says it happened. */
  readonly occurredAt: string | undefined;
  /** A secret the callback URL carries (`?token=`). */
  readonly token: string | undefined;
  /** A header every callback must carry, with its secret value. */
  readonly header: { readonly name: string; readonly value: string } | undefined;
  /** Fields of a message a subscriber sent, for a call that is not a receipt. */
  readonly inbound: { readonly from: string; readonly to: string; readonly text: string } | undefined;
}

/** An ISO 8601 time with its offset, or Unix seconds or milliseconds; null when it is neither. */
function eventTime(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value);
  const at = Number.isFinite(n) ? (n < 1e11 ? n * 1000 : n) : Date.parse(value);
  return Number.isNaN(at) ? null : at;
}

/** Checks a callback's token or header (as configured), then reads it as a receipt or an inbound message. */
export function readCallback(connection: string, rules: CallbackRules, request: WebhookRequest): WebhookReading {
  if (rules.token !== undefined) requireToken(request.url, rules.token);
  if (rules.header && !sameSecret(request.headers[rules.header.name.toLowerCase()], rules.header.value)) {
    throw new SwitchboardError('invalid_signature', `The callback does not carry this connection’s ${rules.header.name} secret.`);
  }
  const params = webhookParams(request.url, request.headers['content-type'], request.body.toString('utf8'));
  const id = params[rules.id];
  const status = params[rules.status];
  const from = rules.inbound && params[rules.inbound.from];
  if (!id && !status && rules.inbound && from) {
    return { receipts: [], inbound: [{ from: e164OrShortCode(from), to: e164OrShortCode(params[rules.inbound.to] ?? ''), text: params[rules.inbound.text] ?? '', raw: params }] };
  }
  if (!id || !status) throw new SwitchboardError('invalid_parameter', `A receipt needs ${rules.id} and ${rules.status}.`, { param: id ? rules.status : rules.id });
  const error = rules.error === undefined ? undefined : params[rules.error];
  return {
    receipts: [
      {
        providerMessageId: id,
        status: { provider: 'generic-http', context: `${connection}-receipts`, code: status },
        ...(error && { error: { provider: 'generic-http', context: `${connection}-receipt-errors`, code: error } }),
        occurredAt: eventTime(rules.occurredAt === undefined ? undefined : params[rules.occurredAt]),
        raw: params,
      },
    ],
    inbound: [],
  };
}
