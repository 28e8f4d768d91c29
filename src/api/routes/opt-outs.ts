import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OptOut } from '../../app/store.js';
import { SwitchboardError } from '../../core/errors.js';
import { OPT_OUT_NUMBER_PATTERN } from '../../app/opt-outs.js';
import { BODY, errorResponses, KEYED, Limit } from '../schemas.js';
import { documented } from '../document.js';
import type { Services } from '../services.js';

const senderText = { description: 'the sender, or "*" for every sender of the account' };
const numberText = { description: 'E.164 number, e.g. +447700900000' };
const Entry = Type.Object(
  {
    sender: documented(Type.String(senderText), Type.String({ ...senderText, minLength: 1, maxLength: 32 })),
    number: documented(Type.String(numberText), Type.String({ ...numberText, pattern: OPT_OUT_NUMBER_PATTERN })),
  },
  { additionalProperties: false },
);
const OptOutView = Type.Object({ sender: Type.String(), number: Type.String(), created_at: Type.String(), source: Type.String({ description: '"keyword" (the subscriber texted STOP) or "api"' }) });
const view = (o: OptOut) => ({ sender: o.sender, number: o.number, created_at: new Date(o.createdAt).toISOString(), source: o.source });

/** The account's opt-out list. */
export const optOutRoutes = ({ optOuts }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/opt-outs',
      {
        schema: {
          summary: 'Numbers opted out, newest first',
          querystring: Type.Object({ sender: Type.Optional(Type.String()), number: Type.Optional(Type.String()), limit: Type.Optional(Limit(1000, 100)) }, { additionalProperties: false }),
          response: { 200: Type.Object({ opt_outs: Type.Array(OptOutView) }), ...errorResponses(...KEYED, 400) },
        },
      },
      async (request) => {
        const { sender, number, limit } = request.query;
        const n = limit === undefined ? 100 : Number(limit);
        if (n < 1 || n > 1000) throw new SwitchboardError('invalid_parameter', 'limit must be from 1 to 1000.', { param: 'limit' });
        return { opt_outs: (await optOuts.list(request.accountId, { ...(sender && { sender }), ...(number && { number }) }, n)).map(view) };
      },
    );

    app.post('/v1/opt-outs', { schema: { summary: 'Opt a number out of a sender (or of all: "*")', body: Entry, response: { 201: OptOutView, ...errorResponses(...KEYED, ...BODY) } } }, async (request, reply) =>
      reply.code(201).send(view(await optOuts.add(request.accountId, request.body.sender, request.body.number))),
    );

    // A do-not-contact list comes as CSV: this plugin reads text/csv bodies, the rest of the API only JSON.
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    app.post(
      '/v1/opt-outs/import',
      {
        schema: {
          summary: 'Import a do-not-contact list (text/csv: number[,sender] per line, "*" when no sender), all or nothing',
          body: Type.String({ description: 'CSV, e.g. "number,sender\n+447700900000,*\n+447700900001,Shop"' }),
          response: { 200: Type.Object({ added: Type.Integer({ description: 'entries that were new' }), entries: Type.Integer({ description: 'entries the list held' }) }), ...errorResponses(...KEYED, ...BODY) },
        },
      },
      async (request) => optOuts.import(request.accountId, request.body),
    );

    app.get(
      '/v1/opt-outs/export',
      { schema: { summary: 'The whole list as CSV (number, sender, source, created_at), newest first', response: { 200: { description: 'CSV', content: { 'text/csv': { schema: Type.String() } } }, ...errorResponses(...KEYED) } } },
      async (request, reply) => reply.type('text/csv; charset=utf-8').send(await optOuts.export(request.accountId)),
    );

    app.delete('/v1/opt-outs', { schema: { summary: 'Lift an opt-out', querystring: Entry, response: { 204: Type.Null(), ...errorResponses(...KEYED, ...BODY, 404) } } }, async (request, reply) => {
      await optOuts.remove(request.accountId, request.query.sender, request.query.number);
      return reply.code(204).send(null);
    });
  };
