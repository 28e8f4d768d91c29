import { Type } from 'typebox';
import { tpsOf, tpsSetting } from '../plugin.js';
import type { HttpConnectionSettings } from './connector.js';

/** The settings every HTTP connection has, with the provider's defaults in their descriptions. */
export function httpConnectionFields(provider: string, defaults: { tps: number; window: number }) {
  return {
    name: Type.String({ minLength: 1 }),
    provider: Type.Literal(provider),
    tps: tpsSetting('requests', defaults.tps),
    window: Type.Optional(Type.Integer({ minimum: 1, description: `requests in flight, default ${defaults.window}` })),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 100, description: 'default 10000' })),
  };
}

/** A connection's common settings, defaults applied. */
export function httpConnection(
  s: { name: string; tps?: number; window?: number; timeout_ms?: number },
  defaults: { tps: number; window: number },
): HttpConnectionSettings {
  return { name: s.name, tps: tpsOf(s.tps, defaults.tps), window: s.window ?? defaults.window, timeoutMs: s.timeout_ms ?? 10_000 };
}

/** Where a provider calls back for a connection of this server. */
export function webhookUrl(publicUrl: string, provider: string, name: string): string {
  return `${publicUrl}/v1/providers/${provider}/${encodeURIComponent(name)}/receipts`;
}
