import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { MessageFilter } from '../../app/store.js';
import { SwitchboardError } from '../../core/errors.js';
import { parseIsoDateTime } from '../../core/validation/datetime.js';
import type { Services } from '../services.js';
import { AccountQuery, BODY, errorResponses, IdParams, KEYED, ListQuery, ListResponse, MessageView, MessageWithEvents, SendBody, SendResponse } from '../schemas.js';
import { eventView, messageView } from '../view.js';
import { CheckResponse, checkView } from './check-view.js';

/** A moment of the query as epoch milliseconds; a date alone is UTC midnight. */
export function isoParam(value: string | undefined, param: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseIsoDateTime(value, { dateOnly: true });
  if (ms === undefined) throw new SwitchboardError('invalid_parameter', `${param} must be an ISO-8601 date-time with a time zone (e.g. 2026-12-01T09:00:00Z) or a date (2026-12-01, UTC).`, { param });
  return ms;
}

export function parseFilter(q: ListQuery): MessageFilter {
  let before: string | undefined;
  if (q.cursor !== undefined) {
    before = Buffer.from(q.cursor, 'base64url').toString('utf8');
    if (!before.startsWith('msg_')) throw new SwitchboardError('invalid_parameter', 'cursor is not a cursor this API returned.', { param: 'cursor' });
  }
  const since = isoParam(q.since, 'since');
  const until = isoParam(q.until, 'until');
  return {
    ...(q.status && { status: q.status }),
    ...(q.to && { to: q.to }),
    ...(q.from && { from: q.from }),
    ...(q.error_code && { errorCode: q.error_code }),
    ...(q.connection && { connection: q.connection }),
    ...(q.route && { route: q.route }),
    ...(q.type && { type: q.type }),
    ...(q.country && { country: q.country }),
    ...(q.q && { search: q.q.trim() }),
    ...(since !== undefined && { since }),
    ...(until !== undefined && { until }),
    ...(before && { before }),
  };
}

export const messageRoutes = (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/messages',
      {
        schema: {
          summary: 'Send a message to one or more recipients',
          headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 255 } } },
          body: SendBody,
          response: { 202: SendResponse, ...errorResponses(...KEYED, ...BODY, 402, 409, 422) },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        const result = await services.accept.accept(request.caller!, request.body, typeof key === 'string' ? key : undefined);
        // The body is serialized once, at accept, so that an idempotent replay returns the same bytes.
        return reply
          .code(result.statusCode as 202)
          .type('application/json')
          .serializer((payload: string) => payload)
          .send(result.body as never);
      },
    );

    app.post(
      '/v1/messages/check',
      {
        schema: {
          summary: 'Dry run: what the account\'s compliance rules would do to a draft message for each recipient, and when it would go; nothing is stored or charged',
          body: SendBody,
          response: { 200: CheckResponse, ...errorResponses(...KEYED, ...BODY) },
        },
      },
      async (request) => ({ recipients: (await services.check.check(request.caller!, request.body)).map(checkView) }),
    );

    app.get(
      '/v1/messages/:id',
      { schema: { summary: 'A message, its status, error and events', params: IdParams, querystring: AccountQuery, response: { 200: MessageWithEvents, ...errorResponses(...KEYED, 400, 404) } } },
      async (request) => {
        const account = await services.accounts.actingOn(request.caller!, request.query.account);
        const { message, events } = await services.messages.get(account, request.params.id);
        return { ...messageView(message), events: events.map(eventView) };
      },
    );

    app.get(
      '/v1/messages',
      { schema: { summary: 'The message log, newest first', querystring: ListQuery, response: { 200: ListResponse, ...errorResponses(...KEYED, 400, 404) } } },
      async (request) => {
        const limit = request.query.limit === undefined ? 50 : Number(request.query.limit);
        if (limit < 1 || limit > 100) throw new SwitchboardError('invalid_parameter', 'limit must be from 1 to 100.', { param: 'limit' });
        const account = await services.accounts.actingOn(request.caller!, request.query.account);
        const page = await services.messages.list(account, parseFilter(request.query), limit);
        return {
          messages: page.messages.map(messageView),
          next_cursor: page.next === null ? null : Buffer.from(page.next, 'utf8').toString('base64url'),
        };
      },
    );

    app.post(
      '/v1/messages/:id/cancel',
      { schema: { summary: 'Cancel a scheduled or queued message', params: IdParams, response: { 200: MessageView, ...errorResponses(...KEYED, ...BODY, 404, 409) } } },
      async (request) => messageView(await services.messages.cancel(request.accountId, request.params.id)),
    );
  };
