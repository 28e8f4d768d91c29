import { Type, type Static } from 'typebox';
import { httpConnection, httpConnectionFields, webhookUrl } from '../http/settings.js';
import type { ProviderPlugin } from '../plugin.js';
import { TwilioConnector } from './connector.js';

/** Defaults for this provider's connections. */
const DEFAULTS = { tps: 10, window: 20 };

const Settings = Type.Object(
  {
    ...httpConnectionFields('twilio', DEFAULTS),
    account_sid: Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' }),
    auth_token: Type.String({ minLength: 1 }),
    messaging_service_sid: Type.Optional(Type.String({ pattern: '^MG[0-9a-fA-F]{32}$' })),
    base_url: Type.Optional(Type.String({ description: 'default https://api.twilio.com' })),
  },
  { additionalProperties: false },
);

export const twilioPlugin: ProviderPlugin = {
  provider: 'twilio',
  settings: Settings,
  create(raw, { clock, publicUrl }) {
    const s = raw as Static<typeof Settings>;
    return new TwilioConnector(
      {
        ...httpConnection(s, DEFAULTS),
        accountSid: s.account_sid,
        authToken: s.auth_token,
        messagingServiceSid: s.messaging_service_sid,
        baseUrl: (s.base_url ?? 'https://api.twilio.com').replace(/\/+$/, ''),
        statusCallback: webhookUrl(publicUrl, 'twilio', s.name),
      },
      clock,
    );
  },
};
