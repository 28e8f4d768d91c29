import { Type, type Static } from 'typebox';
import { httpConnection, httpConnectionFields, webhookUrl } from '../http/settings.js';
import type { ProviderPlugin } from '../plugin.js';
import { SmsPartnerConnector } from './connector.js';

/** Defaults for this provider's connections. */
const DEFAULTS = { tps: 10, window: 10 };

const Settings = Type.Object(
  {
    ...httpConnectionFields('smspartner', DEFAULTS),
    api_key: Type.String({ minLength: 1 }),
    range: Type.Optional(Type.Union([Type.Literal('premium'), Type.Literal('low_cost')], { description: 'default premium' })),
    receipt_token: Type.String({ minLength: 16, description: 'a secret the report and reply URL carries: SMSPartner does not sign its calls' }),
    base_url: Type.Optional(Type.String({ description: 'default https://api.smspartner.fr' })),
  },
  { additionalProperties: false },
);

export const smspartnerPlugin: ProviderPlugin = {
  provider: 'smspartner',
  settings: Settings,
  create(raw, { clock, publicUrl }) {
    const s = raw as Static<typeof Settings>;
    return new SmsPartnerConnector(
      {
        ...httpConnection(s, DEFAULTS),
        apiKey: s.api_key,
        baseUrl: (s.base_url ?? 'https://api.smspartner.fr').replace(/\/+$/, ''),
        range: s.range === 'low_cost' ? 2 : 1,
        webhookUrl: `${webhookUrl(publicUrl, 'smspartner', s.name)}?token=${encodeURIComponent(s.receipt_token)}`,
        token: s.receipt_token,
      },
      clock,
    );
  },
};
