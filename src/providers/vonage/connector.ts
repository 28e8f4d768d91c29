import type { Clock } from '../../app/clock.js';
import type { NumberLookups, OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { HttpConnector, type HttpConnectionSettings, type HttpSubmit } from '../http/connector.js';
import { webhookParams } from '../http/params.js';
import { verifyVonageSignature, vonageSignature, type VonageSignatureMethod } from './signature.js';
import { vonageLookups } from './lookups.js';
import { readSubmitAnswer, readWebhook } from './wire.js';

export interface VonageSettings extends HttpConnectionSettings {
  readonly apiKey: string;
  /** Sent with each request when the connection does not sign them. */
  readonly apiSecret: string | undefined;
  /**
   * The account's signature secret and method: requests are signed with `sig` (and carry no
   * `api_secret`, which Vonage refuses beside a signature), webhooks must be. Null: unsigned.
   */
  readonly signature: { readonly secret: string; readonly method: VonageSignatureMethod } | null;
  readonly baseUrl: string;
  /** Where Vonage sends delivery receipts: this server's public webhook URL for the connection. */
  readonly callback: string;
  /** Number Insight's host (api.nexmo.com, not the SMS API's). */
  readonly insightUrl: string;
}

const REFUSALS = {
  missing: 'The webhook carries no sig, and this connection only takes signed webhooks.',
  stale: 'The webhook timestamp is more than 5 minutes from now: the call is refused as a possible replay.',
  invalid: "The webhook's sig does not match this connection's signature secret.",
} as const;

/**
 * Vonage's SMS API (/sms/json), its delivery receipts and inbound messages. Credentials go in the
 * form body as the SMS API reference has them: `api_key` with `api_secret`, or with `timestamp`
 * and `sig` when the connection has a signature secret.
 */
export class VonageConnector extends HttpConnector {
  readonly provider = 'vonage';
  /** Number Insight takes the key and secret: a connection without `api_secret` has no lookups. */
  override readonly lookups: NumberLookups | null;

  constructor(
    private readonly settings: VonageSettings,
    clock: Clock,
  ) {
    super(settings, clock);
    this.lookups = settings.apiSecret === undefined ? null : vonageLookups({ ...settings, apiSecret: settings.apiSecret });
  }

  protected submitRequest(message: OutboundMessage): HttpSubmit {
    const s = this.settings;
    const now = this.clock.now();
    const params: Record<string, string> = {
      api_key: s.apiKey,
      from: message.from.replace(/^\+/, ''),
      to: message.to.slice(1),
      text: message.text,
      type: message.encoding === 'UCS-2' ? 'unicode' : 'text',
      'status-report-req': 'true',
      callback: s.callback,
      'client-ref': message.id,
      ttl: String(Math.max(20_000, message.expiresAt - now)),
    };
    if (s.signature) {
      params.timestamp = String(Math.floor(now / 1000));
      params.sig = vonageSignature(params, s.signature.secret, s.signature.method);
    } else {
      params.api_secret = s.apiSecret!;
    }
    return {
      url: `${s.baseUrl}/sms/json`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
    };
  }

  protected readAnswer(status: number, text: string): SubmitResult {
    return readSubmitAnswer(status, text);
  }

  protected readWebhook(request: WebhookRequest): WebhookReading {
    const params = webhookParams(request.url, request.headers['content-type'], request.body.toString('utf8'));
    const { signature } = this.settings;
    if (signature) {
      const verdict = verifyVonageSignature(params, signature.secret, signature.method, this.clock.now());
      if (verdict !== 'ok') throw new SwitchboardError('invalid_signature', REFUSALS[verdict]);
    }
    return readWebhook(params);
  }
}
