import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NetworksSchema, parseRoutes, RoutesSchema, routingToJson } from '../../config/file.js';
import { SwitchboardError } from '../../core/errors.js';
import { BODY, errorResponses, KEYED, PathParam } from '../schemas.js';
import type { Services } from '../services.js';
import type { Route } from '../../core/routing/router.js';
import type { ConnectionView as ConnectionState } from '../../app/topology.js';
import { DeliveryRate, rateOf, ReceiptLatency, receiptLatency } from './measured.js';

const ConnectionView = Type.Object({
  name: Type.String(),
  provider: Type.String(),
  tps: Type.Union([Type.Number(), Type.Null()], { description: 'submits per second at most; null when the connection has no limit' }),
  window: Type.Integer(),
  up: Type.Boolean({ description: 'its session is up on this node (always true for HTTP providers)' }),
  standby: Type.Boolean({ description: 'other nodes hold all the binds the carrier allows: this node sends nothing through it' }),
  breaker: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half_open')]),
  available: Type.Boolean({ description: 'messages are routed to it' }),
  queued: Type.Integer({ description: 'messages waiting for it' }),
  tps_used: Type.Number({ description: 'submits per second from this node over the last minute' }),
  delivery_rate: DeliveryRate,
  receipt_latency: ReceiptLatency,
}, { description: 'delivery_rate and receipt_latency over the quality window (SWITCHBOARD_QUALITY_WINDOW_HOURS), every destination and node' });

function connectionView({ sentPerSecond, quality, ...view }: ConnectionState) {
  return {
    ...view,
    tps_used: Math.round(sentPerSecond * 1000) / 1000,
    delivery_rate: quality ? rateOf(quality) : null,
    receipt_latency: quality ? receiptLatency(quality) : { p50: null, p95: null },
  };
}

/** A routing table given through the API, checked against the connections there are; a bad one answers invalid_parameter naming where. */
export function checkedRoutes(body: { routes: unknown; networks?: unknown }, topology: Services['topology']): Route[] {
  const parsed = parseRoutes(body.routes, body.networks, new Set(topology.connectors.keys()));
  if ('problems' in parsed) {
    const [first] = parsed.problems;
    throw new SwitchboardError('invalid_parameter', `The routing table is not valid: ${parsed.problems.join('; ')}.`, { param: first!.split(':')[0]! });
  }
  return parsed.routes;
}

const Routes = Type.Object({ routes: RoutesSchema, networks: Type.Optional(NetworksSchema) });
const Name = Type.Object({ name: PathParam() });

/** Connections and routes, read and changed at run time. */
export const routingRoutes = ({ topology, accept }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/connections',
      { schema: { summary: "This node's connections and their live state", response: { 200: Type.Object({ connections: Type.Array(ConnectionView) }), ...errorResponses(...KEYED) } } },
      async () => ({ connections: (await topology.views()).map(connectionView) }),
    );

    app.put(
      '/v1/connections/:name',
      {
        schema: {
          summary: "Add a connection, or replace its settings (the provider's settings, as in the configuration file); kept over restarts until the file changes",
          params: Name,
          body: Type.Object({ provider: Type.String(), name: Type.Optional(Type.String()) }, { additionalProperties: true }),
          response: { 200: ConnectionView, ...errorResponses(...KEYED, ...BODY) },
        },
      },
      async (request) => {
        if (request.body.name !== undefined && request.body.name !== request.params.name) {
          throw new SwitchboardError('invalid_parameter', 'The name is the one of the path.', { param: 'name' });
        }
        const connector = await topology.putConnection({ ...request.body, name: request.params.name });
        return connectionView((await topology.views()).find((c) => c.name === connector.name)!);
      },
    );

    app.delete('/v1/connections/:name', { schema: { summary: 'Remove a connection no route sends through and no queued or scheduled message waits for', params: Name, response: { 204: Type.Null(), ...errorResponses(...KEYED, ...BODY, 404) } } }, async (request, reply) => {
      await topology.deleteConnection(request.params.name);
      return reply.code(204).send(null);
    });

    app.get('/v1/routes', { schema: { summary: 'The routing table in force', response: { 200: Routes, ...errorResponses(...KEYED) } } }, async () => routingToJson(topology.routes));

    app.put(
      '/v1/routes',
      {
        schema: {
          summary: 'Replace the routing table, at once and for every new message; kept over restarts until the configuration file changes',
          body: Routes,
          response: { 200: Routes, ...errorResponses(...KEYED, ...BODY) },
        },
      },
      async (request) => {
        await topology.replaceRoutes(checkedRoutes(request.body, topology));
        return routingToJson(topology.routes);
      },
    );

    app.get(
      '/v1/routes/decision',
      {
        schema: {
          summary: 'Which route and connection a message would take now, and why; nothing is sent',
          querystring: Type.Object({ to: Type.String({ maxLength: 32 }), from: Type.Optional(Type.String({ maxLength: 32 })), type: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
          response: { 200: Type.Object({ route: Type.String(), chain: Type.Array(Type.String()), connection: Type.String(), reason: Type.String() }), ...errorResponses(...KEYED, 400, 422) },
        },
      },
      async (request) => {
        const { to, from = 'Switchboard', type } = request.query;
        const d = await accept.whichRoute(request.accountId, { to, from, ...(type !== undefined && { type }) });
        return { route: d.name, chain: [...d.chain], connection: d.connection, reason: d.reason };
      },
    );
  };
