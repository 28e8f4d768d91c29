import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseRoutes, RoutesSchema, routesToJson } from '../../config/file.js';
import { SwitchboardError } from '../../core/errors.js';
import { ErrorBody } from '../schemas.js';
import type { Services } from '../services.js';

const ConnectionView = Type.Object({
  name: Type.String(),
  provider: Type.String(),
  tps: Type.Number(),
  window: Type.Integer(),
  up: Type.Boolean({ description: 'its session is up on this node (always true for HTTP providers)' }),
  standby: Type.Boolean({ description: "other nodes hold all the binds the carrier allows: this node sends nothing through it" }),
  breaker: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half_open')]),
  available: Type.Boolean({ description: 'messages are routed to it' }),
  queued: Type.Integer({ description: 'messages waiting for it' }),
});

const Routes = Type.Object({ routes: RoutesSchema });

export const routingRoutes = ({ routing, connections }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/connections',
      { schema: { summary: "This node's connections and their live state", response: { 200: Type.Object({ connections: Type.Array(ConnectionView) }), 401: ErrorBody } } },
      async () => ({ connections: await connections() }),
    );

    app.get(
      '/v1/routes',
      { schema: { summary: 'The routing table in force', response: { 200: Routes, 401: ErrorBody } } },
      async () => ({ routes: routesToJson(routing.routes) }),
    );

    app.put(
      '/v1/routes',
      {
        schema: {
          summary: 'Replace the routing table, at once and for every new message; kept over restarts until the configuration file changes',
          body: Routes,
          response: { 200: Routes, 400: ErrorBody, 401: ErrorBody },
        },
      },
      async (request) => {
        const names = new Set((await connections()).map((c) => c.name));
        const parsed = parseRoutes(request.body.routes, names);
        if ('problems' in parsed) {
          const [first] = parsed.problems;
          throw new SwitchboardError('invalid_parameter', `The routing table is not valid: ${parsed.problems.join('; ')}.`, { param: first!.split(':')[0]! });
        }
        await routing.replace(parsed.routes);
        return { routes: routesToJson(routing.routes) };
      },
    );
  };
