import type { Clock } from '../../app/clock.js';
import type { OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { HttpConnector, type HttpConnectionSettings, type HttpSubmit } from '../http/connector.js';
import { webhookParams } from '../http/params.js';
import { verifyVonageSignature, type VonageSignatureMethod } from './signature.js';
import { readReceipt, readSubmitAnswer } from './wire.js';

export interface VonageSettings extends HttpConnectionSettings {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The signature secret and method of signed webhooks; null accepts unsigned receipts. */
  readonly signature: { readonly secret: string; readonly method: VonageSignatureMethod } | null;
  readonly baseUrl: string;
  /** Where Vonage sends delivery receipts: this server's public webhook URL for the connection. */
  readonly callback: string;
}

const REFUSALS = {
  missing: 'The receipt carries no sig, and this connection only takes signed webhooks.',
  stale: 'The receipt timestamp is more than 5 minutes from now: the call is refused as a possible replay.',
  invalid: "The receipt's sig does not match this connection's signature secret.",
} as const;

/** Vonage's SMS API (/sms/json) and its delivery receipts, signed when the account signs them. */
export class VonageConnector extends HttpConnector {
  readonly provider = 'vonage';

  constructor(
    private readonly settings: VonageSettings,
    clock: Clock,
  ) {
    super(settings, clock);
  }

  protected submitRequest(message: OutboundMessage): HttpSubmit {
    const s = this.settings;
    return {
      url: `${s.baseUrl}/sms/json`,
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${s.apiKey}:${s.apiSecret}`).toString('base64')}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        from: message.from.replace(/^\+/, ''),
        to: message.to.slice(1),
        text: message.text,
        type: message.encoding === 'UCS-2' ? 'unicode' : 'text',
        'status-report-req': true,
        callback: s.callback,
        'client-ref': message.id,
        ttl: Math.max(20_000, message.expiresAt - this.clock.now()),
      }),
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
    return { receipts: [readReceipt(params)], inbound: [] };
  }
}
