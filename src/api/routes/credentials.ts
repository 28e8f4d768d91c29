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
  key: Type.String({ description: "the public half: Vonage's api_key, Twilio's Account SID, SMPP's system_id, the first 12 digits of SMSPartner's apiKey" }),
  settings: Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]), { description: "the compatible API's own settings (Vonage: signature_method, receipt_url, receipt_method; SMPP: bind_limit, throughput, throughput_burst)" }),
  created_at: Type.String(),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
});
const CreatedCredentialView = Type.Intersect([
  CredentialView,
  Type.Object({ secret: Type.String({ description: "Vonage's api_secret (settings.signature_secret too), Twilio's Auth Token, SMPP's password, SMSPartner's whole apiKey: shown this once" }) }),
]);

const NewCredentialBody = Type.Object(
  {
    protocol: Type.Unsafe<'vonage' | 'twilio' | 'smspartner' | 'smpp'>({ type: 'string', enum: ['vonage', 'twilio', 'smspartner', 'smpp'], description: 'the compatible API, or SMPP' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    signature_method: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...SIGNATURE_METHODS], description: 'how signed requests (sig) and receipts are signed; default md5hash' })),
    receipt_url: Type.Optional(CallbackUrl('where delivery receipts go when a request names no callback')),
    receipt_method: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...RECEIPT_METHODS], description: 'GET (query string), POST (form) or POST-JSON (the default)' })),
    bind_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'SMPP: sessions bound at once with this credential, across every node; default 4' })),
    throughput: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: "SMPP: segments per second for the account's SMPP sessions together; 0 (the default) is no limit" })),
    throughput_burst: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_000_000, description: 'SMPP: the burst above throughput; default twice it' })),
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
          summary: 'Create a credential for a compatible API (Vonage: api_key, api_secret, signature secret) or SMPP (system_id, password); its secrets are in this answer only',
          params: IdParams,
          body: NewCredentialBody,
          response: { 201: CreatedCredentialView, ...errorResponses(...KEYED, ...BODY, 404) },
        },
      },
      async (request, reply) => {
        const account = await accounts.within(request.caller!, request.params.id);
        const { protocol, name, signature_method, receipt_url, receipt_method, bind_limit, throughput, throughput_burst } = request.body;
        if (receipt_url !== undefined) endpoints.checkShape(receipt_url, 'receipt_url');
        const text = (n: number | undefined) => (n === undefined ? undefined : String(n));
        const settings = { signature_method, receipt_url, receipt_method, bind_limit: text(bind_limit), throughput: text(throughput), throughput_burst: text(throughput_burst) };
        const created = await credentials.create(account.id, protocol, { name: name ?? null, settings });
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
