import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DestinationQuality } from '../../app/quality.js';
import { NetworksSchema, RoutesSchema } from '../../config/file.js';
import { formatAmount } from '../../core/accounts/money.js';
import { costPerDelivered, QUALITY_MEMORY_DAYS } from '../../core/quality/counts.js';
import { SwitchboardError } from '../../core/errors.js';
import { BODY, errorResponses, KEYED, PathParam } from '../schemas.js';
import type { Services } from '../services.js';
import { DeliveryRate, rateOf, ReceiptLatency, receiptLatency, round } from './measured.js';
import { checkedRoutes } from './routing.js';

const Destination = Type.Object({
  country: Type.Union([Type.String(), Type.Null()], { description: 'ISO 3166 alpha-2; null when not known' }),
  network: Type.Union([Type.String(), Type.Null()], { description: 'MCC-MNC where the number ranges tell it (networks table); null otherwise' }),
  submits: Type.Integer(),
  delivered: Type.Integer(),
  undelivered: Type.Integer(),
  unknown: Type.Integer({ description: 'expired or unknown after the provider took them' }),
  delivery_rate: DeliveryRate,
  errors: Type.Record(Type.String(), Type.Integer(), { description: 'undelivered by canonical error code' }),
  receipt_latency: ReceiptLatency,
  cost: Type.String({ description: 'what the submits cost, at the route prices' }),
  cost_per_delivered: Type.Union([Type.String(), Type.Null()]),
  degraded: Type.Union([Type.Object({ reason: Type.String(), since: Type.String(), detail: Type.Record(Type.String(), Type.Number()) }), Type.Null()]),
});
const WINDOW = /^([1-9][0-9]{0,3})([hd])$/;

function destinationView(d: DestinationQuality) {
  const c = d.counts;
  const perDelivered = costPerDelivered(c);
  return {
    country: d.country,
    network: d.network,
    submits: c.submits,
    delivered: c.delivered,
    undelivered: c.undelivered,
    unknown: c.unknown,
    delivery_rate: rateOf(c),
    errors: c.errors,
    receipt_latency: receiptLatency(c),
    cost: formatAmount(c.cost),
    cost_per_delivered: perDelivered === null ? null : formatAmount(Math.round(perDelivered)),
    degraded: d.degradation && { reason: d.degradation.reason, since: new Date(d.degradation.since).toISOString(), detail: d.degradation.detail },
  };
}

/** Hours in a window written `24h` or `7d` (at most the counters' memory, 90 days). */
function windowHours(window: string): number {
  const m = WINDOW.exec(window);
  const hours = m ? Number(m[1]) * (m[2] === 'd' ? 24 : 1) : 0;
  if (hours < 1 || hours > QUALITY_MEMORY_DAYS * 24) throw new SwitchboardError('invalid_parameter', `window is a number of hours or days up to ${QUALITY_MEMORY_DAYS} days, e.g. 24h or 7d.`, { param: 'window' });
  return hours;
}

/** Measured quality per connection and destination, and what a proposed routing table would do with it. */
export const qualityRoutes = ({ quality, topology }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/connections/:name/quality',
      {
        schema: {
          summary: "A connection's measured quality per destination over a window: outcomes, errors, receipt latency, cost per delivered message, degradation",
          params: Type.Object({ name: PathParam() }),
          querystring: Type.Object(
            {
              country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166 alpha-2: only this destination country' })),
              window: Type.Optional(Type.String({ pattern: WINDOW.source, description: `hours or days back, e.g. 24h (default) or 7d; at most ${QUALITY_MEMORY_DAYS}d` })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ connection: Type.String(), window: Type.String(), destinations: Type.Array(Destination) }), ...errorResponses(...KEYED, 400, 404) },
        },
      },
      async (request) => {
        const { name } = request.params;
        if (!topology.connectors.has(name)) throw new SwitchboardError('not_found', `No connection is named ${JSON.stringify(name)}.`, { param: 'name' });
        const window = request.query.window ?? '24h';
        const destinations = await quality.connection(name, windowHours(window), request.query.country);
        return { connection: name, window, destinations: destinations.map(destinationView) };
      },
    );

    app.post(
      '/v1/routes/simulate',
      {
        schema: {
          summary: 'What a proposed routing table would have done with the last days of traffic, at the quality measured then: expected delivery rate, cost, and each connection\'s share',
          body: Type.Object(
            {
              routes: RoutesSchema,
              networks: Type.Optional(NetworksSchema),
              days: Type.Optional(Type.Integer({ minimum: 1, maximum: QUALITY_MEMORY_DAYS, description: 'days of traffic replayed (default 7)' })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              days: Type.Integer(),
              messages: Type.Integer({ description: 'messages counted to each destination over the days, whichever connection took them' }),
              expected_delivery_rate: Type.Union([Type.Number(), Type.Null()], { description: 'over the messages routed to a connection measured there' }),
              expected_delivered: Type.Number(),
              expected_cost: Type.String({ description: 'at the proposed table\'s prices' }),
              cost_per_delivered: Type.Union([Type.String(), Type.Null()]),
              unrouted: Type.Number({ description: 'messages no route would take on their country alone (routes matching on senders, accounts, types, prefixes or networks are passed over)' }),
              unmeasured: Type.Number({ description: 'messages routed to a connection never measured for their destination' }),
              connections: Type.Array(Type.Object({ connection: Type.String(), share: Type.Number(), messages: Type.Number(), expected_delivered: Type.Number(), expected_cost: Type.String() })),
            }),
            ...errorResponses(...KEYED, ...BODY),
          },
        },
      },
      async (request) => {
        const days = request.body.days ?? 7;
        const s = await quality.simulate(checkedRoutes(request.body, topology), days);
        return {
          days,
          messages: s.messages,
          expected_delivery_rate: round(s.deliveryRate),
          expected_delivered: Math.round(s.delivered * 10) / 10,
          expected_cost: formatAmount(Math.round(s.cost)),
          cost_per_delivered: s.delivered === 0 ? null : formatAmount(Math.round(s.cost / s.delivered)),
          unrouted: s.unrouted,
          unmeasured: Math.round(s.unmeasured * 10) / 10,
          connections: s.connections.map((c) => ({
            connection: c.connection,
            share: round(c.share)!,
            messages: Math.round(c.messages * 10) / 10,
            expected_delivered: Math.round(c.delivered * 10) / 10,
            expected_cost: formatAmount(Math.round(c.cost)),
          })),
        };
      },
    );
  };
