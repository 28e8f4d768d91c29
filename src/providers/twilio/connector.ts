import type { Clock } from '../../app/clock.js';
import type { Connector, ConnectorContext, OutboundMessage, ReceiptReport, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { httpRequest, retryAfterMs, statusCode } from '../http/transport.js';
import { formParams, verifyTwilioSignature } from './signature.js';

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

/** Twilio's error body: `{ code, message, more_info, status }`. */
interface TwilioError {
  readonly code?: number;
  readonly message?: string;
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
    const body = parseJson(text);
    if (status >= 200 && status < 300) {
      const sid = (body as { sid?: unknown } | undefined)?.sid;
      if (typeof sid === 'string') return { kind: 'accepted', providerMessageIds: [sid], raw: body };
      // A 2xx without a message sid: Twilio may or may not have queued it.
      return { kind: 'unknown', reason: `HTTP ${status} without a message sid`, raw: text.slice(0, 2000) };
    }
    const error = body as TwilioError | undefined;
    const retryAfter = retryAfterMs(headers, this.clock.now());
    const code =
      typeof error?.code === 'number'
        ? { provider: 'twilio', context: 'error-codes', code: String(error.code), ...(error.message !== undefined && { message: error.message }) }
        : statusCode(status);
    return { kind: 'refused', code, raw: body ?? text.slice(0, 2000), ...(retryAfter !== undefined && { retryAfterMs: retryAfter }) };
  }

  #readCallback(request: WebhookRequest): WebhookReading {
    const body = request.body.toString('utf8');
    const params = formParams(request.method === 'GET' ? '' : body);
    if (!verifyTwilioSignature(this.settings.authToken, request.url, params, request.headers['x-twilio-signature'])) {
      throw new SwitchboardError('invalid_signature', 'The X-Twilio-Signature header is missing or does not match this connection’s auth token and URL.');
    }
    const sid = params.get('MessageSid')?.[0];
    const status = params.get('MessageStatus')?.[0];
    if (!sid || !status) throw new SwitchboardError('invalid_parameter', 'A status callback needs MessageSid and MessageStatus.', { param: sid ? 'MessageStatus' : 'MessageSid' });
    const errorCode = params.get('ErrorCode')?.[0];
    const report: ReceiptReport = {
      providerMessageId: sid,
      status: { provider: 'twilio', context: 'message-status', code: status },
      ...(errorCode && errorCode !== '0' && { error: { provider: 'twilio', context: 'error-codes', code: errorCode } }),
      occurredAt: null,
      raw: Object.fromEntries([...params].map(([k, v]) => [k, v.length === 1 ? v[0] : v])),
    };
    return { receipts: [report], inbound: [] };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
