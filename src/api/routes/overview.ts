import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { deliveryRate, MAX_OVERVIEW_HOURS, type Period } from '../../app/overview.js';
import { formatAmount } from '../../core/accounts/money.js';
import { errorResponses, KEYED } from '../schemas.js';
import type { Services } from '../services.js';

const HOUR_MS = 3_600_000;
const Counts = {
  messages: Type.Integer({ description: 'accepted in the period' }),
  delivered: Type.Integer(),
  failed: Type.Integer({ description: 'undelivered, failed, rejected or expired' }),
  unknown: Type.Integer({ description: 'ended with nobody knowing whether the handset got them' }),
  delivery_rate: Type.Union([Type.Number(), Type.Null()], { description: 'delivered / (delivered + failed); null while none has finished' }),
  charged: Type.String({ description: 'spent, in the account\'s currency' }),
};
const Group = (name: string) => Type.Object({ [name]: Type.Union([Type.String(), Type.Null()]), ...Counts });

/** What both reports open with (app/overview's Period): their span, each hour's counts and the total. */
const PeriodSchema = { from: Type.String(), to: Type.String(), hours: Type.Array(Type.Object({ hour: Type.String(), ...Counts })), total: Type.Object(Counts) };

const Hours = Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$', description: `1 to ${MAX_OVERVIEW_HOURS}, default 24` }));

const counts = (c: { messages: number; delivered: number; failed: number; unknown: number; charged: number }) => ({
  messages: c.messages,
  delivered: c.delivered,
  failed: c.failed,
  unknown: c.unknown,
  delivery_rate: deliveryRate(c),
  charged: formatAmount(c.charged),
});

const period = (r: Period) => ({
  from: new Date(r.from).toISOString(),
  to: new Date(r.to).toISOString(),
  hours: r.hours.map((h) => ({ hour: new Date(h.hour * HOUR_MS).toISOString(), ...counts(h.counts) })),
  total: counts(r.total),
});

/** The dashboard's overview (messages per hour and how they ended, the top errors, connections and countries) and its failures page. */
export const overviewRoutes = ({ overview, accounts }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/overview',
      {
        schema: {
          summary: 'Messages per hour, delivery rate, spend and the top canonical errors of the last hours, from counters kept as messages change (messages counted in the hour they were accepted)',
          querystring: Type.Object({ hours: Hours }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              ...PeriodSchema,
              errors: Type.Array(Type.Object({ code: Type.String(), failed: Type.Integer(), unknown: Type.Integer(), delivered: Type.Integer() }), { description: 'canonical errors, most failures first' }),
              connections: Type.Array(Group('connection')),
              countries: Type.Array(Group('country')),
            }),
            ...errorResponses(...KEYED, 400),
          },
        },
      },
      async (request) => {
        const r = await overview.report(request.accountId, request.query.hours === undefined ? 24 : Number(request.query.hours));
        return {
          ...period(r),
          errors: r.errors,
          connections: r.connections.map((g) => ({ connection: g.key, ...counts(g.counts) })),
          countries: r.countries.map((g) => ({ country: g.key, ...counts(g.counts) })),
        };
      },
    );

    app.get(
      '/v1/failures',
      {
        schema: {
          summary: 'Failures of the last hours by canonical error, provider code, connection, destination country and hour, narrowed to one country, connection or error; from the counters kept as messages change (messages counted in the hour they were accepted). GET /v1/messages takes the same filters (country, connection, error_code, since, until) to list the messages behind each figure',
          querystring: Type.Object(
            {
              hours: Hours,
              country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166 alpha-2' })),
              connection: Type.Optional(Type.String({ maxLength: 100 })),
              error_code: Type.Optional(Type.String({ maxLength: 100, description: 'a canonical error code' })),
              account: Type.Optional(Type.String({ description: 'a sub-account\'s id: its failures instead of the caller\'s' })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              ...PeriodSchema,
              errors: Type.Array(Group('code'), { description: 'canonical errors with failures, most first' }),
              provider_codes: Type.Array(Type.Object({ connection: Type.String(), code: Type.String({ description: 'the canonical error it was read as' }), provider_code: Type.String(), ...Counts }), {
                description: 'the providers\' own codes, per connection, most failures first',
              }),
              connections: Type.Array(Group('connection'), { description: 'connections with failures, most first' }),
              countries: Type.Array(Group('country'), { description: 'destination countries with failures, most first' }),
            }),
            ...errorResponses(...KEYED, 400, 404),
          },
        },
      },
      async (request) => {
        const q = request.query;
        const account = await accounts.actingOn(request.caller!, q.account);
        const r = await overview.failures(account, q.hours === undefined ? 24 : Number(q.hours), {
          ...(q.country && { country: q.country }),
          ...(q.connection && { connection: q.connection }),
          ...(q.error_code && { errorCode: q.error_code }),
        });
        return {
          ...period(r),
          errors: r.errors.map((g) => ({ code: g.key, ...counts(g.counts) })),
          provider_codes: r.providerCodes.map((g) => ({ connection: g.connection, code: g.code, provider_code: g.providerCode, ...counts(g.counts) })),
          connections: r.connections.map((g) => ({ connection: g.key, ...counts(g.counts) })),
          countries: r.countries.map((g) => ({ country: g.key, ...counts(g.counts) })),
        };
      },
    );
  };
