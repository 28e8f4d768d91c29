import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

// The API's own OpenAPI document, as a checker of real answers: every status a route answers
// must be one it documents, and every body must match the schema documented for that status.

// ajv-formats is CommonJS: its function is the module itself.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly key: string;
  readonly secured: boolean;
  readonly parameters: readonly { name: string; in: string; required?: boolean; schema: Schema }[];
  readonly body: Schema | undefined;
  readonly responses: Readonly<Record<string, { content?: Record<string, { schema: Schema }> }>>;
  readonly matcher: RegExp;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Schema = Record<string, any>;

export class ApiDocument {
  readonly operations: Operation[] = [];
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly #validators = new Map<Schema, ValidateFunction>();

  constructor(readonly doc: Schema) {
    addFormats(this.#ajv);
    const global = (doc.security as unknown[] | undefined) ?? [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Schema>)) {
      for (const [method, op] of Object.entries(item)) {
        const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]*');
        this.operations.push({
          method: method.toUpperCase(),
          path,
          key: `${method.toUpperCase()} ${path}`,
          secured: ((op.security as unknown[] | undefined) ?? global).length > 0,
          parameters: (op.parameters as Operation['parameters'] | undefined) ?? [],
          body: op.requestBody?.content?.['application/json']?.schema,
          responses: op.responses,
          matcher: new RegExp(`^${pattern}$`),
        });
      }
    }
  }

  operation(method: string, path: string): Operation {
    const op = this.operations.find((o) => o.method === method && o.path === path);
    assert.ok(op, `${method} ${path} is not in the document`);
    return op;
  }

  /** The operation a concrete request path belongs to: static paths win over templated ones. */
  operationFor(method: string, url: string): Operation | undefined {
    const path = url.split('?')[0]!;
    const matches = this.operations.filter((o) => o.method === method && o.matcher.test(path));
    return matches.find((o) => o.path === path) ?? matches.sort((a, b) => a.path.split('{').length - b.path.split('{').length)[0];
  }

  /** Asserts the answer is documented: its status, and its body against that status's schema. */
  check(op: Operation, status: number, contentType: string | undefined, body: string, context: string): void {
    const response = op.responses[String(status)];
    assert.ok(response, `${op.key} answered ${status}, which it does not document (${context}): ${body.slice(0, 300)}`);
    const content = response.content;
    if (!content) {
      assert.equal(body, '', `${op.key} ${status} documents no body (${context})`);
      return;
    }
    const type = (contentType ?? '').split(';')[0]!.trim();
    const media = content[type];
    assert.ok(media, `${op.key} ${status} answered ${type}, documented: ${Object.keys(content).join(', ')} (${context})`);
    const value: unknown = type === 'application/json' ? JSON.parse(body) : body;
    const validate = this.#validator(media.schema);
    assert.ok(validate(value), `${op.key} ${status} body does not match the document (${context}): ${this.#ajv.errorsText(validate.errors)}\n${body.slice(0, 500)}`);
  }

  #validator(schema: Schema): ValidateFunction {
    let validate = this.#validators.get(schema);
    if (!validate) {
      validate = this.#ajv.compile(schema);
      this.#validators.set(schema, validate);
    }
    return validate;
  }
}

/** The canonical error shape, whatever the document says. */
export function assertCanonicalError(body: string, context: string): void {
  let parsed: Schema;
  try {
    parsed = JSON.parse(body) as Schema;
  } catch {
    assert.fail(`not JSON (${context}): ${body.slice(0, 300)}`);
  }
  const error = parsed.error as Schema | undefined;
  assert.ok(error && typeof error === 'object', `no error object (${context}): ${body.slice(0, 300)}`);
  for (const field of ['type', 'code', 'message', 'doc_url']) assert.equal(typeof error[field], 'string', `error.${field} (${context}): ${body.slice(0, 300)}`);
  if ('param' in error) assert.equal(typeof error.param, 'string', `error.param (${context})`);
}
