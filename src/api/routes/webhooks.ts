import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, PathParam } from '../schemas.js';
import type { Services } from '../services.js';

/** Where providers call back: no API key (the provider signs its calls; see access.ts), the raw body kept for the signature. */
export const webhookRoutes = ({ webhooks, publicUrl }: Services): FastifyPluginAsync =>
  async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    app.route<{ Params: { provider: string; connection: string } }>({
      method: ['GET', 'POST'],
      url: '/v1/providers/:provider/:connection/receipts',
      schema: {
        summary: "A provider's delivery receipts and status callbacks, in the provider's own format",
        description: 'Authenticated by the provider\'s own signature, not an API key; not rate limited. Any body, in any media type, is passed to the connection\'s reader.',
        security: [],
        params: Type.Object({ provider: PathParam(), connection: PathParam() }),
        response: {
          200: Type.Object({ received: Type.Object({ receipts: Type.Integer(), inbound: Type.Integer() }) }, { description: 'What the call carried: receipts applied and inbound messages taken' }),
          ...errorResponses(400, 401, 404, 413, 503),
        },
      },
      handler: async (request) => {
        const headers: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        const result = await webhooks.receive(request.params.provider, request.params.connection, {
          method: request.method,
          url: publicUrl + request.url,
          headers,
          body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        });
        return { received: result };
      },
    });
  };
