import { Type, type Static } from 'typebox';
import { httpConnection, httpConnectionFields, webhookUrl } from '../http/settings.js';
import type { ProviderPlugin } from '../plugin.js';
import { WebexConnectConnector } from './connector.js';

/** Defaults for this provider's connections. */
const DEFAULTS = { tps: 20, window: 20 };

const Settings = Type.Object(
  {
    ...httpConnectionFields('webex-connect', DEFAULTS),
    service_key: Type.Optional(Type.String({ minLength: 1, description: "the service's key (Authorization header)" })),
    jwt: Type.Optional(Type.String({ minLength: 1, description: 'a JWT instead of the service key (sent as Bearer)' })),
    region: Type.Optional(Type.String({ pattern: '^[a-z0-9-]+$', description: 'the tenant region of https://api.<region>.webexconnect.io, default us' })),
    base_url: Type.Optional(Type.String({ description: 'instead of region: the API base URL' })),
    receipt_token: Type.String({ minLength: 16, description: 'a secret the callback URL carries: Webex Connect does not sign callbacks' }),
  },
  { additionalProperties: false },
);

export const webexConnectPlugin: ProviderPlugin = {
  provider: 'webex-connect',
  settings: Settings,
  create(raw, { clock, publicUrl }) {
    const s = raw as Static<typeof Settings>;
    if (!s.service_key === !s.jwt) throw new Error('set one of service_key or jwt');
    return new WebexConnectConnector(
      {
        ...httpConnection(s, DEFAULTS),
        authorization: s.service_key ?? `Bearer ${s.jwt!}`,
        baseUrl: (s.base_url ?? `https://api.${s.region ?? 'us'}.webexconnect.io`).replace(/\/+$/, ''),
        callbackUrl: `${webhookUrl(publicUrl, 'webex-connect', s.name)}?token=${encodeURIComponent(s.receipt_token)}`,
        token: s.receipt_token,
      },
      clock,
    );
  },
};
