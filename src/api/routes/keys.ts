import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiKeyRecord } from '../../app/store.js';
import { SCOPES, type Scope } from '../../core/access/scopes.js';
import { BODY, errorResponses, KEYED, PathParam } from '../schemas.js';
import type { Services } from '../services.js';

export const ScopeSchema = Type.Unsafe<Scope>({ type: 'string', enum: [...SCOPES] });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const KeyView = Type.Object({
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  prefix: Type.String({ description: 'the first characters of the key, to tell keys apart' }),
  scopes: Type.Array(ScopeSchema),
  created_at: Type.String(),
  last_used_at: Type.Union([Type.String(), Type.Null()], { description: 'to the minute' }),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
});

export const NewKeyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    scopes: Type.Optional(Type.Array(ScopeSchema, { minItems: 1, uniqueItems: true, description: 'default: send, read, webhooks, opt_outs' })),
  },
  { additionalProperties: false },
);

export const CreatedKeyView = Type.Intersect([KeyView, Type.Object({ key: Type.String({ description: 'the key itself: shown this once, stored only hashed' }) })]);

export const keyView = (k: ApiKeyRecord) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: [...k.scopes],
  created_at: iso(k.createdAt)!,
  last_used_at: iso(k.lastUsedAt),
  revoked_at: iso(k.revokedAt),
});

/** API keys, for admins: the secret is shown once, when the key is created. */
export const keyRoutes = ({ keys }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/v1/keys', { schema: { summary: 'The API keys, revoked ones too', response: { 200: Type.Object({ keys: Type.Array(KeyView) }), ...errorResponses(...KEYED) } } }, async (request) => ({
      keys: (await keys.list(request.accountId)).map(keyView),
    }));

    app.post(
      '/v1/keys',
      {
        schema: {
          summary: 'Create an API key; its secret is in this answer only',
          body: NewKeyBody,
          response: { 201: CreatedKeyView, ...errorResponses(...KEYED, ...BODY) },
        },
      },
      async (request, reply) => {
        const created = await keys.create(request.accountId, { name: request.body?.name ?? null, ...(request.body?.scopes && { scopes: request.body.scopes }) });
        return reply.code(201).send({ ...keyView(created), key: created.key });
      },
    );

    app.delete('/v1/keys/:id', { schema: { summary: 'Revoke a key: every node refuses it from the next request on', params: Type.Object({ id: PathParam() }), response: { 204: Type.Null(), ...errorResponses(...KEYED, ...BODY, 404) } } }, async (request, reply) => {
      await keys.revoke(request.accountId, request.params.id);
      return reply.code(204).send(null);
    });
  };
