import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SwitchboardError } from '../../core/errors.js';
import { Type, type TSchema } from 'typebox';
import type { Message } from '../../core/message.js';
import { errorResponses, IdParams, KEYED, StreamQuery } from '../schemas.js';
import { authenticate } from '../authenticate.js';
import type { Services } from '../services.js';
import { messageView } from '../view.js';
import { isoParam, parseFilter } from './messages.js';

/** How often an open stream looks for changes: one indexed query a second per open page. */
const POLL_MS = 1000;
/** The newest messages a log stream watches: its first page. */
const WATCHED = 100;

const EVENTS = { description: 'server-sent events: `message`, one per new message or status change', content: { 'text/event-stream': { schema: Type.String() } } };
const STREAM_SCHEMA = { response: { 200: EVENTS as unknown as TSchema, ...errorResponses(...KEYED, 400, 404) } };

/**
 * Server-sent events of messages as they change: a `message` event (the message as GET
 * /v1/messages shows it) whenever one appears or its status or time of change moves. Each
 * stream reads the store, never this node's memory, so it sees what every node did.
 */
export const messageStreamRoutes = (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    const open = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of open) end();
    });

    /**
     * The first look sends what `firstLook` picks of what it finds; later looks, every change.
     * One message's stream sends it: the caller read the message before the stream opened, and a
     * change made in between would be lost. The log's sends what changed since the page it shows
     * (changed_since), not every row the page has just shown.
     */
    const stream = (request: FastifyRequest, reply: FastifyReply, read: () => Promise<readonly Message[]>, firstLook: (m: Message) => boolean) => {
      // A stream never ends by itself: only a client that asked for one (EventSource does) gets one.
      if (!/\btext\/event-stream\b/.test(request.headers.accept ?? '')) {
        throw new SwitchboardError('invalid_parameter', 'This is a stream of server-sent events: send `Accept: text/event-stream` (as EventSource does).', { param: 'accept' });
      }
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      out.write(': live\n\n');
      const seen = new Map<string, string>();
      let first = true;
      const poll = async () => {
        // Access is checked again at every look: a stream ends once its key is revoked or its session signed out.
        await authenticate(services, request);
        for (const m of await read()) {
          const version = `${m.status}@${m.updatedAt}`;
          if (seen.get(m.id) === version) continue;
          seen.set(m.id, version);
          if (!first || firstLook(m)) out.write(`event: message\ndata: ${JSON.stringify(messageView(m))}\n\n`);
        }
        first = false;
      };
      const timer = setInterval(() => void poll().catch(() => end()), POLL_MS);
      const end = () => {
        clearInterval(timer);
        open.delete(end);
        out.end();
      };
      open.add(end);
      out.on('close', end);
      void poll().catch(() => end());
    };

    app.get('/v1/messages/stream', { schema: { summary: 'The message log, live (server-sent events); the filters of GET /v1/messages', querystring: StreamQuery, ...STREAM_SCHEMA } }, async (request, reply) => {
      const account = await services.accounts.actingOn(request.caller!, request.query.account);
      const filter = parseFilter(request.query);
      const since = isoParam(request.query.changed_since, 'changed_since');
      stream(request, reply, async () => (await services.messages.list(account, filter, WATCHED)).messages, (m) => since !== undefined && m.updatedAt >= since);
    });

    app.get('/v1/messages/:id/stream', { schema: { summary: 'One message, live (server-sent events)', params: IdParams, ...STREAM_SCHEMA } }, async (request, reply) => {
      const { accountId } = request;
      await services.messages.get(accountId, request.params.id);
      stream(request, reply, async () => [(await services.messages.get(accountId, request.params.id)).message], () => true);
    });
  };
