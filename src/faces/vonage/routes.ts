import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { toSwitchboardError } from '../../api/errors.js';
import { refuseAddress } from '../../app/ip-allowlist.js';
import type { Services } from '../../api/services.js';
import type { Message } from '../../core/message.js';
import { networkOf } from '../../core/routing/router.js';
import { requestParams } from '../params.js';
import { acceptedEntries, jsonAnswer, refusedEntry, xmlAnswer } from './answer.js';
import { authenticate } from './auth.js';
import { vonageSettings } from './credential.js';
import { sendRequest } from './send.js';
import { submitStatus } from './statuses.js';

const FORMATS = {
  json: { type: 'application/json', render: jsonAnswer },
  xml: { type: 'text/xml', render: xmlAnswer },
} as const;
type Format = keyof typeof FORMATS;

function formatOf(request: FastifyRequest): Format {
  return request.routeOptions.url?.endsWith('/xml') ? 'xml' : 'json';
}

/**
 * Vonage's SMS API (`/sms/json`, `/sms/xml`; GET or POST; parameters in the query, a form or
 * JSON), answered as Vonage answers: HTTP 200 and a `status` per entry, whatever happened. A
 * request is authenticated with the account's Vonage credential, then goes through the same
 * accept as the native API: validation, opt-outs, pricing and credit, routing.
 */
export const vonageRoutes = (services: Services): FastifyPluginAsync =>
  async (app) => {
    const send = (reply: FastifyReply, format: Format, body: string) => reply.code(200).type(FORMATS[format].type).serializer((text: string) => text).send(body);
    const refuse = (request: FastifyRequest, reply: FastifyReply, raw: Error, to: string | undefined) => {
      const error = toSwitchboardError(raw);
      const status = submitStatus(error.code, error.param);
      if (status === '5') request.log.error({ err: raw }, 'Vonage SMS API request failed');
      const format = formatOf(request);
      return send(reply, format, FORMATS[format].render([refusedEntry(status, error.message, to)]));
    };

    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    // Whatever fails before the handler (a body too large, a URL that cannot be read) answers in Vonage's format too.
    app.setErrorHandler((error, request, reply) => refuse(request, reply, error as Error, undefined));

    for (const format of Object.keys(FORMATS) as Format[]) {
      for (const method of ['GET', 'POST'] as const) {
        app.route({
          method,
          url: `/sms/${format}`,
          // Vonage's API, as its own reference documents it: not part of this server's document.
          schema: { hide: true },
          handler: async (request, reply) => {
            let to: string | undefined;
            try {
              const params = requestParams(request.url, request.headers['content-type'], Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
              to = params.to;
              const caller = await authenticate(services.credentials, services.clock, params, request.headers.authorization);
              // The account's address lists and API rate hold for its credentials as for its keys.
              refuseAddress(caller.ipAllowlists, request.ip);
              await services.rateLimits.check(caller.payer.accountId, caller.apiRate);
              const routes = services.topology.routes;
              const wanted = sendRequest(params, vonageSettings(caller.credential.settings), routes);
              const render = (messages: readonly Message[], remaining: number | null) =>
                FORMATS[format].render(acceptedEntries(messages[0]!, remaining, networkOf(routes, messages[0]!.to)));
              const result = await services.accept.accept(caller.payer, wanted, undefined, { protocol: 'vonage', face: `vonage:${caller.credential.id}`, render });
              return send(reply, format, result.body);
            } catch (error) {
              return refuse(request, reply, error as Error, to);
            }
          },
        });
      }
    }
  };
