import { Type, type Static } from 'typebox';
import { httpConnection, httpConnectionFields, webhookUrl } from '../http/settings.js';
import type { ProviderPlugin } from '../plugin.js';
import { VonageConnector } from './connector.js';

/** Defaults for this provider's connections. */
const DEFAULTS = { tps: 30, window: 20 };

const Settings = Type.Object(
  {
    ...httpConnectionFields('vonage', DEFAULTS),
    api_key: Type.String({ minLength: 1 }),
    api_secret: Type.Optional(Type.String({ minLength: 1, description: 'sent with each request; not needed when requests are signed' })),
    signature_secret: Type.Optional(Type.String({ minLength: 1, description: 'signs requests (sig) and verifies signed webhooks' })),
    signature_method: Type.Optional(
      Type.Union([Type.Literal('md5hash'), Type.Literal('md5'), Type.Literal('sha1'), Type.Literal('sha256'), Type.Literal('sha512')], { description: 'default md5hash' }),
    ),
    accept_unsigned_receipts: Type.Optional(Type.Boolean({ description: 'take receipts without a signature secret (default false)' })),
    base_url: Type.Optional(Type.String({ description: 'default https://rest.nexmo.com' })),
    insight_url: Type.Optional(Type.String({ description: 'Number Insight (live lookups), default https://api.nexmo.com' })),
  },
  { additionalProperties: false },
);

export const vonagePlugin: ProviderPlugin = {
  provider: 'vonage',
  settings: Settings,
  create(raw, { clock, publicUrl }) {
    const s = raw as Static<typeof Settings>;
    if (!s.signature_secret && !s.accept_unsigned_receipts) {
      throw new Error('set signature_secret (signed webhooks), or accept_unsigned_receipts: true');
    }
    if (!s.signature_secret && !s.api_secret) throw new Error('set api_secret, or signature_secret to sign requests');
    return new VonageConnector(
      {
        ...httpConnection(s, DEFAULTS),
        apiKey: s.api_key,
        apiSecret: s.api_secret,
        signature: s.signature_secret ? { secret: s.signature_secret, method: s.signature_method ?? 'md5hash' } : null,
        baseUrl: (s.base_url ?? 'https://rest.nexmo.com').replace(/\/+$/, ''),
        callback: webhookUrl(publicUrl, 'vonage', s.name),
        insightUrl: (s.insight_url ?? 'https://api.nexmo.com').replace(/\/+$/, ''),
      },
      clock,
    );
  },
};
