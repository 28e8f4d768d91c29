import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DeliveryAttempt, WebhookDelivery, WebhookEndpoint, WebhookTargetStats } from '../../app/store.js';
import { BATCH_WAIT_MS, WEBHOOK_SECRET_PATTERN } from '../../app/webhook-endpoints.js';
import { SwitchboardError } from '../../core/errors.js';
import { EVENT_TYPES } from '../../core/events.js';
import { BODY, CallbackUrl, errorResponses, KEYED, Limit, PathParam } from '../schemas.js';
import { documented } from '../document.js';
import type { Services } from '../services.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const eventText = { description: `"*" or one of ${EVENT_TYPES.join(', ')}` };
const EventList = Type.Array(documented(Type.String(eventText), Type.String({ ...eventText, enum: ['*', ...EVENT_TYPES] })), { maxItems: EVENT_TYPES.length + 1 });
const EndpointUrl = CallbackUrl('Where events are posted: an http(s) URL; public addresses only unless the operator allows private ones');
const secretText = { description: 'signs every event sent here (Standard Webhooks); generated when not given' };
const Secret = documented(Type.String(secretText), Type.String({ ...secretText, pattern: WEBHOOK_SECRET_PATTERN }));

const Batch = Type.Object(
  {
    max_events: Type.Integer({ minimum: 1, maximum: 1000, description: 'events in one POST at most' }),
    max_wait_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: `how long the first event of a batch waits for company (default ${BATCH_WAIT_MS})` })),
  },
  { additionalProperties: false, description: 'several events in one POST, as a JSON array signed once; absent or null: one event per POST' },
);

const EndpointView = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Nullable(Type.String()),
  events: Type.Array(Type.String()),
  secret: Type.String({ description: 'signs every event sent here (Standard Webhooks)' }),
  enabled: Type.Boolean(),
  created_at: Type.String(),
  failing_since: Nullable(Type.String()),
  disabled_at: Nullable(Type.String()),
  disabled_reason: Nullable(Type.String()),
  batch: Nullable(Type.Object({ max_events: Type.Integer(), max_wait_ms: Type.Integer() })),
  backlog: Type.Optional(
    Type.Object(
      {
        pending: Type.Integer({ description: 'deliveries neither delivered nor given up' }),
        in_flight: Type.Integer(),
        oldest_pending_at: Nullable(Type.String()),
        failures_in_a_row: Type.Integer({ description: 'while above 0 the endpoint is probed with one delivery at a time' }),
        delivered_total: Type.Integer(),
        failed_total: Type.Integer(),
      },
      { description: 'where deliveries to the endpoint stand (GET only)' },
    ),
  ),
});

const DeliveryView = Type.Object({
  id: Type.String(),
  event_id: Type.String(),
  message_id: Type.String(),
  endpoint_id: Nullable(Type.String()),
  url: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempt_count: Type.Integer(),
  next_attempt_at: Nullable(Type.String()),
  created_at: Type.String(),
  last_attempt_at: Nullable(Type.String()),
  last_status_code: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  resend_of: Nullable(Type.String({ description: 'the delivery this one sends again (POST /v1/webhooks/deliveries/{id}/resend); null for an event\'s own' })),
});

const AttemptView = Type.Object({
  at: Type.String(),
  status_code: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  latency_ms: Type.Integer(),
  response_excerpt: Nullable(Type.String({ description: 'the first 1 KB of the answer' })),
});

function backlogView(s: WebhookTargetStats | undefined) {
  return {
    pending: s?.pending ?? 0,
    in_flight: s?.inFlight ?? 0,
    oldest_pending_at: iso(s?.oldestPendingAt ?? null),
    failures_in_a_row: s?.failures ?? 0,
    delivered_total: s?.delivered ?? 0,
    failed_total: s?.failed ?? 0,
  };
}

function endpointView(e: WebhookEndpoint) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: [...e.events],
    secret: e.secret,
    enabled: e.disabledAt === null,
    created_at: iso(e.createdAt)!,
    failing_since: iso(e.failingSince),
    disabled_at: iso(e.disabledAt),
    disabled_reason: e.disabledReason,
    batch: e.batch && { max_events: e.batch.maxEvents, max_wait_ms: e.batch.maxWaitMs },
  };
}

function deliveryView(d: WebhookDelivery) {
  return {
    id: d.id,
    event_id: d.eventId,
    message_id: d.messageId,
    endpoint_id: d.endpointId,
    url: d.url,
    status: d.status,
    attempt_count: d.attempts,
    next_attempt_at: d.status === 'pending' ? iso(d.dueAt) : null,
    created_at: iso(d.createdAt)!,
    last_attempt_at: iso(d.lastAttemptAt),
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    resend_of: d.resendOf,
  };
}

const attemptView = (a: DeliveryAttempt) => ({ at: iso(a.at)!, status_code: a.statusCode, error: a.error, latency_ms: a.latencyMs, response_excerpt: a.responseExcerpt });

const Id = Type.Object({ id: PathParam() });

function limitOf(value: string | undefined): number {
  const limit = value === undefined ? 50 : Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new SwitchboardError('invalid_parameter', 'limit must be from 1 to 100.', { param: 'limit' });
  return limit;
}

/** Webhook endpoints, their deliveries and attempts, the callback secret, and account notices. */
export const endpointRoutes = ({ endpoints }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/webhooks/endpoints',
      {
        schema: {
          summary: 'Register a webhook endpoint',
          body: Type.Object(
            { url: EndpointUrl, events: Type.Optional(EventList), description: Type.Optional(Type.String({ maxLength: 500 })), secret: Type.Optional(Secret), batch: Type.Optional(Nullable(Batch)) },
            { additionalProperties: false },
          ),
          response: { 201: EndpointView, ...errorResponses(...KEYED, ...BODY) },
        },
      },
      async (request, reply) => reply.code(201).send(endpointView(await endpoints.create(request.accountId, request.body))),
    );

    app.get('/v1/webhooks/endpoints', { schema: { summary: "The account's webhook endpoints", response: { 200: Type.Object({ endpoints: Type.Array(EndpointView) }), ...errorResponses(...KEYED) } } }, async (request) => {
      const list = await endpoints.list(request.accountId);
      const backlog = await endpoints.backlog(list);
      return { endpoints: list.map((e) => ({ ...endpointView(e), backlog: backlogView(backlog.get(e.id)) })) };
    });

    app.get('/v1/webhooks/endpoints/:id', { schema: { summary: 'A webhook endpoint', params: Id, response: { 200: EndpointView, ...errorResponses(...KEYED, 400, 404) } } }, async (request) => {
      const endpoint = await endpoints.get(request.accountId, request.params.id);
      return { ...endpointView(endpoint), backlog: backlogView((await endpoints.backlog([endpoint])).get(endpoint.id)) };
    });

    app.patch(
      '/v1/webhooks/endpoints/:id',
      {
        schema: {
          summary: 'Change a webhook endpoint; {"enabled": true} re-enables one that was disabled',
          params: Id,
          body: Type.Object(
            {
              url: Type.Optional(EndpointUrl),
              events: Type.Optional(EventList),
              description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
              enabled: Type.Optional(Type.Boolean()),
              batch: Type.Optional(Nullable(Batch)),
            },
            { additionalProperties: false },
          ),
          response: { 200: EndpointView, ...errorResponses(...KEYED, ...BODY, 404) },
        },
      },
      async (request) => endpointView(await endpoints.update(request.accountId, request.params.id, request.body)),
    );

    app.delete('/v1/webhooks/endpoints/:id', { schema: { summary: 'Remove a webhook endpoint', params: Id, response: { 204: Type.Null(), ...errorResponses(...KEYED, ...BODY, 404) } } }, async (request, reply) => {
      await endpoints.remove(request.accountId, request.params.id);
      return reply.code(204).send(null);
    });

    app.get(
      '/v1/webhooks/deliveries',
      {
        schema: {
          summary: 'Webhook deliveries, newest first',
          querystring: Type.Object(
            { endpoint_id: Type.Optional(Type.String()), message_id: Type.Optional(Type.String()), limit: Type.Optional(Limit(100, 50)) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ deliveries: Type.Array(DeliveryView) }), ...errorResponses(...KEYED, 400) },
        },
      },
      async (request) => {
        const { endpoint_id, message_id, limit } = request.query;
        const list = await endpoints.deliveries(request.accountId, { ...(endpoint_id && { endpointId: endpoint_id }), ...(message_id && { messageId: message_id }) }, limitOf(limit));
        return { deliveries: list.map(deliveryView) };
      },
    );

    app.get(
      '/v1/webhooks/deliveries/:id',
      { schema: { summary: 'A webhook delivery with every attempt', params: Id, response: { 200: Type.Intersect([DeliveryView, Type.Object({ attempts: Type.Array(AttemptView) })]), ...errorResponses(...KEYED, 400, 404) } } },
      async (request) => {
        const { delivery, attempts } = await endpoints.delivery(request.accountId, request.params.id);
        return { ...deliveryView(delivery), attempts: attempts.map(attemptView) };
      },
    );

    app.post(
      '/v1/webhooks/deliveries/:id/resend',
      {
        schema: {
          summary: 'Send a delivery\'s event again: a new delivery to the same endpoint (at its URL now) or callback URL, with the same event id (webhook-id), in order with the message\'s other events, retried and signed as any',
          params: Id,
          response: { 202: DeliveryView, ...errorResponses(...KEYED, ...BODY, 404, 409) },
        },
      },
      async (request, reply) => reply.code(202).send(deliveryView(await endpoints.resend(request.accountId, request.params.id))),
    );

    app.get(
      '/v1/webhooks/callback-secret',
      { schema: { summary: "The secret that signs events sent to messages' own callback_url", response: { 200: Type.Object({ secret: Type.String() }), ...errorResponses(...KEYED) } } },
      async (request) => ({ secret: await endpoints.callbackSecret(request.accountId) }),
    );

    app.get(
      '/v1/notices',
      {
        schema: {
          summary: "What the account should know (an endpoint disabled after failing for days), newest first",
          querystring: Type.Object({ limit: Type.Optional(Limit(100, 50)) }, { additionalProperties: false }),
          response: { 200: Type.Object({ notices: Type.Array(Type.Object({ at: Type.String(), type: Type.String(), message: Type.String(), detail: Type.Unknown() })) }), ...errorResponses(...KEYED, 400) },
        },
      },
      async (request) => ({
        notices: (await endpoints.notices(request.accountId, limitOf(request.query.limit))).map((n) => ({ at: iso(n.at)!, type: n.type, message: n.message, detail: n.detail })),
      }),
    );
  };
