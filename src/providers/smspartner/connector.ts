import type { Clock } from '../../app/clock.js';
import type { NumberLookups, OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { HttpConnector, type HttpConnectionSettings, type HttpSubmit } from '../http/connector.js';
import { requireToken, webhookParams } from '../http/params.js';
import { smspartnerLookups } from './lookups.js';
import { readSubmitAnswer, readWebhook, smspartnerText } from './wire.js';

export interface SmsPartnerSettings extends HttpConnectionSettings {
  readonly apiKey: string;
  readonly baseUrl: string;
  /** 1 premium, 2 low cost. */
  readonly range: 1 | 2;
  /** Where SMSPartner reports delivery and replies; it carries `token`, as SMSPartner does not sign its calls. */
  readonly webhookUrl: string;
  readonly token: string;
}

/** SMSPartner's SMS API (/v1/send, JSON), its delivery reports and replies. */
export class SmsPartnerConnector extends HttpConnector {
  readonly provider = 'smspartner';
  override readonly lookups: NumberLookups | null;

  constructor(
    private readonly settings: SmsPartnerSettings,
    clock: Clock,
  ) {
    super(settings, clock);
    this.lookups = smspartnerLookups(settings);
  }

  protected submitRequest(message: OutboundMessage): HttpSubmit {
    const s = this.settings;
    return {
      url: `${s.baseUrl}/v1/send`,
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        apiKey: s.apiKey,
        phoneNumbers: message.to,
        message: smspartnerText(message.text),
        sender: message.from,
        gamme: s.range,
        ...(message.encoding === 'UCS-2' && { isUnicode: 1 }),
        urlDlr: s.webhookUrl,
        urlResponse: s.webhookUrl,
      }),
    };
  }

  protected readAnswer(status: number, text: string): SubmitResult {
    return readSubmitAnswer(status, text);
  }

  protected readWebhook(request: WebhookRequest): WebhookReading {
    requireToken(request.url, this.settings.token);
    return readWebhook(webhookParams(request.url, request.headers['content-type'], request.body.toString('utf8')));
  }
}
