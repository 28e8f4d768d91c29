import type { Clock } from '../../app/clock.js';
import type { NumberLookups, OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { HttpConnector, type HttpConnectionSettings, type HttpSubmit } from '../http/connector.js';
import { requireToken } from '../http/params.js';
import { infobipLookups } from './lookups.js';
import { readSubmitAnswer, readWebhook } from './wire.js';

export interface InfobipSettings extends HttpConnectionSettings {
  readonly apiKey: string;
  /** The account's own base URL (https://<id>.api.infobip.com). */
  readonly baseUrl: string;
  /** The send API: 2, /sms/2/text/advanced; 3, /sms/3/messages. */
  readonly apiVersion: 2 | 3;
  /** Where Infobip posts delivery reports; it carries `token`, as Infobip does not sign them. */
  readonly notifyUrl: string;
  readonly token: string;
}

/** Infobip SMS (/sms/2/text/advanced or /sms/3/messages), delivery reports and incoming messages pushed to the notify URL. */
export class InfobipConnector extends HttpConnector {
  readonly provider = 'infobip';
  override readonly lookups: NumberLookups | null;

  constructor(
    private readonly settings: InfobipSettings,
    clock: Clock,
  ) {
    super(settings, clock);
    this.lookups = infobipLookups(settings);
  }

  protected submitRequest(message: OutboundMessage): HttpSubmit {
    const s = this.settings;
    const to = message.to.slice(1);
    const from = message.from.replace(/^\+/, '');
    const minutes = Math.max(1, Math.floor((message.expiresAt - this.clock.now()) / 60_000));
    const sent =
      s.apiVersion === 3
        ? {
            sender: from,
            destinations: [{ to }],
            content: { text: message.text },
            options: { validityPeriod: { amount: minutes, timeUnit: 'MINUTES' } },
            webhooks: { delivery: { url: s.notifyUrl }, contentType: 'application/json', callbackData: message.id },
          }
        : { destinations: [{ to }], from, text: message.text, notifyUrl: s.notifyUrl, notifyContentType: 'application/json', callbackData: message.id, validityPeriod: minutes };
    return {
      url: `${s.baseUrl}${s.apiVersion === 3 ? '/sms/3/messages' : '/sms/2/text/advanced'}`,
      method: 'POST',
      headers: { authorization: `App ${s.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ messages: [sent] }),
    };
  }

  protected readAnswer(status: number, text: string): SubmitResult {
    return readSubmitAnswer(status, text);
  }

  protected readWebhook(request: WebhookRequest): WebhookReading {
    requireToken(request.url, this.settings.token);
    return readWebhook(request.body.toString('utf8'));
  }
}
