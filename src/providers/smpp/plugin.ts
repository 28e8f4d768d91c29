import { Type, type Static } from 'typebox';
import { tpsOf, tpsSetting, type ProviderPlugin } from '../plugin.js';
import { SmppConnector } from './connector.js';

const Settings = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    provider: Type.Literal('smpp'),
    host: Type.String({ minLength: 1 }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'default 2775' })),
    system_id: Type.String({ maxLength: 15 }),
    password: Type.String({ maxLength: 8 }),
    system_type: Type.Optional(Type.String({ maxLength: 12 })),
    bind_mode: Type.Optional(Type.Union([Type.Literal('transceiver'), Type.Literal('transmitter_receiver')], { description: 'default transceiver' })),
    window: Type.Optional(Type.Integer({ minimum: 1, description: 'outstanding submit_sm per session, default 10' })),
    tps: tpsSetting('submits', 50),
    source_ton: Type.Optional(Type.Integer({ minimum: 0, maximum: 6 })),
    source_npi: Type.Optional(Type.Integer({ minimum: 0, maximum: 18 })),
    dest_ton: Type.Optional(Type.Integer({ minimum: 0, maximum: 6, description: 'default 1 (international)' })),
    dest_npi: Type.Optional(Type.Integer({ minimum: 0, maximum: 18, description: 'default 1 (E.164)' })),
    data_coding: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1)], { description: 'data_coding for GSM 7-bit text, default 0' })),
    long_messages: Type.Optional(Type.Union([Type.Literal('udh'), Type.Literal('payload')], { description: 'default udh' })),
    max_binds: Type.Optional(
      Type.Integer({ minimum: 1, description: "binds the carrier allows for the account, all nodes together (a transmitter and a receiver count 2); default unlimited" }),
    ),
    enquire_link_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'default 30' })),
    response_timeout_ms: Type.Optional(Type.Integer({ minimum: 100, description: 'default 10000' })),
    reconnect_min_ms: Type.Optional(Type.Integer({ minimum: 10, description: 'default 1000' })),
    reconnect_max_ms: Type.Optional(Type.Integer({ minimum: 10, description: 'default 60000' })),
    test_numbers: Type.Optional(Type.Boolean({ description: "accept the sandbox's reserved test range (for the SMSC simulator only), default false" })),
  },
  { additionalProperties: false },
);

export type SmppConnectionSettings = Static<typeof Settings>;

export const smppPlugin: ProviderPlugin = {
  provider: 'smpp',
  settings: Settings,
  create(raw, { clock }) {
    const s = raw as SmppConnectionSettings;
    return new SmppConnector(
      {
        name: s.name,
        host: s.host,
        port: s.port ?? 2775,
        systemId: s.system_id,
        password: s.password,
        systemType: s.system_type ?? '',
        bindMode: s.bind_mode ?? 'transceiver',
        maxBinds: s.max_binds ?? Number.POSITIVE_INFINITY,
        window: s.window ?? 10,
        tps: tpsOf(s.tps, 50),
        sourceTon: s.source_ton,
        sourceNpi: s.source_npi,
        destTon: s.dest_ton ?? 1,
        destNpi: s.dest_npi ?? 1,
        gsmDataCoding: s.data_coding ?? 0,
        longMessages: s.long_messages ?? 'udh',
        enquireLinkMs: (s.enquire_link_seconds ?? 30) * 1000,
        responseTimeoutMs: s.response_timeout_ms ?? 10_000,
        reconnectMinMs: s.reconnect_min_ms ?? 1000,
        reconnectMaxMs: s.reconnect_max_ms ?? 60_000,
        testNumbers: s.test_numbers ?? false,
      },
      clock,
    );
  },
};
