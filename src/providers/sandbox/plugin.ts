import { Type, type Static } from 'typebox';
import { tpsOf, tpsSetting, type ProviderPlugin } from '../plugin.js';
import { seeded } from '../../core/quality/random.js';
import { SandboxConnector } from './connector.js';
import { DestinationsSetting, profilesOf } from './destinations.js';

const Settings = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    provider: Type.Literal('sandbox'),
    receipt_delay_ms: Type.Optional(Type.Integer({ minimum: 0, description: 'Delay before the delivery receipt (default 200)' })),
    tps: tpsSetting('submits', 'unlimited'),
    window: Type.Optional(Type.Integer({ minimum: 1, description: 'Submits awaiting an answer at once (default 1000)' })),
    destinations: DestinationsSetting,
    seed: Type.Optional(Type.Integer({ minimum: 0, description: 'seeds the draws of the destinations\' delivery rates (default: random)' })),
  },
  { additionalProperties: false },
);

export const sandboxPlugin: ProviderPlugin = {
  provider: 'sandbox',
  settings: Settings,
  create(raw, { clock }) {
    const s = raw as Static<typeof Settings>;
    return new SandboxConnector({
      name: s.name,
      clock,
      ...(s.receipt_delay_ms !== undefined && { receiptDelayMs: s.receipt_delay_ms }),
      ...(s.tps !== undefined && { tps: tpsOf(s.tps, Number.POSITIVE_INFINITY) }),
      ...(s.window !== undefined && { window: s.window }),
      ...(s.destinations && { destinations: profilesOf(s.destinations) }),
      ...(s.seed !== undefined && { random: seeded(s.seed) }),
    });
  },
};
