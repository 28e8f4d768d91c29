import { Type, type Static } from 'typebox';
import type { ProviderPlugin } from '../plugin.js';
import { TwilioConnector } from './connector.js';

const Settings = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    provider: Type.Literal('twilio'),
    account_sid: Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' }),
    auth_token: Type.String({ minLength: 1 }),
    messaging_service_sid: Type.Optional(Type.String({ pattern: '^MG[0-9a-fA-F]{32}$' })),
    base_url: Type.Optional(Type.String({ description: 'default https://api.twilio.com' })),
    tps: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'default 10' })),
    window: Type.Optional(Type.Integer({ minimum: 1, description: 'requests in flight, default 20' })),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 100, description: 'default 10000' })),
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
        name: s.name,
        accountSid: s.account_sid,
        authToken: s.auth_token,
        messagingServiceSid: s.messaging_service_sid,
        baseUrl: (s.base_url ?? 'https://api.twilio.com').replace(/\/+$/, ''),
        statusCallback: `${publicUrl}/v1/providers/twilio/${encodeURIComponent(s.name)}/receipts`,
        tps: s.tps ?? 10,
        window: s.window ?? 20,
        timeoutMs: s.timeout_ms ?? 10_000,
      },
      clock,
    );
  },
};
