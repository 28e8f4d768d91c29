import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { factsView, type LookupResult } from '../../app/lookups.js';
import type { StoredLookup } from '../../app/store.js';
import { formatAmount } from '../../core/accounts/money.js';
import { BODY, errorResponses, IdParams, KEYED, MessageErrorSchema } from '../schemas.js';
import type { Services } from '../services.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const liveFields = {
  id: Type.String(),
  number: Type.String(),
  at: Type.String(),
  connection: Type.String(),
  provider: Type.String(),
  reachability: Type.Union([Type.Literal('reachable'), Type.Literal('absent'), Type.Literal('unreachable'), Type.Literal('unknown'), Type.Literal('pending')], {
    description: 'pending: the provider posts its answer later; GET /v1/lookups/{id} shows it',
  }),
  network: Nullable(Type.String({ description: 'MCC-MNC of the network the number is on now' })),
  ported: Nullable(Type.Boolean()),
  roaming: Nullable(Type.Boolean()),
  error: MessageErrorSchema,
  price: Nullable(Type.String({ description: 'what it was charged; null: the account is not charged' })),
  answer: Type.Unknown({ description: "the provider's answer for the number, as received" }),
};
const LiveView = Type.Object(liveFields);

const LookupView = Type.Object({
  number: Type.String(),
  valid: Type.Boolean(),
  type: Nullable(Type.String({ description: 'mobile, fixed_line, fixed_line_or_mobile, voip, toll_free...' })),
  country: Nullable(Type.String()),
  carrier: Nullable(Type.String({ description: 'the carrier the range was allocated to' })),
  time_zones: Type.Array(Type.String()),
  live: Nullable(Type.Object({ ...liveFields, cached: Type.Boolean({ description: 'answered from an earlier lookup of the account within the TTL, not charged again' }) })),
  live_error: MessageErrorSchema,
});

const liveView = (l: StoredLookup) => ({
  id: l.id,
  number: l.number,
  at: new Date(l.at).toISOString(),
  connection: l.connection,
  provider: l.provider,
  reachability: l.reachability,
  network: l.network,
  ported: l.ported,
  roaming: l.roaming,
  error: l.error,
  price: l.price === null ? null : formatAmount(l.price),
  answer: l.raw,
});

const view = ({ facts, live, liveError }: LookupResult) => ({
  ...factsView(facts),
  live: live && { ...liveView(live), cached: live.cached },
  live_error: liveError,
});

/** Number lookups: the numbering plan's facts, and live (HLR) lookups through a connection. */
export const lookupRoutes = ({ lookups }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/lookups',
      {
        schema: {
          summary: 'Look up one number or up to 1,000: validity, line type, country, range carrier and time zones, free; with live, what the network says now (charged)',
          body: Type.Object(
            {
              numbers: Type.Union([Type.String({ maxLength: 100 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 1000 })], { description: 'E.164 numbers' }),
              live: Type.Optional(Type.Boolean({ description: 'also look each valid number up live (HLR), charged at the account\'s lookup price; default false' })),
              connection: Type.Optional(Type.String({ maxLength: 100, description: 'the connection to look up through; default the first that offers live lookups' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ lookups: Type.Array(LookupView) }), ...errorResponses(...KEYED, ...BODY, 402, 422, 424) },
        },
      },
      async (request) => {
        const b = request.body;
        const numbers = typeof b.numbers === 'string' ? [b.numbers] : b.numbers;
        const results = await lookups.lookup(request.caller!, numbers, { live: b.live ?? false, ...(b.connection !== undefined && { connection: b.connection }) });
        return { lookups: results.map(view) };
      },
    );

    app.get(
      '/v1/lookups/:id',
      { schema: { summary: 'A live lookup, with the provider\'s answer', params: IdParams, response: { 200: LiveView, ...errorResponses(...KEYED, 400, 404) } } },
      async (request) => liveView(await lookups.get(request.caller!.accountId, request.params.id)),
    );
  };
