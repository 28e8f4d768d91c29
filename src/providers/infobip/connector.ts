import type { Clock } from '../../app/clock.js';
import type { Connector, ConnectorContext, OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { httpRequest, retryAfterMs } from '../http/transport.js';
import { readReports, readSubmitAnswer } from './wire.js';

export interface InfobipSettings {
  readonly name: string;
  readonly apiKey: string;
  /** The account's own base URL (https://<id>.api.infobip.com). */
  readonly baseUrl: string;
  /** Where Infobip posts delivery reports; it carries `token`, as Infobip does not sign them. */
  readonly notifyUrl: string;
  readonly token: string;
  readonly tps: number;
  readonly window: number;
  readonly timeoutMs: number;
}

/** Infobip SMS (/sms/2/text/advanced) with delivery reports pushed to the notify URL. */
export class InfobipConnector implements Connector {
  readonly provider = 'infobip';
  readonly name: string;
  readonly tps: number;
  readonly window: number;
  readonly ready = true;
  readonly capabilities = { receipts: true, unicode: true, maxParts: 10 };
  readonly webhooks = (request: WebhookRequest): WebhookReading => this.#readReports(request);

  constructor(
    private readonly settings: InfobipSettings,
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
      `${s.baseUrl}/sms/2/text/advanced`,
      {
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

  #readReports(request: WebhookRequest): WebhookReading {
    if (new URL(request.url).searchParams.get('token') !== this.settings.token) {
      throw new SwitchboardError('invalid_signature', 'The delivery report does not carry the token of this connection’s notify URL.');
    }
    return { receipts: readReports(request.body.toString('utf8')), inbound: [] };
  }
}
