import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OwnedNumber } from '../../app/store.js';
import { OWNED_NUMBER_PATTERN } from '../../core/accounts/numbers.js';
import { SwitchboardError } from '../../core/errors.js';
import { documented } from '../document.js';
import { BODY, errorResponses, KEYED, Limit, PathParam } from '../schemas.js';
import type { Services } from '../services.js';

const numberText = { description: 'an E.164 number (+447700900123) or a short code (3 to 8 digits)' };
const NumberField = documented(Type.String(numberText), Type.String({ ...numberText, pattern: OWNED_NUMBER_PATTERN }));
const NumberView = Type.Object({ number: Type.String(), account_id: Type.String(), assigned_at: Type.String() });
const view = (n: OwnedNumber) => ({ number: n.number, account_id: n.accountId, assigned_at: new Date(n.assignedAt).toISOString() });

/** Numbers owned by accounts: what subscribers send to one goes to its owner (see Numbers). */
export const numberRoutes = ({ numbers }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/numbers',
      {
        schema: {
          summary: 'Assign a number to the caller\'s account or one under it: messages subscribers send to it, and their STOP, are that account\'s',
          body: Type.Object(
            { number: NumberField, account: Type.Optional(Type.String({ maxLength: 100, description: 'the account to own it; default the caller\'s' })) },
            { additionalProperties: false },
          ),
          response: { 201: NumberView, ...errorResponses(...KEYED, ...BODY, 404) },
        },
      },
      async (request, reply) => reply.code(201).send(view(await numbers.assign(request.caller!, request.body.number, request.body.account))),
    );

    app.get(
      '/v1/numbers',
      {
        schema: {
          summary: 'The numbers an account owns, in order',
          querystring: Type.Object(
            {
              account: Type.Optional(Type.String({ description: 'an account under the caller\'s: its numbers instead' })),
              limit: Type.Optional(Limit(1000, 100)),
              cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ numbers: Type.Array(NumberView), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(...KEYED, 400, 404) },
        },
      },
      async (request) => {
        const q = request.query;
        const limit = q.limit === undefined ? 100 : Number(q.limit);
        if (limit < 1 || limit > 1000) throw new SwitchboardError('invalid_parameter', 'limit must be from 1 to 1000.', { param: 'limit' });
        // Opaque, and safe in a query string as a number's + is not.
        const after = q.cursor === undefined ? undefined : Buffer.from(q.cursor, 'base64url').toString('utf8');
        const page = await numbers.list(request.caller!, q.account, after, limit);
        return { numbers: page.numbers.map(view), next_cursor: page.next === null ? null : Buffer.from(page.next, 'utf8').toString('base64url') };
      },
    );

    app.delete(
      '/v1/numbers/:number',
      {
        schema: {
          summary: 'Take a number back from the account under the caller\'s that owns it (the operator: make it nobody\'s)',
          params: Type.Object({ number: PathParam(numberText.description) }),
          response: { 204: Type.Null(), ...errorResponses(...KEYED, 400, 404) },
        },
      },
      async (request, reply) => {
        await numbers.release(request.caller!, request.params.number);
        return reply.code(204).send(null);
      },
    );
  };
