import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, KEYED } from '../schemas.js';
import { SwitchboardError } from '../../core/errors.js';
import type { Services } from '../services.js';

export const operationRoutes = (services: Services): FastifyPluginAsync =>
  async (app) => {
    app.get('/healthz', { schema: { summary: 'Whether this node can take traffic', security: [], response: { 200: Type.Object({ status: Type.Literal('ok') }), ...errorResponses(503) } } }, async () => {
      try {
        await services.store.ping();
      } catch {
        throw new SwitchboardError('service_unavailable', 'The node cannot reach its storage.');
      }
      return { status: 'ok' };
    });

    app.get('/metrics', { schema: { summary: 'Prometheus metrics (an admin key)', response: { 200: { description: 'Prometheus text exposition', content: { 'text/plain': { schema: Type.String() } } }, ...errorResponses(...KEYED) } } }, async (_request, reply) => {
      const { contentType, body } = await services.metricsText();
      return reply.type(contentType).send(body);
    });

    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  };
