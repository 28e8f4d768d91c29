import type { Clock } from '../../app/clock.js';
import type { Connector, ConnectorContext, OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { httpRequest, retryAfterMs } from '../http/transport.js';
import { verifyVonageSignature, type VonageSignatureMethod } from './signature.js';
import { webhookParams } from '../http/params.js';
import { readReceipt, readSubmitAnswer } from './wire.js';

export interface VonageSettings {
  readonly name: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The signature secret and method of signed webhooks; null accepts unsigned receipts. */
  readonly signature: { readonly secret: string; readonly method: VonageSignatureMethod } | null;
  readonly baseUrl: string;
  /** Where Vonage sends delivery receipts: this server's public webhook URL for the connection. */
  readonly callback: string;
  readonly tps: number;
  readonly window: number;
  readonly timeoutMs: number;
}

const REFUSALS = {
  missing: 'The receipt carries no sig, and this connection only takes signed webhooks.',
  stale: 'The receipt timestamp is more than 5 minutes from now: the call is refused as a possible replay.',
  invalid: "The receipt's sig does not match this connection's signature secret.",
} as const;

/** Vonage's SMS API (/sms/json) and its delivery receipts, signed when the account signs them. */
export class VonageConnector implements Connector {
  readonly provider = 'vonage';
  readonly name: string;
  readonly tps: number;
  readonly window: number;
  readonly ready = true;
  readonly capabilities = { receipts: true, unicode: true, maxParts: 10 };
  readonly webhooks = (request: WebhookRequest): WebhookReading => this.#readReceipt(request);

  constructor(
    private readonly settings: VonageSettings,
    private readonly clock: Clock,
  ) {
    this.name = settings.name;
    this.tps = settings.tps;
    this.window = settings.window;
  }

  async start(_context: ConnectorContext): Promise<void> {}
  async stop(): Promise<void> {}

  async send(message: OutboundMessage): Promise<SubmitResult> {
    const s = this.settings;
    const outcome = await httpRequest(
      `${s.baseUrl}/sms/json`,
      {
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
      },
      s.timeoutMs,
    );
    if (outcome.kind === 'unknown') return { kind: 'unknown', reason: outcome.reason };
    if (outcome.kind === 'not_sent') return { kind: 'refused', code: outcome.code };
    const { status, headers, text } = outcome.response;
    const result = readSubmitAnswer(status, text);
    if (result.kind !== 'refused') return result;
    const retryAfter = retryAfterMs(headers, this.clock.now());
    return retryAfter === undefined ? result : { ...result, retryAfterMs: retryAfter };
  }

  #readReceipt(request: WebhookRequest): WebhookReading {
    const params = webhookParams(request.url, request.headers['content-type'], request.body.toString('utf8'));
    const { signature } = this.settings;
    if (signature) {
      const verdict = verifyVonageSignature(params, signature.secret, signature.method, this.clock.now());
      if (verdict !== 'ok') throw new SwitchboardError('invalid_signature', REFUSALS[verdict]);
    }
    return { receipts: [readReceipt(params)], inbound: [] };
  }
}
