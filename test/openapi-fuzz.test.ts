import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { bearer, freePort, STORES, testNodeOn, type TestNode } from './helpers.js';
import { ApiDocument, assertCanonicalError, type Operation, type Schema } from './openapi.js';
import { FAST_WEBHOOKS } from './webhook-receiver.js';

// A property-based fuzz driven by the OpenAPI document: for every operation it lists, requests
// generated from the documented schemas, then broken in hostile ways (wrong types, huge and odd
// strings, missing and extra fields, odd path encodings). Whatever comes in, the answer is never
// a 5xx (but a documented 503), its status is documented for the route, its body matches the
// document, and every error is in the canonical shape.

// A longer hunt: FUZZ_SEED=n FUZZ_RUNS=500 node --test dist/test/openapi-fuzz.test.js
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 30);
const STRING_CAP = 40;

let node: TestNode;
let doc: ApiDocument;
/** URLs the server may call point at a closed loopback port: nothing leaves the machine. */
let nowhere: string;
/** Real ids and names, so that path parameters reach past "not found". */
const known: Record<string, string[]> = { id: [], code: ['invalid_json', '0x58', '1'], provider: ['smpp', 'vonage', 'sandbox'], connection: [], name: ['sandbox', 'fuzz'] };

/** A regular expression fast-check can generate from; lookarounds it cannot are stripped and checked by filter. */
function matching(pattern: string): fc.Arbitrary<string> {
  const alternatives = pattern.split(/\|(?=\^)/).map((alt) => {
    try {
      return fc.stringMatching(new RegExp(alt));
    } catch {
      const plain = alt.replace(/\(\?<?[=!][^)]*\)/g, '');
      return fc.stringMatching(new RegExp(plain)).filter((s) => new RegExp(alt).test(s));
    }
  });
  return fc.oneof(...alternatives);
}

/** Values the schema allows (most of the time: a pattern or a bound checked by filter is approximated). */
function valid(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...(schema.anyOf as Schema[]).map(valid));
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  const examples = (schema.examples as unknown[] | undefined) ?? [];
  const withExamples = (arb: fc.Arbitrary<unknown>) => (examples.length > 0 ? fc.oneof(fc.constantFrom(...examples), arb) : arb);
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      return fc.record(Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, valid(s)])), { requiredKeys: (schema.required as string[] | undefined) ?? [] });
    }
    case 'array':
      return fc.array(valid(schema.items as Schema), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, 5) });
    case 'string':
      if (schema.format === 'uri') return fc.webPath().map((p) => `${nowhere}${p}`);
      if (schema.format === 'date') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'date-time') return fc.integer({ min: 60_000, max: 300 * 24 * 3600_000 }).map((ahead) => new Date(Date.now() + ahead).toISOString());
      if (schema.pattern) return withExamples(matching(schema.pattern as string));
      return withExamples(fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? STRING_CAP, STRING_CAP) }));
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values no schema should let through harmlessly unless the server checks them. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -0, '', ' ', '0', 'null', '[]', '{}', '\u0000', '\ud800', '🙂'.repeat(200), 'x'.repeat(100_000), '../../etc/passwd', '%00', '<script>'),
  fc.string({ unit: 'binary', maxLength: STRING_CAP }),
  fc.integer(),
  fc.double(),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.array(fc.constant('+447700900000'), { minLength: 1001, maxLength: 1001 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Characters that pass a schema's type but not every store: appended to an otherwise valid string. */
const poison = fc.constantFrom('\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', '\uffff', '🙂');

/** A valid object broken one way: a field of the wrong type or size, one missing, or one extra. */
function mutated(schema: Schema): fc.Arbitrary<unknown> {
  const base = valid(schema);
  const keys = Object.keys((schema.properties as Record<string, Schema> | undefined) ?? {});
  const mutations: fc.Arbitrary<unknown>[] = [hostileValue, base];
  if (schema.type === 'object') {
    mutations.push(fc.tuple(base, fc.string({ maxLength: 12 }), hostileValue).map(([v, k, x]) => ({ ...(v as object), [k]: x })));
    if (keys.length > 0) {
      mutations.push(fc.tuple(base, fc.constantFrom(...keys), hostileValue).map(([v, k, x]) => ({ ...(v as object), [k]: x })));
      mutations.push(fc.tuple(base, fc.constantFrom(...keys)).map(([v, k]) => Object.fromEntries(Object.entries(v as object).filter(([key]) => key !== k))));
      mutations.push(
        fc.tuple(base, fc.constantFrom(...keys), poison).map(([v, k, p]) => {
          const value = (v as Record<string, unknown>)[k];
          return { ...(v as object), [k]: typeof value === 'string' ? `${value}${p}` : Array.isArray(value) ? value.map((x) => (typeof x === 'string' ? `${x}${p}` : x)) : value };
        }),
      );
    }
  }
  return fc.oneof(...mutations);
}

/** A path parameter: a real id, a generated string, or an odd encoding sent as it is. */
const pathParam = (name: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...(known[name] ?? ['x'])).map(encodeURIComponent),
    fc.string({ unit: 'grapheme', maxLength: STRING_CAP }).map(encodeURIComponent),
    fc.constantFrom('%', '%zz', '%00', '%2F', '..', '%2e%2e', '%252F', '%C0%AF', '%ED%A0%80', 'a;b', 'x'.repeat(101), '%F0%9F%99%82'.repeat(30), ' ', '%20'),
  );

/** A query string: documented parameters with valid values, one of them hostile, or repeated or unknown ones. */
function query(op: Operation): fc.Arbitrary<string> {
  type Pairs = [string, string][];
  const params = op.parameters.filter((p) => p.in === 'query');
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');
  const validPairs = fc.tuple(...params.map((p) => fc.option(valid(p.schema).map((v): Pairs => [[p.name, text(v)]]), { nil: [] as Pairs }))).map((chosen) => chosen.flat());
  const odd: fc.Arbitrary<Pairs>[] = [fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([k, v]): Pairs => [[k, v]])];
  if (params.length > 0) {
    odd.push(fc.tuple(fc.constantFrom(...params), hostileValue).map(([p, v]): Pairs => [[p.name, text(v)]]));
    odd.push(fc.constantFrom(...params).map((p): Pairs => [[p.name, '1'], [p.name, '2']]));
    odd.push(fc.tuple(fc.constantFrom(...params), poison).chain(([p, x]) => valid(p.schema).map((v): Pairs => [[p.name, `${text(v)}${x}`]])));
  }
  return fc
    .tuple(validPairs, fc.oneof({ weight: 2, arbitrary: fc.constant([] as Pairs) }, ...odd.map((arbitrary) => ({ weight: 1, arbitrary }))))
    .map(([chosen, extra]) => new URLSearchParams([...chosen.filter(([k]) => !extra.some(([e]) => e === k)), ...extra]).toString());
}

/** A request body: valid, broken, or not JSON at all. */
function body(op: Operation): fc.Arbitrary<{ payload: string; type: string } | undefined> {
  if (!op.body) return fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }).map((v) => ({ payload: JSON.stringify(v), type: 'application/json' })));
  return fc.oneof(
    { weight: 4, arbitrary: valid(op.body).map((v) => ({ payload: JSON.stringify(v), type: 'application/json' })) },
    { weight: 4, arbitrary: mutated(op.body).map((v) => ({ payload: JSON.stringify(v) ?? 'null', type: 'application/json' })) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":1}{', 'null', '[]', '"text"', '1e999', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}').map((payload) => ({ payload, type: 'application/json' })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((payload) => ({ payload, type: 'text/plain' })) },
  );
}

function request(op: Operation): fc.Arbitrary<{ url: string; payload: string | undefined; type: string | undefined; idempotency: string | undefined }> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  return fc
    .record({
      params: fc.tuple(...names.map(pathParam)),
      query: query(op),
      body: body(op),
      idempotency: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
    })
    .map(({ params, query: q, body: b, idempotency }) => {
      let i = 0;
      const path = op.path.replace(/\{[^}]+\}/g, () => params[i++]!);
      return { url: q ? `${path}?${q}` : path, payload: b?.payload, type: b?.type, idempotency };
    });
}

/** Providers that would call a real carrier with generated settings. */
const KNOWN_PROVIDERS = /"provider":"(smpp|telnyx|twilio|vonage|infobip|smspartner|webex-connect|generic-http)"/;

for (const store of STORES) {
  describe(`the API on ${store}, fuzzed from its own document`, () => {
    before(async () => {
      nowhere = `http://127.0.0.1:${await freePort()}/hooks`;
      node = await testNodeOn(store, FAST_WEBHOOKS);
      doc = new ApiDocument((await node.api.inject({ method: 'GET', url: '/openapi.json' })).json());
      const sent = (await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Fuzz', to: '+447700900000', text: 'Hi', send_at: new Date(Date.now() + 3600_000).toISOString() } })).json();
      const endpoint = (await node.api.inject({ method: 'POST', url: '/v1/webhooks/endpoints', headers: bearer(node.key), payload: { url: nowhere } })).json();
      known.id = [sent.messages[0].id, endpoint.id];
      // A connection that takes unsigned receipts, so that generated payloads reach its reader; nothing routes to it.
      const vonage = { provider: 'vonage', api_key: 'key', api_secret: 'secret', accept_unsigned_receipts: true, base_url: nowhere };
      assert.equal((await node.api.inject({ method: 'PUT', url: '/v1/connections/vonage-open', headers: bearer(node.key), payload: vonage })).statusCode, 200);
      known.connection = ['sandbox', 'vonage-open'];
    });

    after(async () => {
      await node?.close();
    });

    test('every operation of the document answers generated and hostile requests as documented', async () => {
      assert.ok(doc.operations.length > 20, 'the document lists the API');
      for (const op of doc.operations) {
        // Connections made from generated settings could call out: only the sandbox and unknown providers are tried.
        const arbitrary = op.key === 'PUT /v1/connections/{name}' ? request(op).filter((r) => !KNOWN_PROVIDERS.test(r.payload ?? '')) : request(op);
        await fc.assert(
          fc.asyncProperty(arbitrary, async (r) => {
            const headers: Record<string, string> = { ...bearer(node.key), ...(r.type && { 'content-type': r.type }), ...(r.idempotency !== undefined && { 'idempotency-key': r.idempotency.replace(/[^\x20-\x7e]/g, '') }) };
            const res = await node.api.inject({ method: op.method as 'GET', url: r.url, headers, ...(r.payload !== undefined && { payload: r.payload }) });
            const context = `${op.method} ${r.url} ${r.payload?.slice(0, 200) ?? ''}`;
            assert.ok(res.statusCode < 500 || res.statusCode === 503, `${res.statusCode} for ${context}: ${res.body.slice(0, 300)}`);
            if (res.statusCode >= 400) assertCanonicalError(res.body, context);
            // Dot segments are resolved as any client resolves them: the path may then be another route, or none.
            const answering = doc.operationFor(op.method, new URL(r.url, 'http://127.0.0.1').pathname);
            if (answering) doc.check(answering, res.statusCode, res.headers['content-type'] as string | undefined, res.body, context);
            else assert.ok([400, 404].includes(res.statusCode), `${res.statusCode} for ${context}`);
          }),
          { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true, includeErrorInReport: true },
        );
      }
    });
  });
}
