import type { TSchema } from 'typebox';

/**
 * Bounds the application checks itself, stated in the OpenAPI document only.
 *
 * Fastify validates a request against its route's schema before the handler runs, and a failed
 * `pattern`, `maxLength` or `minimum` there can only answer a generic `invalid_parameter`. The
 * application checks these bounds itself with precise answers: `invalid_phone_number` naming
 * `to[3]`, `invalid_sender`, `message_too_long`, recipients checked in order. So the validator is
 * given the plain shape and the document the bounds: `documented(validated, described)` carries
 * both, and `documentOnly` swaps the described schema in when /openapi.json is generated.
 */
export const DOCUMENT_KEYWORD = 'x-document';

export function documented<T extends TSchema>(validated: T, described: TSchema): T {
  // Copied with its descriptors: TypeBox keeps what it needs in non-enumerable properties.
  return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(validated), [DOCUMENT_KEYWORD]: { value: described, enumerable: true } }) as T;
}

/** A route schema as the document shows it: every documented schema replaced by its description. */
export function documentOnly(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(documentOnly);
  if (schema === null || typeof schema !== 'object') return schema;
  const described = (schema as Record<string, unknown>)[DOCUMENT_KEYWORD];
  if (described !== undefined) return documentOnly(described);
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, documentOnly(value)]));
}
