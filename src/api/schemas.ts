import { Type, type Static, type TSchema } from 'typebox';
import { maxCharacters } from '../core/encoding/segments.js';
import { MESSAGE_EVENT_TYPES } from '../core/events.js';
import { MESSAGE_STATUSES, type MessageStatus } from '../core/lifecycle.js';
import { DEFAULT_VALIDITY_SECONDS, MAX_RECIPIENTS, MAX_SEGMENTS, MAX_VALIDITY_SECONDS, MIN_VALIDITY_SECONDS } from '../core/message.js';
import { E164_PATTERN } from '../core/validation/phone.js';
import { SENDER_PATTERN } from '../core/validation/sender.js';
import { MAX_WEBHOOK_URL } from '../webhooks/url-guard.js';
import { documented } from './document.js';

// The one definition of the API's shapes: requests are validated against these schemas and
// /openapi.json is generated from them. Bounds the application checks with its own precise
// error codes are in the document only (see document.ts).

const phoneText = { description: 'E.164 number, e.g. +447700900000', examples: ['+447700900000'] };
const Phone = documented(Type.String(phoneText), Type.String({ ...phoneText, pattern: E164_PATTERN }));

/** An http(s) URL the server calls: its shape is checked by the URL guard, which names the parameter. */
export const CallbackUrl = (description: string) =>
  documented(Type.String({ description }), Type.String({ description, format: 'uri', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://', maxLength: MAX_WEBHOOK_URL }));

/** A `limit` query parameter: digits in the query string, a whole number from 1 to `max`. */
export const Limit = (max: number, byDefault: number) => {
  const description = `1 to ${max}, default ${byDefault}`;
  return documented(Type.String({ pattern: '^[0-9]+$', description }), Type.Integer({ minimum: 1, maximum: max, default: byDefault, description }));
};

const fromText = { description: 'Alphanumeric sender id (1-11 letters, digits or spaces, at least one letter), short code (3-8 digits), or E.164 number' };
const textText = { description: `The message text; GSM 7-bit or UCS-2 is chosen automatically, at most ${MAX_SEGMENTS} segments` };
const validityText = { description: `Seconds the message may take to be delivered: ${MIN_VALIDITY_SECONDS} to ${MAX_VALIDITY_SECONDS} (default ${DEFAULT_VALIDITY_SECONDS} = 48 h)` };
const sendAtText = { description: 'ISO-8601 date-time with a time zone to send at, at most a year ahead, e.g. 2026-12-01T09:00:00Z' };

export const SendBody = Type.Object(
  {
    from: documented(Type.String(fromText), Type.String({ ...fromText, pattern: SENDER_PATTERN })),
    to: Type.Union([Phone, documented(Type.Array(Phone, { maxItems: MAX_RECIPIENTS }), Type.Array(Phone, { minItems: 1, maxItems: MAX_RECIPIENTS }))], {
      description: `One recipient, or up to ${MAX_RECIPIENTS}`,
    }),
    text: documented(Type.String(textText), Type.String({ ...textText, minLength: 1, maxLength: maxCharacters(MAX_SEGMENTS) })),
    send_at: Type.Optional(documented(Type.String(sendAtText), Type.String({ ...sendAtText, format: 'date-time' }))),
    validity: Type.Optional(
      documented(Type.Integer(validityText), Type.Integer({ ...validityText, minimum: MIN_VALIDITY_SECONDS, maximum: MAX_VALIDITY_SECONDS, default: DEFAULT_VALIDITY_SECONDS })),
    ),
    client_ref: Type.Optional(Type.String({ maxLength: 256, description: 'Your own reference, returned with the message' })),
    callback_url: Type.Optional(CallbackUrl("An http(s) URL to receive this message's status events, signed as webhooks are; public addresses only unless the operator allows private ones")),
    callback_events: Type.Optional(
      Type.Array(Type.Unsafe<string>({ type: 'string', enum: [...MESSAGE_EVENT_TYPES] }), {
        minItems: 1,
        description: "The events callback_url gets, as Kannel's dlr-mask chooses them (e.g. [\"message.delivered\", \"message.undelivered\"]); default: every one",
      }),
    ),
    type: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{1,32}$', description: 'What kind of message it is ("transactional", "marketing", "otp"...): routes may match on it, and it chooses the account\'s compliance policy' })),
    allow_duplicate: Type.Optional(Type.Boolean({ description: 'Send the same text to the same number again within the policy\'s duplicate window, on purpose (default false)' })),
  },
  { additionalProperties: false },
);
export type SendBody = Static<typeof SendBody>;

const errorProperties = {
  error: Type.Object({
    type: Type.String({ description: 'the class of error, e.g. invalid_request_error' }),
    code: Type.String({ description: 'the canonical error code, e.g. invalid_phone_number; GET /v1/errors lists them' }),
    message: Type.String(),
    doc_url: Type.String({ description: 'the readable page of the code' }),
    param: Type.Optional(Type.String({ description: 'the parameter at fault, e.g. to[3]' })),
    provider: Type.Optional(Type.Object({ source: Type.String(), code: Type.String(), message: Type.Optional(Type.String()), context: Type.Optional(Type.String()) })),
    rule: Type.Optional(Type.String({ description: 'the account policy\'s rule that refused, e.g. marketing.windows' })),
  }),
};

export const ErrorBody = Type.Object(errorProperties, { description: 'Every error the API returns' });

/** What each error status means; the codes of each are in GET /v1/errors. */
const ERROR_STATUSES = {
  400: 'The request is not valid: invalid_json, missing_parameter, invalid_parameter, or a precise code naming the parameter (invalid_phone_number, invalid_sender, message_too_long, invalid_verification_code...)',
  401: 'No valid credentials: missing_api_key or invalid_api_key (invalid_signature for provider callbacks)',
  402: 'insufficient_credit: the balance (and credit limit) does not cover the whole request; nothing was charged. unknown_subscriber: a fresh live lookup found a recipient not in service, for an account that refuses such numbers',
  403: 'Refused: the key lacks the scope the route needs (insufficient_scope), its account is disabled or blocked (account_disabled, account_blocked), the request comes from an address outside the account\'s IP allowlist (ip_not_allowed), or the destination does not take messages from this account (destination_opted_out, destination_not_allowed in trial...)',
  404: 'not_found: nothing of that id or name on this account',
  409: 'The request conflicts with the current state: message_not_cancelable, idempotency_key_in_use, webhook_endpoint_unavailable',
  413: 'payload_too_large: the body is over 1 MiB',
  415: 'unsupported_media_type: the body is not application/json',
  422: 'idempotency_key_reused, or no_route or no_price for a recipient',
  424: 'The provider failed a live lookup: its canonical error (provider_authentication_failed, provider_error, provider_timeout...) with the provider\'s code; nothing was charged',
  429: 'rate_limit_exceeded: retry after the Retry-After header',
  503: 'service_unavailable: the node is shutting down or cannot reach its storage; try another node or later',
} as const;
export type ErrorStatus = keyof typeof ERROR_STATUSES;

/** Every route that needs an API key may answer these. */
export const KEYED: readonly ErrorStatus[] = [401, 403, 429, 503];
/** Every route that takes a body may answer these. */
export const BODY: readonly ErrorStatus[] = [400, 413, 415];

/** Response schemas for the error statuses a route can answer, each with the canonical body. */
export function errorResponses(...statuses: readonly ErrorStatus[]): Partial<Record<ErrorStatus, TSchema>> {
  return Object.fromEntries([...new Set(statuses)].sort().map((s) => [s, Type.Object(errorProperties, { description: ERROR_STATUSES[s] })]));
}

export const MessageErrorSchema = Type.Union([
  Type.Null(),
  Type.Object({
    type: Type.String(),
    code: Type.String(),
    message: Type.String(),
    doc_url: Type.String(),
    permanent: Type.Boolean(),
    retry: Type.String(),
    provider: Type.Optional(Type.Object({ source: Type.String(), code: Type.String(), message: Type.Optional(Type.String()), context: Type.Optional(Type.String()) })),
  }),
]);

const Status = Type.Unsafe<MessageStatus>({ type: 'string', enum: [...MESSAGE_STATUSES] });

export const MessageView = Type.Object({
  id: Type.String(),
  to: Type.String(),
  from: Type.String(),
  text: Type.String(),
  status: Status,
  error: MessageErrorSchema,
  encoding: Type.Union([Type.Literal('GSM-7'), Type.Literal('UCS-2')]),
  segments: Type.Integer(),
  client_ref: Type.Union([Type.String(), Type.Null()]),
  callback_url: Type.Union([Type.String(), Type.Null()]),
  callback_events: Type.Union([Type.Array(Type.String()), Type.Null()]),
  send_at: Type.Union([Type.String(), Type.Null()]),
  expires_at: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
  connection: Type.String(),
  attempts: Type.Integer({ description: 'Submit attempts made so far' }),
  next_attempt_at: Type.Union([Type.String(), Type.Null()], { description: 'When a message queued again after a failed attempt is tried next (it waits for a retry); null otherwise' }),
  provider_message_id: Type.Union([Type.String(), Type.Null()]),
  price: Type.Optional(Type.String({ description: 'what the message was charged, when its account has a price list' })),
});

export const EventView = Type.Object({
  at: Type.String(),
  type: Type.String(),
  status: Type.Union([Status, Type.Null()]),
  error: MessageErrorSchema,
  detail: Type.Unknown(),
  payload: Type.Unknown(),
});

export const SendResponse = Type.Object({
  messages: Type.Array(MessageView),
  remaining_balance: Type.Optional(Type.String({ description: 'the balance after this request\'s charge, when the account has a price list' })),
});
export const AccountQuery = Type.Object({ account: Type.Optional(Type.String({ description: 'a sub-account\'s id' })) }, { additionalProperties: false });
export const MessageWithEvents = Type.Intersect([MessageView, Type.Object({ events: Type.Array(EventView) })]);

/** A point in time: an ISO-8601 date-time with a zone, or a date read as UTC midnight. */
const Moment = (when: string) => {
  const description = `ISO-8601 date-time with a time zone, or a date (UTC midnight): ${when}`;
  return documented(Type.String({ description }), Type.Union([Type.String({ format: 'date-time' }), Type.String({ format: 'date' })], { description }));
};

/** The message log's filters, as GET /v1/messages, its stream and its CSV export take them. */
const logFilters = {
  status: Type.Optional(Status),
  to: Type.Optional(Type.String()),
  from: Type.Optional(Type.String()),
  error_code: Type.Optional(Type.String()),
  connection: Type.Optional(Type.String({ maxLength: 100, description: 'the connection it goes (or went) through' })),
  route: Type.Optional(Type.String({ maxLength: 100, description: 'the name of the route chosen at accept' })),
  type: Type.Optional(Type.String({ maxLength: 32, description: 'the message type the request named ("otp", "marketing"...)' })),
  country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'the destination\'s country, ISO 3166 alpha-2 (FR)' })),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'search: a message id exactly (msg_...); + and 2 to 15 digits (or the digits alone): the recipient numbers starting with them; anything else: a client_ref exactly',
    }),
  ),
  since: Type.Optional(Moment('created at or after')),
  until: Type.Optional(Moment('created before')),
  account: Type.Optional(Type.String({ description: 'a sub-account\'s id: its messages instead of the caller\'s' })),
};

export const LogQuery = Type.Object(logFilters, { additionalProperties: false });
export type LogQuery = Static<typeof LogQuery>;

export const ListQuery = Type.Object(
  {
    ...logFilters,
    limit: Type.Optional(Limit(100, 50)),
    cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

/** The log's stream: its filters, and where its first look starts. */
export const StreamQuery = Type.Object(
  {
    ...ListQuery.properties,
    changed_since: Type.Optional(
      Moment('the first look sends the messages changed at or after it: give the newest updated_at of the page shown, and a change made between that page and the stream is not missed'),
    ),
  },
  { additionalProperties: false },
);

export const ListResponse = Type.Object({ messages: Type.Array(MessageView), next_cursor: Type.Union([Type.String(), Type.Null()]) });

/** find-my-way refuses a longer path parameter (FST_ERR_MAX_PARAM_LENGTH), answered as invalid_parameter. */
export const PathParam = (description?: string) => Type.String({ maxLength: 100, ...(description && { description }) });
export const IdParams = Type.Object({ id: PathParam() });

const CanonicalView = Type.Object({
  code: Type.String(),
  type: Type.String(),
  http_status: Type.Integer(),
  permanent: Type.Boolean(),
  retry: Type.String(),
  failover: Type.Boolean(),
  title: Type.String(),
  resolution: Type.String(),
  doc_url: Type.String(),
});

export const CanonicalErrorView = Type.Object({
  code: Type.String(),
  type: Type.String(),
  http_status: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  resolution: Type.String(),
  permanent: Type.Boolean(),
  retry: Type.String(),
  failover: Type.Boolean(),
  doc_url: Type.String(),
});

export const Explanation = Type.Object(
  {
    provider: Type.String(),
    context: Type.Union([Type.String(), Type.Null()]),
    code: Type.String(),
    found: Type.Boolean(),
    provider_message: Type.Union([Type.String(), Type.Null()]),
    canonical: Type.Union([CanonicalView, Type.Null()]),
  },
  { additionalProperties: true },
);
