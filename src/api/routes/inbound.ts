import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SwitchboardError } from '../../core/errors.js';
import { errorResponses, KEYED, Limit } from '../schemas.js';
import { inboundView } from '../view.js';
import type { Services } from '../services.js';

const InboundView = Type.Object({
  id: Type.String(),
  connection: Type.String(),
  from: Type.String(),
  to: Type.String(),
  text: Type.String(),
  keyword: Type.Union([Type.Literal('stop'), Type.Literal('start'), Type.Literal('help'), Type.Null()], { description: 'the opt-out keyword the message is, if any' }),
  received_at: Type.String(),
  payload: Type.Unknown(),
});

export const inboundRoutes = ({ inbound }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/inbound',
      {
        schema: {
          summary: 'Messages subscribers sent in, newest first',
          querystring: Type.Object(
            { limit: Type.Optional(Limit(100, 50)), cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ messages: Type.Array(InboundView), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(...KEYED, 400) },
        },
      },
      async (request) => {
        const limit = request.query.limit === undefined ? 50 : Number(request.query.limit);
        if (limit < 1 || limit > 100) throw new SwitchboardError('invalid_parameter', 'limit must be from 1 to 100.', { param: 'limit' });
        const before = request.query.cursor === undefined ? undefined : Buffer.from(request.query.cursor, 'base64url').toString('utf8');
        if (before !== undefined && !before.startsWith('in_')) throw new SwitchboardError('invalid_parameter', 'cursor is not a cursor this API returned.', { param: 'cursor' });
        const page = await inbound.list(request.accountId, before, limit);
        return {
          messages: page.messages.map(inboundView),
          next_cursor: page.next === null ? null : Buffer.from(page.next, 'utf8').toString('base64url'),
        };
      },
    );
  };
