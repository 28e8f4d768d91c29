import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OptOut } from '../../app/store.js';
import { SwitchboardError } from '../../core/errors.js';
import { OPT_OUT_NUMBER_PATTERN } from '../../app/opt-outs.js';
import { BODY, errorResponses, KEYED } from '../schemas.js';
import { MAX_IMPORT_LINES } from '../../app/do-not-contact.js';
import { csvField } from '../csv.js';
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
const CSV_COLUMNS = ['number', 'sender', 'source', 'created_at'] as const;
const view = (o: OptOut) => ({ sender: o.sender, number: o.number, created_at: new Date(o.createdAt).toISOString(), source: o.source });

/** The account's opt-out list. */
export const optOutRoutes = ({ optOuts }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/opt-outs',
      {
        schema: {
          summary: 'Numbers opted out (STOP replies, API entries, imported do-not-contact lists), newest first. CSV with `Accept: text/csv` or `?format=csv`',
          querystring: Type.Object(
            {
              sender: Type.Optional(Type.String()),
              number: Type.Optional(Type.String()),
              limit: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: '1 to 1000 (CSV: 100000), default 100' })),
              format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
            },
            { additionalProperties: false },
          ),
          response: {
            200: {
              description: 'The entries; as CSV with `Accept: text/csv` or `?format=csv`',
              content: { 'application/json': { schema: Type.Object({ opt_outs: Type.Array(OptOutView) }) }, 'text/csv': { schema: Type.String() } },
            },
            ...errorResponses(...KEYED, 400),
          },
        },
      },
      async (request, reply) => {
        const { sender, number, limit, format } = request.query;
        const csv = format === 'csv' || (format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
        const n = limit === undefined ? 100 : Number(limit);
        const max = csv ? MAX_IMPORT_LINES : 1000;
        if (n < 1 || n > max) throw new SwitchboardError('invalid_parameter', `limit must be from 1 to ${max}.`, { param: 'limit' });
        const entries = (await optOuts.list(request.accountId, { ...(sender && { sender }), ...(number && { number }) }, n)).map(view);
        if (!csv) return { opt_outs: entries };
        // What an import reads back (number, sender), then each entry's source and date.
        const lines = entries.map((e) => CSV_COLUMNS.map((c) => csvField(e[c])).join(','));
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="opt-outs.csv"')
          .serializer((payload: string) => payload)
          .send([CSV_COLUMNS.join(','), ...lines, ''].join('\r\n') as never);
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

    app.delete('/v1/opt-outs', { schema: { summary: 'Lift an opt-out', querystring: Entry, response: { 204: Type.Null(), ...errorResponses(...KEYED, ...BODY, 404) } } }, async (request, reply) => {
      await optOuts.remove(request.accountId, request.query.sender, request.query.number);
      return reply.code(204).send(null);
    });
  };
