import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { MessageFilter } from '../../app/store.js';
import { formatAmount } from '../../core/accounts/money.js';
import type { Message } from '../../core/message.js';
import { errorResponses, KEYED, LogQuery } from '../schemas.js';
import type { Services } from '../services.js';
import { csvField } from '../csv.js';
import { parseFilter } from './messages.js';

/** Messages read per page: the export holds one page at a time, whatever the log's size. */
const PAGE = 500;

const COLUMNS = ['id', 'created_at', 'from', 'to', 'status', 'error_code', 'connection', 'route', 'segments', 'price', 'client_ref'] as const;

const line = (m: Message) =>
  [m.id, new Date(m.createdAt).toISOString(), m.from, m.to, m.status, m.error?.code ?? null, m.connection, m.route?.name ?? null, m.segments, m.price === undefined ? null : formatAmount(m.price), m.clientRef]
    .map(csvField)
    .join(',');

const CSV = { description: `The filtered log as CSV, newest first, one message a line: ${COLUMNS.join(', ')}`, content: { 'text/csv': { schema: Type.String() } } };

/** The message log as CSV: the filters of GET /v1/messages, every page, streamed as it is read. */
export const messageExportRoutes = (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/messages/export',
      { schema: { summary: 'The filtered message log as CSV (the filters of GET /v1/messages), every message, read page by page as it is sent', querystring: LogQuery, response: { 200: CSV as unknown as TSchema, ...errorResponses(...KEYED, 400, 404) } } },
      async (request, reply) => {
        const account = await services.accounts.actingOn(request.caller!, request.query.account);
        const filter = parseFilter(request.query);
        // The first page is read before the answer starts, so that a store error is still a JSON error.
        const first = await services.messages.list(account, filter, PAGE);
        async function* lines(page: { messages: Message[]; next: string | null }, f: MessageFilter): AsyncGenerator<string> {
          yield `${COLUMNS.join(',')}\r\n`;
          for (;;) {
            if (page.messages.length > 0) yield `${page.messages.map(line).join('\r\n')}\r\n`;
            if (page.next === null) return;
            page = await services.messages.list(account, { ...f, before: page.next }, PAGE);
          }
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="messages-${account}.csv"`)
          .send(Readable.from(lines(first, filter)));
      },
    );
  };
