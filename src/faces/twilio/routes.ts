import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { toSwitchboardError } from '../../api/errors.js';
import type { Services } from '../../api/services.js';
import type { FaceCaller } from '../../app/credentials.js';
import { refuseAddress } from '../../app/ip-allowlist.js';
import { SwitchboardError } from '../../core/errors.js';
import type { Message } from '../../core/message.js';
import { requestParams } from '../params.js';
import { authenticate } from './auth.js';
import { HTTP_STATUSES, twilioCode } from './codes.js';
import { messagePage } from './page.js';
import { messageResource } from './resource.js';
import { sendRequest } from './send.js';
import { messageIdOf } from './sid.js';

type Params = { AccountSid: string; Sid?: string };

const PREFIX = '/2010-04-01/Accounts/:AccountSid';

/**
 * Twilio's Messages API (`/2010-04-01/Accounts/{AccountSid}/Messages.json`): create, fetch,
 * list and cancel, form-encoded in, Twilio's JSON out, refusals as Twilio's error JSON with its
 * codes. A request is authenticated with the account's Twilio credential, then goes through the
 * same services as the native API: accept (validation, opt-outs, pricing, routing), read, cancel.
 */
export const twilioRoutes = (services: Services): FastifyPluginAsync =>
  async (app) => {
    const json = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type('application/json').serializer((text: string) => text).send(JSON.stringify(body));
    const refuse = (request: FastifyRequest, reply: FastifyReply, raw: Error) => {
      const error = toSwitchboardError(raw);
      const code = twilioCode(error.code, error.param);
      const status = HTTP_STATUSES[code] ?? 400;
      if (status >= 500) request.log.error({ err: raw }, 'Twilio Messages API request failed');
      return json(reply, status, { code: Number(code), message: error.message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    };

    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    // Whatever fails before the handler (a body too large, a URL that cannot be read) answers in Twilio's format too.
    app.setErrorHandler((error, request, reply) => refuse(request, reply, error as Error));

    /** Parameters and caller of a request, the account's address lists and API rate held as for its keys. */
    async function open(request: FastifyRequest): Promise<{ params: Record<string, string>; caller: FaceCaller; accountSid: string }> {
      const { AccountSid: accountSid } = request.params as Params;
      const params = requestParams(request.url, request.headers['content-type'], Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
      const caller = await authenticate(services.credentials, accountSid, request.headers.authorization);
      refuseAddress(caller.ipAllowlists, request.ip);
      await services.rateLimits.check(caller.payer.accountId, caller.apiRate);
      return { params, caller, accountSid };
    }

    function messageId(request: FastifyRequest): string {
      const sid = /^(.*)\.json$/.exec((request.params as Params).Sid ?? '')?.[1] ?? '';
      const id = messageIdOf(sid);
      if (!id) throw new SwitchboardError('message_not_found', `The requested resource ${request.url.split('?')[0]} was not found`, { param: 'Sid' });
      return id;
    }

    const route = (method: 'GET' | 'POST', url: string, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
      // Twilio's API, as its own reference documents it: not part of this server's document.
      app.route({ method, url, schema: { hide: true }, handler: async (request, reply) => handler(request, reply).catch((error: Error) => refuse(request, reply, error)) });

    route('POST', `${PREFIX}/Messages.json`, async (request, reply) => {
      const { params, caller, accountSid } = await open(request);
      const render = (messages: readonly Message[]) => JSON.stringify(messageResource(messages[0]!, accountSid));
      const result = await services.accept.accept(caller.payer, sendRequest(params), undefined, { protocol: 'twilio', face: `twilio:${caller.credential.id}`, render });
      return reply.code(201).type('application/json').serializer((text: string) => text).send(result.body);
    });

    route('GET', `${PREFIX}/Messages.json`, async (request, reply) => {
      const { params, caller, accountSid } = await open(request);
      return json(reply, 200, await messagePage(services.messages, caller.payer.accountId, accountSid, params));
    });

    route('GET', `${PREFIX}/Messages/:Sid`, async (request, reply) => {
      const { caller, accountSid } = await open(request);
      const { message } = await services.messages.get(caller.payer.accountId, messageId(request));
      return json(reply, 200, messageResource(message, accountSid));
    });

    // Updating a message: only canceling a scheduled one (Status=canceled), as Twilio allows.
    route('POST', `${PREFIX}/Messages/:Sid`, async (request, reply) => {
      const { params, caller, accountSid } = await open(request);
      const id = messageId(request);
      if (params.Status !== 'canceled') throw new SwitchboardError('invalid_parameter', 'Only Status=canceled is supported: a message is canceled before it is sent.', { param: 'Status' });
      return json(reply, 200, messageResource(await services.messages.cancel(caller.payer.accountId, id), accountSid));
    });
  };
