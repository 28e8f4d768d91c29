import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CANONICAL_ERRORS } from '../../core/catalogue/canonical.js';
import { SwitchboardError } from '../../core/errors.js';
import { CanonicalErrorView, errorResponses, Explanation, KEYED, PathParam } from '../schemas.js';
import type { Services } from '../services.js';
import { normalizeOne, readerFor } from '../../providers/pasted.js';
import { BODY } from '../schemas.js';

const Pasted = Type.Object(
  {
    provider: Type.String({ minLength: 1, maxLength: 64 }),
    kind: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "which of the provider's payloads (default its first: usually the receipt)" })),
    raw: Type.String({ minLength: 1, maxLength: 65_536, description: 'the payload as received: a body, a query string, a whole captured HTTP request, or a PDU in hex' }),
    content_type: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
const Normalized = Type.Object({
  provider: Type.String(),
  kind: Type.String(),
  messages: Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'each message the payload speaks of: its state, provider code and canonical error' }),
});

export const catalogueRoutes = ({ catalogue }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    const view = (def: (typeof CANONICAL_ERRORS)[number]) => ({ ...def, doc_url: catalogue.docUrl(def.code) });

    app.get(
      '/v1/errors',
      { schema: { summary: 'Every canonical error', response: { 200: Type.Object({ errors: Type.Array(CanonicalErrorView) }), ...errorResponses(...KEYED) } } },
      async () => ({ errors: CANONICAL_ERRORS.map(view) }),
    );

    app.get(
      '/v1/errors/:code',
      { schema: { summary: 'One canonical error', params: Type.Object({ code: PathParam() }), response: { 200: CanonicalErrorView, ...errorResponses(...KEYED, 400, 404) } } },
      async (request) => {
        const def = CANONICAL_ERRORS.find((e) => e.code === request.params.code);
        if (!def) throw new SwitchboardError('not_found', `No canonical error is named ${JSON.stringify(request.params.code)}.`, { param: 'code' });
        return view(def);
      },
    );

    app.get(
      '/v1/providers/:provider/codes/:code',
      {
        schema: {
          summary: 'One provider code, explained',
          params: Type.Object({ provider: PathParam(), code: PathParam() }),
          querystring: Type.Object({ context: Type.Optional(Type.String()) }, { additionalProperties: false }),
          response: { 200: Explanation, ...errorResponses(...KEYED, 400, 404) },
        },
      },
      async (request) => {
        const { provider, code } = request.params;
        const { context } = request.query;
        if (!catalogue.hasProvider(provider)) {
          throw new SwitchboardError('not_found', `Unknown provider ${JSON.stringify(provider)}; known: ${catalogue.providers().join(', ')}.`, { param: 'provider' });
        }
        if (context !== undefined && catalogue.resolveContext(provider, context) === undefined) {
          const known = catalogue.tables(provider).map((t) => t.context);
          throw new SwitchboardError('not_found', `Unknown context ${JSON.stringify(context)} for ${provider}; known: ${known.join(', ')}.`, { param: 'context' });
        }
        return catalogue.explain(provider, code, context);
      },
    );

    app.post(
      '/v1/normalize',
      { schema: { summary: "How Switchboard reads a provider's raw payload", body: Pasted, response: { 200: Normalized, ...errorResponses(...KEYED, ...BODY) } } },
      async (request) => {
        const { provider, kind, raw, content_type } = request.body;
        const reader = readerFor(provider, kind);
        if (typeof reader === 'string') throw new SwitchboardError('invalid_parameter', reader, { param: kind !== undefined && catalogue.hasProvider(provider) ? 'kind' : 'provider' });
        const result = normalizeOne(catalogue, provider, kind, raw, content_type) as { error?: string };
        if (result.error !== undefined) throw new SwitchboardError('invalid_parameter', result.error, { param: 'raw' });
        return result;
      },
    );
  };
