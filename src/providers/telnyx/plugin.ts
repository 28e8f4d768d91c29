import { Type, type Static } from 'typebox';
import { httpConnection, httpConnectionFields, webhookUrl } from '../http/settings.js';
import type { ProviderPlugin } from '../plugin.js';
import { TelnyxConnector } from './connector.js';
import { telnyxPublicKey } from './signature.js';

/** Defaults for this provider's connections. */
const DEFAULTS = { tps: 10, window: 20 };

const Settings = Type.Object(
  {
    ...httpConnectionFields('telnyx', DEFAULTS),
    api_key: Type.String({ minLength: 1 }),
    public_key: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: "the account's webhook public key (base64), to verify Ed25519 signatures" }),
    messaging_profile_id: Type.Optional(Type.String({ minLength: 1 })),
    base_url: Type.Optional(Type.String({ description: 'default https://api.telnyx.com' })),
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
        ...httpConnection(s, DEFAULTS),
        apiKey: s.api_key,
        publicKey: telnyxPublicKey(s.public_key),
        messagingProfileId: s.messaging_profile_id,
        baseUrl: (s.base_url ?? 'https://api.telnyx.com').replace(/\/+$/, ''),
        webhookUrl: webhookUrl(publicUrl, 'telnyx', s.name),
      },
      clock,
    );
  },
};
