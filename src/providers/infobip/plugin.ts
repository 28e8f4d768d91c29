import { Type, type Static } from 'typebox';
import type { ProviderPlugin } from '../plugin.js';
import { InfobipConnector } from './connector.js';

const Settings = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    provider: Type.Literal('infobip'),
    api_key: Type.String({ minLength: 1 }),
    base_url: Type.String({ minLength: 1, description: "the account's base URL, https://<id>.api.infobip.com" }),
    receipt_token: Type.String({ minLength: 16, description: 'a secret the notify URL carries: Infobip does not sign its reports' }),
    tps: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'default 20' })),
    window: Type.Optional(Type.Integer({ minimum: 1, description: 'default 20' })),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 100, description: 'default 10000' })),
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
        name: s.name,
        apiKey: s.api_key,
        baseUrl: s.base_url.replace(/\/+$/, ''),
        notifyUrl: `${publicUrl}/v1/providers/infobip/${encodeURIComponent(s.name)}/receipts?token=${encodeURIComponent(s.receipt_token)}`,
        token: s.receipt_token,
        tps: s.tps ?? 20,
        window: s.window ?? 20,
        timeoutMs: s.timeout_ms ?? 10_000,
      },
      clock,
    );
  },
};
