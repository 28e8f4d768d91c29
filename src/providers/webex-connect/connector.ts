import type { Clock } from '../../app/clock.js';
import type { OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { HttpConnector, type HttpConnectionSettings, type HttpSubmit } from '../http/connector.js';
import { requireToken } from '../http/params.js';
import { readReceipts, readSubmitAnswer } from './wire.js';

export interface WebexConnectSettings extends HttpConnectionSettings {
  /** The service key (or a JWT, sent as `Bearer <jwt>`). */
  readonly authorization: string;
  /** https://api.<region>.webexconnect.io */
  readonly baseUrl: string;
  /** Where Webex Connect posts delivery callbacks; it carries `token`, as they are not signed. */
  readonly callbackUrl: string;
  readonly token: string;
}

/** Webex Connect's Send SMS API (/v1/sms/messages) and its delivery callbacks with 7xxx codes. */
export class WebexConnectConnector extends HttpConnector {
  readonly provider = 'webex-connect';

  constructor(
    private readonly settings: WebexConnectSettings,
    clock: Clock,
  ) {
    super(settings, clock);
  }

  protected submitRequest(message: OutboundMessage): HttpSubmit {
    const s = this.settings;
    return {
      url: `${s.baseUrl}/v1/sms/messages`,
      method: 'POST',
      headers: { authorization: s.authorization, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        from: message.from.replace(/^\+/, ''),
        to: message.to,
        content: message.text,
        contentType: message.encoding === 'UCS-2' ? 'unicode' : 'text',
        correlationId: message.id,
        callbackUrl: s.callbackUrl,
      }),
    };
  }

  protected readAnswer(status: number, text: string): SubmitResult {
    return readSubmitAnswer(status, text);
  }

  protected readWebhook(request: WebhookRequest): WebhookReading {
    requireToken(request.url, this.settings.token);
    return { receipts: readReceipts(request.body.toString('utf8')), inbound: [] };
  }
}
