import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { SwitchboardError } from '../core/errors.js';
import { DOCUMENT_KEYWORD, documentOnly } from './document.js';
import { sendError } from './errors.js';
import { refuseUnstorable } from './unstorable.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { docsRoutes } from './routes/docs.js';
import { inboundRoutes } from './routes/inbound.js';
import { messageRoutes } from './routes/messages.js';
import { operationRoutes } from './routes/operations.js';
import { endpointRoutes } from './routes/endpoints.js';
import { optOutRoutes } from './routes/opt-outs.js';
import { routingRoutes } from './routes/routing.js';
import { WEBHOOK_PATH, webhookRoutes } from './routes/webhooks.js';
import type { Services } from './services.js';

export interface ApiOptions {
  readonly logger: FastifyBaseLogger;
  /** Log every request (two lines each). Off by default: it costs throughput. */
  readonly logRequests: boolean;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Builds the HTTP API without listening, so tests can `inject` into it. */
export async function buildApi(services: Services, options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: !options.logRequests }),
    bodyLimit: 1024 * 1024,
    // Fastify's own answer while closing is not in the canonical format: the onRequest hook below answers instead.
    return503OnClosing: false,
    // A malformed URL or an overlong path parameter is the caller's mistake, told in our format.
    frameworkErrors: (error, request, reply) => sendError(services.catalogue, request, reply, error),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false, keywords: [DOCUMENT_KEYWORD] } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('accountId', '');
  // The API speaks JSON only: anything else is refused as unsupported_media_type.
  app.removeContentTypeParser('text/plain');
  // Clients often label a POST without a body (cancel) as JSON: an empty body is no body.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => (body === '' ? done(null, undefined) : parseJson(request, body as string, done)));
  app.setErrorHandler((error, request, reply) => sendError(services.catalogue, request, reply, error as Error));
  app.setNotFoundHandler((request, reply) =>
    sendError(services.catalogue, request, reply, new SwitchboardError('not_found', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Switchboard', version: '0.1.0', description: 'One API to send, schedule, cancel and track SMS through many providers.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: ({ schema, url }) => ({ schema: documentOnly(schema) as typeof schema, url }),
  });

  // Requests already on an open connection when the node starts closing are turned away, so
  // that a load balancer sends them elsewhere.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    throw new SwitchboardError('service_unavailable', 'This node is shutting down; send the request to another node or retry shortly.');
  });

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/v1/') || WEBHOOK_PATH.test(request.url)) return;
    const header = request.headers.authorization;
    if (!header) throw new SwitchboardError('missing_api_key', 'Send your API key in the `Authorization: Bearer <key>` header.');
    const key = BEARER.exec(header)?.[1];
    if (!key) throw new SwitchboardError('invalid_api_key', 'The Authorization header must be `Bearer <key>`.');
    request.accountId = await services.keys.authenticate(key);
    await services.rateLimits.check(request.accountId);
  });

  // Before the schemas: no string that cannot be stored as sent goes further, whatever the route.
  app.addHook('preValidation', async (request) => refuseUnstorable(request));

  await app.register(messageRoutes(services));
  await app.register(inboundRoutes(services));
  await app.register(catalogueRoutes(services));
  await app.register(docsRoutes(services));
  await app.register(operationRoutes(services));
  await app.register(webhookRoutes(services));
  await app.register(routingRoutes(services));
  await app.register(endpointRoutes(services));
  await app.register(optOutRoutes(services));
  return app;
}
