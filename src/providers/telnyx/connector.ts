import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../app/clock.js';
import type { Connector, ConnectorContext, OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { httpRequest, retryAfterMs } from '../http/transport.js';
import { verifyTelnyxSignature } from './signature.js';
import { readSubmitAnswer, readWebhook } from './wire.js';

export interface TelnyxSettings {
  readonly name: string;
  readonly apiKey: string;
  readonly publicKey: KeyObject;
  readonly messagingProfileId: string | undefined;
  readonly baseUrl: string;
  /** Where Telnyx posts message events: this server's public webhook URL for the connection. */
  readonly webhookUrl: string;
  readonly tps: number;
  readonly window: number;
  readonly timeoutMs: number;
}

const REFUSALS = {
  missing: 'The telnyx-signature-ed25519 or telnyx-timestamp header is missing.',
  stale: 'The telnyx-timestamp is more than 5 minutes from now: the call is refused as a possible replay.',
  invalid: "The Ed25519 signature does not verify with this connection's Telnyx public key.",
} as const;

/** Telnyx Messaging v2: JSON with a Bearer key, and webhooks signed with Ed25519. */
export class TelnyxConnector implements Connector {
  readonly provider = 'telnyx';
  readonly name: string;
  readonly tps: number;
  readonly window: number;
  readonly ready = true;
  readonly capabilities = { receipts: true, unicode: true, maxParts: 10 };
  readonly webhooks = (request: WebhookRequest): WebhookReading => this.#readWebhook(request);

  constructor(
    private readonly settings: TelnyxSettings,
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
      `${s.baseUrl}/v2/messages`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${s.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          from: message.from,
          to: message.to,
          text: message.text,
          ...(s.messagingProfileId && { messaging_profile_id: s.messagingProfileId }),
          webhook_url: s.webhookUrl,
          use_profile_webhooks: false,
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

  #readWebhook(request: WebhookRequest): WebhookReading {
    const verdict = verifyTelnyxSignature(
      this.settings.publicKey,
      request.body,
      request.headers['telnyx-timestamp'],
      request.headers['telnyx-signature-ed25519'],
      this.clock.now(),
    );
    if (verdict !== 'ok') throw new SwitchboardError('invalid_signature', REFUSALS[verdict]);
    return readWebhook(request.body.toString('utf8'));
  }
}
