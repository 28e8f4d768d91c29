import { readFileSync } from 'node:fs';
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Policies } from '../core/compliance/policy.js';
import type { Route, RouteTarget } from '../core/routing/router.js';
import { PoliciesSchema, toPolicies, type PoliciesInput } from './compliance.js';
import type { ProviderPlugin } from '../providers/plugin.js';
import type { Config } from './env.js';

/** Connections and routes: what the configuration file holds. */
export interface Topology {
  /** Each connection's settings, checked against its provider's schema. */
  readonly connections: readonly Record<string, unknown>[];
  readonly routes: readonly Route[];
  /** The operator's compliance policies per message type, for accounts without their own. */
  readonly compliance: Policies;
}

const Strings = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 });
const Prefixes = Type.Array(Type.String({ pattern: '^\\+[0-9]{1,15}$' }), { minItems: 1 });
const MCC_MNC = /^[0-9]{5,6}$/;

/**
 * Mobile networks' number ranges: MCC-MNC to E.164 prefixes, as the numbering plan assigns them
 * (`"23410": ["+447700", "+447701"]`). What routes matching on `networks` know a number's network
 * by; ported numbers are not detected without an HLR lookup.
 */
export const NetworksSchema = Type.Record(Type.String(), Prefixes, { description: 'MCC-MNC to the E.164 prefixes of its number ranges' });

type NetworksInput = Static<typeof NetworksSchema>;

const Target = Type.Union([
  Type.String({ minLength: 1 }),
  Type.Object(
    {
      connection: Type.String({ minLength: 1 }),
      priority: Type.Optional(Type.Integer({ minimum: 0, description: 'lower goes first; default 1' })),
      weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'share among the best priority (weighted strategy); default 1' })),
      price: Type.Optional(Type.Number({ minimum: 0, description: 'price of one segment (cheapest strategy)' })),
    },
    { additionalProperties: false },
  ),
]);

/** The routing table: ordered rules, the first that matches a message routes it. */
export const RoutesSchema = Type.Array(
  Type.Object(
    {
      name: Type.String({ minLength: 1 }),
      match: Type.Optional(
        Type.Object(
          {
            prefixes: Type.Optional(Prefixes),
            countries: Type.Optional(Strings),
            senders: Type.Optional(Strings),
            accounts: Type.Optional(Strings),
            types: Type.Optional(Strings),
            networks: Type.Optional(Type.Array(Type.String({ pattern: MCC_MNC.source }), { minItems: 1, description: 'MCC-MNC, of the networks table' })),
          },
          { additionalProperties: false },
        ),
      ),
      strategy: Type.Optional(Type.Union([Type.Literal('priority'), Type.Literal('weighted'), Type.Literal('cheapest'), Type.Literal('best')], { description: 'default priority' })),
      connections: Type.Array(Target, { minItems: 1 }),
      min_delivery_rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'best: set aside a connection whose delivery rate is likely under this' })),
      max_receipt_latency: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'best: set aside a connection whose receipts take longer than this (p95, seconds)' })),
      exploration: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'best: share of messages sent first to a connection set aside, to see it recover (default 0.05)' })),
      avoid_degraded: Type.Optional(Type.Boolean({ description: 'best: set aside a degraded connection until it recovers (default true)' })),
      resend_unknown: Type.Optional(Type.Boolean({ description: 'send a message whose submit outcome is unknown to the next connection (default false)' })),
    },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);

type RouteInput = Static<typeof RoutesSchema>[number];

const FileSchema = Type.Object(
  {
    connections: Type.Array(
      Type.Object({
        // A name is a URL segment (webhooks); "codes" would collide with /v1/providers/{provider}/codes.
        name: Type.String({ pattern: '^(?!codes$)[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }),
        provider: Type.String(),
      }),
      { minItems: 1 },
    ),
    routes: RoutesSchema,
    networks: Type.Optional(NetworksSchema),
    compliance: Type.Optional(PoliciesSchema),
  },
  { additionalProperties: false },
);

/** A configuration file that cannot be used; the message names every bad line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

interface Problem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A JSON pointer's path in `value`: indices where it meets an array, keys elsewhere (a network "23410" is a key). */
function segments(pointer: string, value: unknown): (string | number)[] {
  let node = value;
  return pointer
    .split('/')
    .slice(1)
    .map((s) => {
      const key = s.replace(/~1/g, '/').replace(/~0/g, '~');
      const seg = Array.isArray(node) ? Number(key) : key;
      node = (node as Record<string | number, unknown> | undefined)?.[seg];
      return seg;
    });
}

function describe(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg), '') || '(top level)';
}

/** The line a path points at: the deepest node of the path the document has. */
function lineOf(doc: Document, lines: LineCounter, path: readonly (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}

function schemaProblems(schema: TSchema, value: unknown, at: readonly (string | number)[]): Problem[] {
  return Value.Errors(schema, value)
    .filter((e) => e.keyword !== 'boolean')
    .map((e) => {
      const path = [...at, ...segments(e.instancePath, value)];
      const extra = (e.params as { additionalProperties?: string[] }).additionalProperties;
      return extra ? { path: [...path, extra[0]!], message: `unknown setting ${JSON.stringify(extra[0])}` } : { path, message: e.message };
    });
}

/**
 * Reads and checks a configuration file: its shape, each connection against its provider's
 * settings, and that names agree (connections unique, every route naming known connections).
 * Throws a ConfigError listing every problem with its line.
 */
export function parseTopology(text: string, file: string, plugins: ReadonlyMap<string, ProviderPlugin>): Topology {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ConfigError(`${file}:${lines.linePos(e.pos[0]).line}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const value = doc.toJS() as unknown;
  const problems = schemaProblems(FileSchema, value, []);
  if (problems.length === 0) {
    const { connections, routes, networks } = value as FileInput;
    const names = new Set<string>();
    connections.forEach((c, i) => {
      problems.push(...settingsProblems(c, plugins, ['connections', i]));
      if (names.has(String(c.name))) problems.push({ path: ['connections', i, 'name'], message: `another connection is already named ${JSON.stringify(c.name)}` });
      names.add(String(c.name));
    });
    problems.push(...tableProblems(routes, networks, names));
  }
  const compliance = problems.length === 0 ? toPolicies((value as FileInput).compliance ?? {}, (path, message) => problems.push({ path: ['compliance', ...path], message })) : {};
  if (problems.length > 0) {
    const listed = problems.map((p) => `${file}:${lineOf(doc, lines, p.path)}: ${describe(p.path)}: ${p.message}`);
    throw new ConfigError(`the configuration is not valid:\n  ${listed.join('\n  ')}`);
  }
  const { connections, routes, networks } = value as FileInput;
  return { connections, routes: routes.map((r) => toRoute(r, networks ?? {})), compliance };
}

interface FileInput {
  readonly connections: Record<string, unknown>[];
  readonly routes: RouteInput[];
  readonly networks?: NetworksInput;
  readonly compliance?: PoliciesInput;
}

function settingsProblems(c: Record<string, unknown>, plugins: ReadonlyMap<string, ProviderPlugin>, at: readonly (string | number)[]): Problem[] {
  const plugin = plugins.get(String(c.provider));
  if (!plugin) return [{ path: [...at, 'provider'], message: `unknown provider ${JSON.stringify(c.provider)}; known: ${[...plugins.keys()].join(', ')}` }];
  return schemaProblems(plugin.settings, c, at);
}

/**
 * Checks one connection's settings given through the API, as the file's are checked. Returns
 * the problems with where they are (`tps`, `provider`).
 */
export function connectionProblems(settings: Record<string, unknown>, plugins: ReadonlyMap<string, ProviderPlugin>): string[] {
  const name = schemaProblems(FileSchema.properties.connections.items, settings, []);
  return [...name, ...settingsProblems(settings, plugins, [])].map((p) => `${describe(p.path)}: ${p.message}`);
}

/** What the shape alone does not say: every name a route gives is known, and no number lies on two networks. */
function tableProblems(routes: readonly RouteInput[], networks: NetworksInput | undefined, connections: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  // Each range's network: a number lies on one network only, so no range may hold another's.
  const owner = new Map<string, string>();
  for (const [network, ranges] of Object.entries(networks ?? {})) {
    if (!MCC_MNC.test(network)) problems.push({ path: ['networks', network], message: 'a network is named by its MCC-MNC, 5 or 6 digits ("23410")' });
    for (const range of ranges) if (!owner.has(range)) owner.set(range, network);
  }
  for (const [network, ranges] of Object.entries(networks ?? {})) {
    ranges.forEach((range, j) => {
      for (let end = range.length; end > 1; end--) {
        const other = owner.get(range.slice(0, end));
        if (other !== undefined && other !== network) {
          problems.push({ path: ['networks', network, j], message: `${range} lies within ${range.slice(0, end)}, a range of ${other}: a number is on one network only` });
          return;
        }
      }
    });
  }
  routes.forEach((r, i) => {
    r.connections.forEach((t, j) => {
      const name = typeof t === 'string' ? t : t.connection;
      if (!connections.has(name)) problems.push({ path: ['routes', i, 'connections', j], message: `no connection is named ${JSON.stringify(name)}` });
    });
    r.match?.networks?.forEach((network, k) => {
      if (!networks?.[network]) problems.push({ path: ['routes', i, 'match', 'networks', k], message: `no network ${JSON.stringify(network)} in the networks table` });
    });
  });
  return problems;
}

function toRoute(r: RouteInput, networks: NetworksInput): Route {
  const { networks: named, ...match } = r.match ?? {};
  return {
    name: r.name,
    match: named ? { ...match, networks: Object.fromEntries(named.map((n) => [n, networks[n]!])) } : match,
    strategy: r.strategy ?? 'priority',
    resendUnknown: r.resend_unknown ?? false,
    ...(r.min_delivery_rate !== undefined && { minDeliveryRate: r.min_delivery_rate }),
    ...(r.max_receipt_latency !== undefined && { maxReceiptLatencyMs: r.max_receipt_latency * 1000 }),
    ...(r.exploration !== undefined && { exploration: r.exploration }),
    ...(r.avoid_degraded !== undefined && { avoidDegraded: r.avoid_degraded }),
    connections: r.connections.map(
      (t): RouteTarget => (typeof t === 'string' ? { connection: t, priority: 1, weight: 1, price: null } : { connection: t.connection, priority: t.priority ?? 1, weight: t.weight ?? 1, price: t.price ?? null }),
    ),
  };
}

/**
 * Checks a routing table (and the networks table its routes match on) given through the API
 * against the connections there are. Returns the routes, or the problems with where they are
 * (`routes[2].connections[0]`, `networks.23410[1]`).
 */
export function parseRoutes(value: unknown, networks: unknown, connections: ReadonlySet<string>): { routes: Route[] } | { problems: string[] } {
  const problems = [...schemaProblems(RoutesSchema, value, ['routes']), ...(networks === undefined ? [] : schemaProblems(NetworksSchema, networks, ['networks']))];
  if (problems.length === 0) problems.push(...tableProblems(value as RouteInput[], networks as NetworksInput | undefined, connections));
  if (problems.length > 0) return { problems: problems.map((p) => `${describe(p.path)}: ${p.message}`) };
  return { routes: (value as RouteInput[]).map((r) => toRoute(r, (networks ?? {}) as NetworksInput)) };
}

/** A routing table as the file and the API write it: its routes, and the ranges of the networks they match on. */
export function routingToJson(routes: readonly Route[]): { routes: RouteInput[]; networks?: NetworksInput } {
  const networks = Object.assign({}, ...routes.map((r) => r.match.networks ?? {})) as Record<string, string[]>;
  return {
    routes: routes.map((r) => {
      const { networks: ranges, ...match } = r.match;
      const written = { ...match, ...(ranges && { networks: Object.keys(ranges) }) };
      return {
        name: r.name,
        ...(Object.keys(written).length > 0 && { match: written as RouteInput['match'] }),
        strategy: r.strategy,
        connections: r.connections.map((t) => ({ connection: t.connection, priority: t.priority, weight: t.weight, ...(t.price !== null && { price: t.price }) })),
        resend_unknown: r.resendUnknown,
        ...(r.minDeliveryRate !== undefined && { min_delivery_rate: r.minDeliveryRate }),
        ...(r.maxReceiptLatencyMs !== undefined && { max_receipt_latency: r.maxReceiptLatencyMs / 1000 }),
        ...(r.exploration !== undefined && { exploration: r.exploration }),
        ...(r.avoidDegraded !== undefined && { avoid_degraded: r.avoidDegraded }),
      };
    }),
    ...(Object.keys(networks).length > 0 && { networks }),
  };
}

export function readTopology(file: string, plugins: ReadonlyMap<string, ProviderPlugin>): Topology {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the configuration file ${file}: ${(error as Error).message}`);
  }
  return parseTopology(text, file, plugins);
}

/** Without a file: the sandbox, as the environment sets it, takes every message. */
export function defaultTopology(config: Pick<Config, 'sandboxReceiptDelayMs' | 'sandboxTps'>): Topology {
  return {
    connections: [
      {
        name: 'sandbox',
        provider: 'sandbox',
        receipt_delay_ms: config.sandboxReceiptDelayMs,
        ...(Number.isFinite(config.sandboxTps) && { tps: config.sandboxTps }),
      },
    ],
    routes: [singleRoute('sandbox')],
    compliance: {},
  };
}

/** A table of one route taking every message through one connection. */
export function singleRoute(connection: string): Route {
  return { name: 'default', match: {}, strategy: 'priority', resendUnknown: false, connections: [{ connection, priority: 1, weight: 1, price: null }] };
}
