import { readFileSync } from 'node:fs';
import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Route } from '../core/routing/router.js';
import type { ProviderPlugin } from '../providers/plugin.js';
import type { Config } from './env.js';

/** Connections and routes: what the configuration file holds. */
export interface Topology {
  /** Each connection's settings, checked against its provider's schema. */
  readonly connections: readonly Record<string, unknown>[];
  readonly routes: readonly Route[];
}

const Strings = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 });

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
    routes: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1 }),
          match: Type.Optional(
            Type.Object(
              { prefixes: Type.Optional(Type.Array(Type.String({ pattern: '^\\+[0-9]{1,15}$' }), { minItems: 1 })), countries: Type.Optional(Strings), senders: Type.Optional(Strings), accounts: Type.Optional(Strings) },
              { additionalProperties: false },
            ),
          ),
          connections: Strings,
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
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

function segments(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
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
      const path = [...at, ...segments(e.instancePath)];
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
    const { connections, routes } = value as { connections: Record<string, unknown>[]; routes: Route[] };
    const names = new Set<string>();
    connections.forEach((c, i) => {
      const plugin = plugins.get(String(c.provider));
      if (!plugin) problems.push({ path: ['connections', i, 'provider'], message: `unknown provider ${JSON.stringify(c.provider)}; known: ${[...plugins.keys()].join(', ')}` });
      else problems.push(...schemaProblems(plugin.settings, c, ['connections', i]));
      if (names.has(String(c.name))) problems.push({ path: ['connections', i, 'name'], message: `another connection is already named ${JSON.stringify(c.name)}` });
      names.add(String(c.name));
    });
    routes.forEach((r, i) =>
      r.connections.forEach((name, j) => {
        if (!names.has(name)) problems.push({ path: ['routes', i, 'connections', j], message: `no connection is named ${JSON.stringify(name)}` });
      }),
    );
  }
  if (problems.length > 0) {
    const listed = problems.map((p) => `${file}:${lineOf(doc, lines, p.path)}: ${describe(p.path)}: ${p.message}`);
    throw new ConfigError(`the configuration is not valid:\n  ${listed.join('\n  ')}`);
  }
  const { connections, routes } = value as { connections: Record<string, unknown>[]; routes: { name: string; match?: Route['match']; connections: string[] }[] };
  return { connections, routes: routes.map((r) => ({ name: r.name, match: r.match ?? {}, connections: r.connections })) };
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
    routes: [{ name: 'default', match: {}, connections: ['sandbox'] }],
  };
}
