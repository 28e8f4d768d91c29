import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { authenticate } from './authenticate.js';
import { SwitchboardError } from '../core/errors.js';
import { allows, type Access } from '../core/access/scopes.js';
import { refuseAddress } from '../app/ip-allowlist.js';
import { routeAccess } from './access.js';
import { DOCUMENT_KEYWORD, documentOnly } from './document.js';
import { sendError } from './errors.js';
import { BODY_LIMIT_BYTES, parseJsonBody } from './json-body.js';
import { refuseUnstorable } from './unstorable.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { docsRoutes } from './routes/docs.js';
import { inboundRoutes } from './routes/inbound.js';
import { messageRoutes } from './routes/messages.js';
import { operationRoutes } from './routes/operations.js';
import { endpointRoutes } from './routes/endpoints.js';
import { optOutRoutes } from './routes/opt-outs.js';
import { verifiedNumberRoutes } from './routes/verified-numbers.js';
import { routingRoutes } from './routes/routing.js';
import { qualityRoutes } from './routes/quality.js';
import { keyRoutes } from './routes/keys.js';
import { accountRoutes } from './routes/accounts.js';
import { ledgerRoutes } from './routes/ledger.js';
import { credentialRoutes } from './routes/credentials.js';
import { smspartnerRoutes } from '../faces/smspartner/routes.js';
import { twilioRoutes } from '../faces/twilio/routes.js';
import { vonageRoutes } from '../faces/vonage/routes.js';
import { numberRoutes } from './routes/numbers.js';
import { lookupRoutes } from './routes/lookups.js';
import { usageRoutes } from './routes/usage.js';
import { sessionRoutes } from './routes/session.js';
import { messageExportRoutes } from './routes/message-export.js';
import { messageStreamRoutes } from './routes/message-stream.js';
import { overviewRoutes } from './routes/overview.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { webhookRoutes } from './routes/webhooks.js';
import type { RegisteredRoute, Services } from './services.js';

export interface ApiOptions {
  readonly logger: FastifyBaseLogger;
  /** Log every request (two lines each). Off by default: it costs throughput. */
  readonly logRequests: boolean;
  /** Whose X-Forwarded-For names the client (see Config.trustProxy); false: the connection's address is the client's. */
  readonly trustProxy?: boolean | number | string;
}


/** A number of trusted proxies as the function Fastify takes for it (its types take no number). */
function hops(trust: boolean | number | string): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/** Builds the HTTP API without listening, so tests can `inject` into it. */
export async function buildApi(services: Services, options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: !options.logRequests }),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: hops(options.trustProxy ?? false),
    // Fastify's own answer while closing is not in the canonical format: the onRequest hook below answers instead.
    return503OnClosing: false,
    // A malformed URL or an overlong path parameter is the caller's mistake, told in our format.
    frameworkErrors: (error, request, reply) => sendError(services.catalogue, request, reply, error),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false, keywords: [DOCUMENT_KEYWORD] } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('accountId', '');
  app.decorateRequest('caller', null);
  app.decorateRequest('session', null);
  // The API speaks JSON only: anything else is refused as unsupported_media_type.
  app.removeContentTypeParser('text/plain');
  // Read as bytes: a body that is not UTF-8 is refused, never decoded with U+FFFD in its place.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
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

  // Access is decided by the route the router matched, never by a test on the URL's text: a
  // route's access is fixed when it is registered (see access.ts), so an encoded or odd-cased
  // path that reaches a route meets that route's rule, and one that reaches none needs a key.
  const routeTable: RegisteredRoute[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (new Set(methods.map((m) => routeAccess(m, route.url))).size > 1) throw new Error(`${route.url}: one route, one access; register its methods apart`);
    const access = routeAccess(methods[0]!, route.url);
    route.config = { ...route.config, access };
    for (const method of methods) routeTable.push({ method, url: route.url, access });
  });
  app.addHook('onRequest', async (request) => {
    const access: Access = request.is404 ? 'key' : (request.routeOptions.config.access ?? 'admin');
    if (access === 'public') return;
    const caller = await authenticate(services, request);
    refuseAddress(caller.ipAllowlists, request.ip);
    if (!allows(caller.scopes, access)) {
      throw new SwitchboardError('insufficient_scope', `This operation needs a key with the \`${access}\` scope; this key holds: ${caller.scopes.join(', ')}.`);
    }
    request.accountId = caller.accountId;
    request.caller = caller;
    await services.rateLimits.check(caller.accountId, caller.apiRate);
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
  await app.register(qualityRoutes(services));
  await app.register(endpointRoutes(services));
  await app.register(optOutRoutes(services));
  await app.register(verifiedNumberRoutes(services));
  await app.register(keyRoutes(services));
  await app.register(accountRoutes(services));
  await app.register(ledgerRoutes(services));
  await app.register(credentialRoutes(services));
  await app.register(vonageRoutes(services));
  await app.register(twilioRoutes(services));
  await app.register(smspartnerRoutes(services));
  await app.register(numberRoutes(services));
  await app.register(lookupRoutes(services));
  await app.register(usageRoutes(services));
  await app.register(sessionRoutes(services));
  await app.register(messageStreamRoutes(services));
  await app.register(messageExportRoutes(services));
  await app.register(overviewRoutes(services));
  await app.register(dashboardRoutes());
  return app;
}
