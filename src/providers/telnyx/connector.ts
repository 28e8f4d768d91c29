import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../app/clock.js';
import type { OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { HttpConnector, type HttpConnectionSettings, type HttpSubmit } from '../http/connector.js';
import { verifyTelnyxSignature } from './signature.js';
import { readSubmitAnswer, readWebhook } from './wire.js';

export interface TelnyxSettings extends HttpConnectionSettings {
  readonly apiKey: string;
  readonly publicKey: KeyObject;
  readonly messagingProfileId: string | undefined;
  readonly baseUrl: string;
  /** Where Telnyx posts message events: this server's public webhook URL for the connection. */
  readonly webhookUrl: string;
}

const REFUSALS = {
  missing: 'The telnyx-signature-ed25519 or telnyx-timestamp header is missing.',
  stale: 'The telnyx-timestamp is more than 5 minutes from now: the call is refused as a possible replay.',
  invalid: "The Ed25519 signature does not verify with this connection's Telnyx public key.",
} as const;

/** Telnyx Messaging v2: JSON with a Bearer key, and webhooks signed with Ed25519. */
export class TelnyxConnector extends HttpConnector {
  readonly provider = 'telnyx';

  constructor(
    private readonly settings: TelnyxSettings,
    clock: Clock,
  ) {
    super(settings, clock);
  }

  protected submitRequest(message: OutboundMessage): HttpSubmit {
    const s = this.settings;
    return {
      url: `${s.baseUrl}/v2/messages`,
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
    };
  }

  protected readAnswer(status: number, text: string): SubmitResult {
    return readSubmitAnswer(status, text);
  }

  protected readWebhook(request: WebhookRequest): WebhookReading {
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
