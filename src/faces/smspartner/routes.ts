import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { toSwitchboardError } from '../../api/errors.js';
import type { Services } from '../../api/services.js';
import type { FaceCaller } from '../../app/credentials.js';
import { refuseAddress } from '../../app/ip-allowlist.js';
import { allowsProtocol } from '../../core/access/protocols.js';
import { SwitchboardError } from '../../core/errors.js';
import { requestParams } from '../params.js';
import { addCredit, createSubaccount, listSubaccounts, me } from './accounts.js';
import { formatOf, render, type Answer, type AnswerValue, type Format } from './answer.js';
import { authenticate } from './auth.js';
import { HTTP_STATUSES, refusalOf } from './codes.js';
import { verifyNumbers } from './hlr.js';
import { NESTED } from './nested.js';
import { bulkSend, cancelSend, singleSend } from './sending.js';
import { addStop, deleteStop, listStops } from './stops.js';
import { messageOf, sendOf, statusEntry, statusFields, statusList } from './status.js';

type Params = Readonly<Record<string, string>>;
type Handler = (params: Params, caller: FaceCaller) => Promise<Record<string, AnswerValue>>;

function required(params: Params, name: string, what: string): string {
  const value = params[name];
  if (!value) throw new SwitchboardError('missing_parameter', `${what} is required.`, { param: name });
  return value;
}

/**
 * SMSPartner's API (api.smspartner.fr/v1: send, bulk send, cancel, status, credit, sub-accounts,
 * STOP list, number verification), answered as SMSPartner answers: `success`, `code` and its fields, JSON or XML
 * (`_format=xml`), refusals with its control codes. A request is authenticated by its `apiKey`,
 * the account's SMSPartner credential, then goes through the same services as the native API.
 */
export const smspartnerRoutes = (services: Services): FastifyPluginAsync =>
  async (app) => {
    const answer = (reply: FastifyReply, format: Format, status: number, fields: Answer) => {
      const { type, body } = render(format, fields);
      return reply.code(status).type(type).serializer((text: string) => text).send(body);
    };
    const refuse = (request: FastifyRequest, reply: FastifyReply, raw: Error, format: Format) => {
      const error = toSwitchboardError(raw);
      const { code, field } = refusalOf(error);
      if (code === '500') request.log.error({ err: raw }, 'SMSPartner API request failed');
      // A refused constraint names its field as SMSPartner's `errors[]` does.
      const errors: Answer = code === '9' && field !== undefined ? { errors: [{ elementId: `children[${field}].data`, message: error.message }] } : {};
      return answer(reply, format, HTTP_STATUSES[code] ?? 200, { success: false, code: Number(code), message: error.message, ...errors });
    };
    const queryFormat = (request: FastifyRequest) => formatOf((request.query ?? {}) as Params);

    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    // Whatever fails before the handler (a body too large, a URL that cannot be read) answers in SMSPartner's format too.
    app.setErrorHandler((error, request, reply) => refuse(request, reply, error as Error, queryFormat(request)));

    const route = (method: 'GET' | 'POST', url: string, handler: Handler) =>
      app.route({
        method,
        url,
        // SMSPartner's API, as its own reference documents it: not part of this server's document.
        schema: { hide: true },
        handler: async (request, reply) => {
          let format = queryFormat(request);
          try {
            const params = requestParams(request.url, request.headers['content-type'], Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0), NESTED);
            format = formatOf(params);
            const caller = await authenticate(services.credentials, params);
            if (!allowsProtocol(caller.payer.protocols, 'smspartner')) throw new SwitchboardError('protocol_not_allowed', 'This account may not use the SMSPartner API.');
            // The account's address lists and API rate hold for its credentials as for its keys.
            refuseAddress(caller.ipAllowlists, request.ip);
            await services.rateLimits.check(caller.payer.accountId, caller.apiRate);
            return answer(reply, format, 200, { success: true, code: 200, ...(await handler(params, caller)) });
          } catch (error) {
            return refuse(request, reply, error as Error, format);
          }
        },
      });

    const { messages, optOuts } = services;
    const accountOf = (caller: FaceCaller) => caller.payer.accountId;

    route('POST', '/v1/send', (params, caller) => singleSend(services.accept, caller, params));
    // Bulk sends: the path of SMSPartner's reference, and the one its older clients call.
    for (const url of ['/v1/bulk/send', '/v1/bulk-send']) route('POST', url, (params, caller) => bulkSend(services.accept, caller, params));
    route('GET', '/v1/message-cancel', async (params, caller) => {
      await cancelSend(messages, accountOf(caller), required(params, 'messageId', 'The message ID'));
      return { message: 'The SMS sending has been canceled.' };
    });
    route('GET', '/v1/message-status', async (params, caller) => {
      const messageId = required(params, 'messageId', 'The message ID');
      const m = await messageOf(messages, accountOf(caller), messageId, required(params, 'phoneNumber', 'The phone number'));
      return statusFields(optOuts, m, messageId, caller.currency);
    });
    route('GET', '/v1/bulk-status', async (params, caller) => {
      const messageId = required(params, 'messageId', 'The message ID');
      const { message } = await messages.get(accountOf(caller), messageId);
      const send = await sendOf(messages, message);
      return { message_id: messageId, StatutResponse_List: await Promise.all(send.reverse().map((m) => statusEntry(optOuts, m, m.to, m.id))) };
    });
    const multiStatus: Handler = async (params, caller) => {
      const entries = await Promise.all(
        statusList(params).map(async ({ phoneNumber, messageId }) => {
          try {
            return await statusEntry(optOuts, await messageOf(messages, accountOf(caller), messageId, phoneNumber), phoneNumber, messageId);
          } catch (error) {
            if (!(error instanceof SwitchboardError) || error.code !== 'message_not_found') throw error;
            return { success: false, code: 4, phoneNumber, messageId, status: 'Number not found' };
          }
        }),
      );
      return { StatutResponse_List: entries };
    };
    // SMSPartner's reference says GET with a JSON body; its clients POST it.
    route('GET', '/v1/multi-status', multiStatus);
    route('POST', '/v1/multi-status', multiStatus);
    route('GET', '/v1/me', (_params, caller) => me(services, caller));
    route('POST', '/v1/subaccount/create', (params, caller) => createSubaccount(services, caller, params));
    route('GET', '/v1/subaccount/list', (params, caller) => listSubaccounts(services, caller, params));
    route('POST', '/v1/subaccount/credit/add', (params, caller) => addCredit(services, caller, params));
    route('GET', '/v1/stop-sms/list', (_params, caller) => listStops(optOuts, accountOf(caller)));
    route('POST', '/v1/stop-sms/add', (params, caller) => addStop(optOuts, accountOf(caller), params));
    route('POST', '/v1/stop-sms/delete', (params, caller) => deleteStop(optOuts, accountOf(caller), params));
    route('POST', '/v1/hlr/notify', (params, caller) => verifyNumbers(services, caller, params));
  };
