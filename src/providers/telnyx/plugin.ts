import { Type, type Static } from 'typebox';
import type { ProviderPlugin } from '../plugin.js';
import { TelnyxConnector } from './connector.js';
import { telnyxPublicKey } from './signature.js';

const Settings = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    provider: Type.Literal('telnyx'),
    api_key: Type.String({ minLength: 1 }),
    public_key: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: "the account's webhook public key (base64), to verify Ed25519 signatures" }),
    messaging_profile_id: Type.Optional(Type.String({ minLength: 1 })),
    base_url: Type.Optional(Type.String({ description: 'default https://api.telnyx.com' })),
    tps: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'default 10' })),
    window: Type.Optional(Type.Integer({ minimum: 1, description: 'requests in flight, default 20' })),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 100, description: 'default 10000' })),
  },
  { additionalProperties: false },
);

export const telnyxPlugin: ProviderPlugin = {
  provider: 'telnyx',
  settings: Settings,
  create(raw, { clock, publicUrl }) {
    const s = raw as Static<typeof Settings>;
    return new TelnyxConnector(
      {
        name: s.name,
        apiKey: s.api_key,
        publicKey: telnyxPublicKey(s.public_key),
        messagingProfileId: s.messaging_profile_id,
        baseUrl: (s.base_url ?? 'https://api.telnyx.com').replace(/\/+$/, ''),
        webhookUrl: `${publicUrl}/v1/providers/telnyx/${encodeURIComponent(s.name)}/receipts`,
        tps: s.tps ?? 10,
        window: s.window ?? 20,
        timeoutMs: s.timeout_ms ?? 10_000,
      },
      clock,
    );
  },
};
