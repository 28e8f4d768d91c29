import type { Clock } from '../../app/clock.js';
import type { OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { HttpConnector, type HttpConnectionSettings, type HttpSubmit } from '../http/connector.js';
import { formParams, verifyTwilioSignature } from './signature.js';
import { readSubmitAnswer, readWebhook } from './wire.js';

export interface TwilioSettings extends HttpConnectionSettings {
  readonly accountSid: string;
  readonly authToken: string;
  /** Send through a Messaging Service instead of the message's `from`. */
  readonly messagingServiceSid: string | undefined;
  readonly baseUrl: string;
  /**
   * Where Twilio posts status callbacks: this server's public webhook URL for the connection. Set
   * as the number's messaging webhook too, it takes the messages subscribers send.
   */
  readonly statusCallback: string;
}

/** ValidityPeriod is whole seconds, 1 to 36,000 (10 hours) at Twilio. */
const MAX_VALIDITY_SECONDS = 36_000;

/**
 * Twilio's Messages resource: form-encoded POSTs with Basic auth; status callbacks and incoming
 * messages signed with X-Twilio-Signature.
 */
export class TwilioConnector extends HttpConnector {
  readonly provider = 'twilio';

  constructor(
    private readonly settings: TwilioSettings,
    clock: Clock,
  ) {
    super(settings, clock);
  }

  protected submitRequest(message: OutboundMessage): HttpSubmit {
    const s = this.settings;
    const form = new URLSearchParams({
      To: message.to,
      ...(s.messagingServiceSid ? { MessagingServiceSid: s.messagingServiceSid } : { From: message.from }),
      Body: message.text,
      StatusCallback: s.statusCallback,
      ValidityPeriod: String(Math.max(1, Math.min(MAX_VALIDITY_SECONDS, Math.floor((message.expiresAt - this.clock.now()) / 1000)))),
    });
    return {
      url: `${s.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(s.accountSid)}/Messages.json`,
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${s.accountSid}:${s.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
    };
  }

  protected readAnswer(status: number, text: string): SubmitResult {
    return readSubmitAnswer(status, text);
  }

  protected readWebhook(request: WebhookRequest): WebhookReading {
    const params = formParams(request.method === 'GET' ? '' : request.body.toString('utf8'));
    if (!verifyTwilioSignature(this.settings.authToken, request.url, params, request.headers['x-twilio-signature'])) {
      throw new SwitchboardError('invalid_signature', 'The X-Twilio-Signature header is missing or does not match this connection’s auth token and URL.');
    }
    return readWebhook(params);
  }
}
