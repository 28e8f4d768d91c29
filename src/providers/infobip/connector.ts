import type { Clock } from '../../app/clock.js';
import type { OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { HttpConnector, type HttpConnectionSettings, type HttpSubmit } from '../http/connector.js';
import { requireToken } from '../http/params.js';
import { readReports, readSubmitAnswer } from './wire.js';

export interface InfobipSettings extends HttpConnectionSettings {
  readonly apiKey: string;
  /** The account's own base URL (https://<id>.api.infobip.com). */
  readonly baseUrl: string;
  /** Where Infobip posts delivery reports; it carries `token`, as Infobip does not sign them. */
  readonly notifyUrl: string;
  readonly token: string;
}

/** Infobip SMS (/sms/2/text/advanced) with delivery reports pushed to the notify URL. */
export class InfobipConnector extends HttpConnector {
  readonly provider = 'infobip';

  constructor(
    private readonly settings: InfobipSettings,
    clock: Clock,
  ) {
    super(settings, clock);
  }

  protected submitRequest(message: OutboundMessage): HttpSubmit {
    const s = this.settings;
    return {
      url: `${s.baseUrl}/sms/2/text/advanced`,
      method: 'POST',
      headers: { authorization: `App ${s.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        messages: [
          {
            destinations: [{ to: message.to.slice(1) }],
            from: message.from.replace(/^\+/, ''),
            text: message.text,
            notifyUrl: s.notifyUrl,
            notifyContentType: 'application/json',
            callbackData: message.id,
            validityPeriod: Math.max(1, Math.floor((message.expiresAt - this.clock.now()) / 60_000)),
          },
        ],
      }),
    };
  }

  protected readAnswer(status: number, text: string): SubmitResult {
    return readSubmitAnswer(status, text);
  }

  protected readWebhook(request: WebhookRequest): WebhookReading {
    requireToken(request.url, this.settings.token);
    return { receipts: readReports(request.body.toString('utf8')), inbound: [] };
  }
}
