import { Type, type Static } from 'typebox';
import { httpConnection, httpConnectionFields, webhookUrl } from '../http/settings.js';
import type { ProviderPlugin } from '../plugin.js';
import { InfobipConnector } from './connector.js';

/** Defaults for this provider's connections. */
const DEFAULTS = { tps: 20, window: 20 };

const Settings = Type.Object(
  {
    ...httpConnectionFields('infobip', DEFAULTS),
    api_key: Type.String({ minLength: 1 }),
    base_url: Type.String({ minLength: 1, description: "the account's base URL, https://<id>.api.infobip.com" }),
    receipt_token: Type.String({ minLength: 16, description: 'a secret the notify URL carries: Infobip does not sign its reports' }),
    api_version: Type.Optional(Type.Union([Type.Literal(2), Type.Literal(3)], { description: 'the send API: 2 (/sms/2/text/advanced, default) or 3 (/sms/3/messages)' })),
  },
  { additionalProperties: false },
);

export const infobipPlugin: ProviderPlugin = {
  provider: 'infobip',
  settings: Settings,
  create(raw, { clock, publicUrl }) {
    const s = raw as Static<typeof Settings>;
    return new InfobipConnector(
      {
        ...httpConnection(s, DEFAULTS),
        apiKey: s.api_key,
        baseUrl: s.base_url.replace(/\/+$/, ''),
        apiVersion: s.api_version ?? 2,
        notifyUrl: `${webhookUrl(publicUrl, 'infobip', s.name)}?token=${encodeURIComponent(s.receipt_token)}`,
        token: s.receipt_token,
      },
      clock,
    );
  },
};
