import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FaceCredential } from '../../app/store.js';
import { RECEIPT_METHODS, SIGNATURE_METHODS } from '../../faces/vonage/credential.js';
import { BODY, CallbackUrl, errorResponses, IdParams, KEYED, PathParam } from '../schemas.js';
import type { Services } from '../services.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** Settings named so are secrets: in the answer that creates the credential, never again. */
const isSecret = (name: string) => name.endsWith('_secret');

const CredentialView = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  protocol: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  key: Type.String({ description: "the public half: Vonage's api_key" }),
  settings: Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]), { description: "the compatible API's own settings (Vonage: signature_method, receipt_url, receipt_method)" }),
  created_at: Type.String(),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
});
const CreatedCredentialView = Type.Intersect([
  CredentialView,
  Type.Object({ secret: Type.String({ description: "Vonage's api_secret: shown this once (settings.signature_secret too)" }) }),
]);

const NewCredentialBody = Type.Object(
  {
    protocol: Type.Unsafe<'vonage'>({ type: 'string', enum: ['vonage'], description: 'the compatible API' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    signature_method: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...SIGNATURE_METHODS], description: 'how signed requests (sig) and receipts are signed; default md5hash' })),
    receipt_url: Type.Optional(CallbackUrl('where delivery receipts go when a request names no callback')),
    receipt_method: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...RECEIPT_METHODS], description: 'GET (query string), POST (form) or POST-JSON (the default)' })),
  },
  { additionalProperties: false },
);

function credentialView(c: FaceCredential, withSecrets = false) {
  return {
    id: c.id,
    account_id: c.accountId,
    protocol: c.protocol,
    name: c.name,
    key: c.key,
    settings: Object.fromEntries(Object.entries(c.settings).filter(([name]) => withSecrets || !isSecret(name))),
    created_at: iso(c.createdAt)!,
    revoked_at: iso(c.revokedAt),
  };
}

/** An account's credentials for the compatible APIs: its own, or those of an account under it. */
export const credentialRoutes = ({ accounts, credentials, endpoints }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/accounts/:id/credentials',
      { schema: { summary: "An account's credentials for the compatible APIs, revoked ones too (no secrets)", params: IdParams, response: { 200: Type.Object({ credentials: Type.Array(CredentialView) }), ...errorResponses(...KEYED, 400, 404) } } },
      async (request) => {
        const account = await accounts.within(request.caller!, request.params.id);
        return { credentials: (await credentials.list(account.id)).map((c) => credentialView(c)) };
      },
    );

    app.post(
      '/v1/accounts/:id/credentials',
      {
        schema: {
          summary: 'Create a credential for a compatible API (Vonage: api_key, api_secret, signature secret); its secrets are in this answer only',
          params: IdParams,
          body: NewCredentialBody,
          response: { 201: CreatedCredentialView, ...errorResponses(...KEYED, ...BODY, 404) },
        },
      },
      async (request, reply) => {
        const account = await accounts.within(request.caller!, request.params.id);
        const { protocol, name, signature_method, receipt_url, receipt_method } = request.body;
        if (receipt_url !== undefined) endpoints.checkShape(receipt_url, 'receipt_url');
        const created = await credentials.create(account.id, protocol, { name: name ?? null, settings: { signature_method, receipt_url, receipt_method } });
        return reply.code(201).send({ ...credentialView(created, true), secret: created.secret });
      },
    );

    app.delete(
      '/v1/accounts/:id/credentials/:credential',
      {
        schema: {
          summary: 'Revoke a credential: refused by every node from its next request',
          params: Type.Object({ id: PathParam(), credential: PathParam() }),
          response: { 204: Type.Null({ description: 'revoked' }), ...errorResponses(...KEYED, 400, 404) },
        },
      },
      async (request, reply) => {
        const account = await accounts.within(request.caller!, request.params.id);
        await credentials.revoke(account.id, request.params.credential);
        return reply.code(204).send(null);
      },
    );
  };
