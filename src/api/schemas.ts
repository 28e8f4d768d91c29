import { Type, type Static } from 'typebox';
import { MESSAGE_STATUSES, type MessageStatus } from '../core/lifecycle.js';
import { DEFAULT_VALIDITY_SECONDS, MAX_RECIPIENTS, MAX_SEGMENTS, MAX_VALIDITY_SECONDS, MIN_VALIDITY_SECONDS } from '../core/message.js';

// The one definition of the API's shapes: requests are validated against these schemas and
// /openapi.json is generated from them.

const Phone = Type.String({ description: 'E.164 number, e.g. +447700900000', examples: ['+447700900000'] });

export const SendBody = Type.Object(
  {
    from: Type.String({ description: 'Alphanumeric sender id (1-11 characters, at least one letter), short code, or E.164 number' }),
    to: Type.Union([Phone, Type.Array(Phone, { maxItems: MAX_RECIPIENTS })], { description: `One recipient, or up to ${MAX_RECIPIENTS}` }),
    text: Type.String({ description: `The message text; GSM 7-bit or UCS-2 is chosen automatically, at most ${MAX_SEGMENTS} segments` }),
    send_at: Type.Optional(Type.String({ description: 'ISO-8601 date-time with a time zone to send at, at most a year ahead, e.g. 2026-12-01T09:00:00Z' })),
    validity: Type.Optional(
      Type.Integer({ description: `Seconds the message may take to be delivered: ${MIN_VALIDITY_SECONDS} to ${MAX_VALIDITY_SECONDS} (default ${DEFAULT_VALIDITY_SECONDS} = 48 h)` }),
    ),
    client_ref: Type.Optional(Type.String({ maxLength: 256, description: 'Your own reference, returned with the message' })),
    callback_url: Type.Optional(Type.String({ description: 'An http(s) URL to receive this message\'s status events, signed as webhooks are; public addresses only unless the operator allows private ones' })),
    type: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{1,32}$', description: 'What kind of message it is ("transactional", "marketing", "otp"...): routes may match on it' })),
  },
  { additionalProperties: false },
);
export type SendBody = Static<typeof SendBody>;

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      type: Type.String(),
      code: Type.String(),
      message: Type.String(),
      doc_url: Type.String(),
      param: Type.Optional(Type.String()),
      provider: Type.Optional(Type.Object({ source: Type.String(), code: Type.String(), message: Type.Optional(Type.String()), context: Type.Optional(Type.String()) })),
    }),
  },
  { description: 'Every error the API returns' },
);

const MessageErrorSchema = Type.Union([
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
  send_at: Type.Union([Type.String(), Type.Null()]),
  expires_at: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
  connection: Type.String(),
  attempts: Type.Integer(),
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

export const ListQuery = Type.Object(
  {
    status: Type.Optional(Status),
    to: Type.Optional(Type.String()),
    from: Type.Optional(Type.String()),
    error_code: Type.Optional(Type.String()),
    since: Type.Optional(Type.String({ description: 'ISO-8601: created at or after' })),
    until: Type.Optional(Type.String({ description: 'ISO-8601: created before' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: '1 to 100, default 50' })),
    cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
    account: Type.Optional(Type.String({ description: 'a sub-account\'s id: its messages instead of the caller\'s' })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const ListResponse = Type.Object({ messages: Type.Array(MessageView), next_cursor: Type.Union([Type.String(), Type.Null()]) });

export const IdParams = Type.Object({ id: Type.String() });

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
