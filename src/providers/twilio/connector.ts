import type { Clock } from '../../app/clock.js';
import type { Connector, ConnectorContext, OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { httpRequest, retryAfterMs } from '../http/transport.js';
import { formParams, verifyTwilioSignature } from './signature.js';
import { readStatusCallback, readSubmitAnswer } from './wire.js';

export interface TwilioSettings {
  readonly name: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Send through a Messaging Service instead of the message's `from`. */
  readonly messagingServiceSid: string | undefined;
  readonly baseUrl: string;
  /** Where Twilio posts status callbacks: this server's public webhook URL for the connection. */
  readonly statusCallback: string;
  readonly tps: number;
  readonly window: number;
  readonly timeoutMs: number;
}

/** ValidityPeriod is whole seconds, 1 to 36,000 (10 hours) at Twilio. */
const MAX_VALIDITY_SECONDS = 36_000;

/**
 * Twilio's Messages resource: form-encoded POSTs with Basic auth, and status callbacks signed
 * with X-Twilio-Signature.
 */
export class TwilioConnector implements Connector {
  readonly provider = 'twilio';
  readonly name: string;
  readonly tps: number;
  readonly window: number;
  readonly ready = true;
  readonly capabilities = { receipts: true, unicode: true, maxParts: 10 };
  readonly webhooks = (request: WebhookRequest): WebhookReading => this.#readCallback(request);

  constructor(
    private readonly settings: TwilioSettings,
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
    const form = new URLSearchParams({
      To: message.to,
      ...(s.messagingServiceSid ? { MessagingServiceSid: s.messagingServiceSid } : { From: message.from }),
      Body: message.text,
      StatusCallback: s.statusCallback,
      ValidityPeriod: String(Math.max(1, Math.min(MAX_VALIDITY_SECONDS, Math.floor((message.expiresAt - this.clock.now()) / 1000)))),
    });
    const outcome = await httpRequest(
      `${s.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(s.accountSid)}/Messages.json`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${s.accountSid}:${s.authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
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

  #readCallback(request: WebhookRequest): WebhookReading {
    const body = request.body.toString('utf8');
    const params = formParams(request.method === 'GET' ? '' : body);
    if (!verifyTwilioSignature(this.settings.authToken, request.url, params, request.headers['x-twilio-signature'])) {
      throw new SwitchboardError('invalid_signature', 'The X-Twilio-Signature header is missing or does not match this connection’s auth token and URL.');
    }
    const report = readStatusCallback(params);
    return { receipts: [report], inbound: [] };
  }
}
