import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { VerifiedNumber } from '../../app/store.js';
import { E164_PATTERN } from '../../core/validation/phone.js';
import { documented } from '../document.js';
import { AccountQuery, BODY, errorResponses, KEYED, PathParam } from '../schemas.js';
import type { Services } from '../services.js';

const numberText = { description: 'E.164 number, e.g. +447700900000' };
const NumberParams = Type.Object({ number: PathParam('E.164 number, e.g. +447700900000') });
const VerifiedNumberView = Type.Object({
  number: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('verified')], { description: 'pending: the code sent to it waits to be confirmed' }),
  created_at: Type.String(),
  verified_at: Type.Union([Type.String(), Type.Null()]),
  code_expires_at: Type.Union([Type.String(), Type.Null()], { description: 'until when the code sent holds, while pending' }),
});
const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
const view = (n: VerifiedNumber) => ({
  number: n.number,
  status: n.verifiedAt === null ? ('pending' as const) : ('verified' as const),
  created_at: iso(n.createdAt)!,
  verified_at: iso(n.verifiedAt),
  code_expires_at: iso(n.code?.expiresAt ?? null),
});

/** The numbers an account in trial may send to. */
export const verifiedNumberRoutes = ({ verifiedNumbers }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/verified-numbers',
      {
        schema: {
          summary: 'Add a number: a code is sent to it by SMS to confirm; for a sub-account (account), it is verified at once',
          body: Type.Object(
            {
              number: documented(Type.String(numberText), Type.String({ ...numberText, pattern: E164_PATTERN })),
              account: Type.Optional(Type.String({ description: 'a sub-account\'s id (accounts scope): the number is verified for it without a code' })),
            },
            { additionalProperties: false },
          ),
          response: { 201: VerifiedNumberView, ...errorResponses(...KEYED, ...BODY, 402, 404, 422) },
        },
      },
      async (request, reply) => reply.code(201).send(view(await verifiedNumbers.add(request.caller!, request.body.number, request.body.account))),
    );

    app.post(
      '/v1/verified-numbers/:number/confirm',
      {
        schema: {
          summary: 'Confirm a number with the code it received',
          params: NumberParams,
          body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false }),
          response: { 200: VerifiedNumberView, ...errorResponses(...KEYED, ...BODY, 404) },
        },
      },
      async (request) => view(await verifiedNumbers.confirm(request.caller!, request.params.number, request.body.code)),
    );

    app.get(
      '/v1/verified-numbers',
      {
        schema: {
          summary: 'The account\'s numbers (or a sub-account\'s), verified or waiting for their code',
          querystring: AccountQuery,
          response: { 200: Type.Object({ verified_numbers: Type.Array(VerifiedNumberView) }), ...errorResponses(...KEYED, 400, 404) },
        },
      },
      async (request) => ({ verified_numbers: (await verifiedNumbers.list(request.caller!, request.query.account)).map(view) }),
    );

    app.delete(
      '/v1/verified-numbers/:number',
      { schema: { summary: 'Remove a number', params: NumberParams, querystring: AccountQuery, response: { 204: Type.Null(), ...errorResponses(...KEYED, 400, 404) } } },
      async (request, reply) => {
        await verifiedNumbers.remove(request.caller!, request.params.number, request.query.account);
        return reply.code(204).send(null);
      },
    );
  };
