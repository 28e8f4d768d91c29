import type { MessageStatus } from '../lifecycle.js';
import { canonicalError, docPath, type CanonicalCode } from './canonical.js';
import { permanenceOf } from './permanence.js';
import type { CanonicalErrorDef, ProviderCodeRow, ProviderCodeTable } from './types.js';

/** A provider code resolved in one table. */
export interface CodeMatch {
  readonly table: ProviderCodeTable;
  readonly row: ProviderCodeRow;
}

/** The canonical error as the catalogue shows it next to a provider code. */
export interface CanonicalView {
  readonly code: CanonicalCode;
  readonly type: CanonicalErrorDef['type'];
  readonly http_status: number;
  readonly permanent: boolean;
  readonly retry: CanonicalErrorDef['retry'];
  readonly failover: boolean;
  readonly title: string;
  readonly resolution: string;
  readonly doc_url: string;
}

/** One provider code, explained: the provider's own facts and the canonical error it means. */
export interface Explanation {
  readonly provider: string;
  readonly context: string | null;
  readonly code: string;
  readonly found: boolean;
  readonly provider_message: string | null;
  readonly provider_name?: string;
  readonly provider_description?: string;
  readonly provider_group?: string;
  readonly provider_permanent?: boolean;
  readonly provider_resolution?: string;
  readonly state?: MessageStatus;
  readonly note?: string;
  readonly canonical: CanonicalView | null;
  /** Every match, when the code means several things and no context chose one. */
  readonly matches?: readonly Explanation[];
}

interface IndexedTable {
  readonly table: ProviderCodeTable;
  readonly rows: ReadonlyMap<string, readonly ProviderCodeRow[]>;
}

const HEX = /^0x[0-9a-f]+$/i;
const DEC = /^\d+$/;

function integerKey(code: string): string | undefined {
  const trimmed = code.trim();
  if (HEX.test(trimmed)) return String(Number.parseInt(trimmed, 16));
  if (DEC.test(trimmed)) return String(Number.parseInt(trimmed, 10));
  return undefined;
}

function keysOf(table: ProviderCodeTable, row: ProviderCodeRow): string[] {
  const keys = [row.code, row.code.toLowerCase()];
  if (row.name) keys.push(row.name.toLowerCase());
  if (table.match === 'integer') {
    const key = integerKey(row.code);
    if (key !== undefined) keys.push(key);
  }
  return keys;
}

function index(table: ProviderCodeTable): IndexedTable {
  const rows = new Map<string, ProviderCodeRow[]>();
  for (const row of table.rows) {
    for (const key of new Set(keysOf(table, row))) {
      const list = rows.get(key) ?? [];
      list.push(row);
      rows.set(key, list);
    }
  }
  return { table, rows };
}

function rowsFor(indexed: IndexedTable, code: string): readonly ProviderCodeRow[] {
  const { rows, table } = indexed;
  const exact = rows.get(code) ?? rows.get(code.trim().toLowerCase());
  if (exact) return exact;
  if (table.match === 'integer') {
    const key = integerKey(code);
    if (key !== undefined) return rows.get(key) ?? [];
  }
  return [];
}

/**
 * The one place that knows what a provider code means. Built from every provider's tables (data
 * that lives beside each provider) and the canonical errors; pure, so the API, the CLI, the
 * connectors and the dispatcher all read the same answers.
 */
export class Catalogue {
  readonly #providers = new Map<string, Map<string, IndexedTable>>();
  readonly #aliases = new Map<string, Map<string, string>>();
  readonly #docBaseUrl: string;

  /** @param docBaseUrl where the server is reached, e.g. `http://127.0.0.1:8080`; doc_url is built on it. */
  constructor(tables: readonly ProviderCodeTable[], docBaseUrl: string) {
    this.#docBaseUrl = docBaseUrl.replace(/\/+$/, '');
    for (const table of tables) {
      if (this.#providers.get(table.provider)?.has(table.context)) throw new Error(`duplicate context ${table.provider}/${table.context}`);
      this.set(table);
    }
  }

  /** Adds a table, or replaces the one of the same provider and context (a connection's own, changed at run time). */
  set(table: ProviderCodeTable): void {
    const contexts = this.#providers.get(table.provider) ?? new Map<string, IndexedTable>();
    contexts.set(table.context, index(table));
    this.#providers.set(table.provider, contexts);
    const aliases = this.#aliases.get(table.provider) ?? new Map<string, string>();
    for (const alias of table.aliases ?? []) aliases.set(alias, table.context);
    this.#aliases.set(table.provider, aliases);
  }

  providers(): string[] {
    return [...this.#providers.keys()];
  }

  tables(provider?: string): ProviderCodeTable[] {
    const out: ProviderCodeTable[] = [];
    for (const [name, contexts] of this.#providers) {
      if (provider === undefined || provider === name) for (const t of contexts.values()) out.push(t.table);
    }
    return out;
  }

  hasProvider(provider: string): boolean {
    return this.#providers.has(provider);
  }

  /** The context a user typed, resolved through aliases; undefined when the provider has no such context. */
  resolveContext(provider: string, context: string): string | undefined {
    const contexts = this.#providers.get(provider);
    if (!contexts) return undefined;
    const slug = context.trim().toLowerCase();
    if (contexts.has(slug)) return slug;
    return this.#aliases.get(provider)?.get(slug);
  }

  /** Every row the code matches, in one context or across all of the provider's contexts. */
  lookup(provider: string, code: string, context?: string): CodeMatch[] {
    const contexts = this.#providers.get(provider);
    if (!contexts) return [];
    const resolved = context === undefined ? undefined : this.resolveContext(provider, context);
    if (context !== undefined && resolved === undefined) return [];
    const tables = resolved === undefined ? [...contexts.values()] : [contexts.get(resolved)!];
    return tables.flatMap((t) => rowsFor(t, code).map((row) => ({ table: t.table, row })));
  }

  /** The canonical error, with the permanence a provider's own flag gives it for that provider's code. */
  canonical(code: CanonicalCode, providerPermanent?: boolean): CanonicalView {
    const def = canonicalError(code);
    return {
      code,
      type: def.type,
      http_status: def.http_status,
      ...permanenceOf(def, providerPermanent),
      failover: def.failover,
      title: def.title,
      resolution: def.resolution,
      doc_url: this.docUrl(code),
    };
  }

  docUrl(code: string): string {
    return this.#docBaseUrl + docPath(code);
  }

  /**
   * Explains a provider code. An unknown code is never dropped: it comes back `found: false` with
   * the canonical `unknown_error`, so a caller can always act on the answer.
   */
  explain(provider: string, code: string, context?: string): Explanation {
    const matches = this.lookup(provider, code, context);
    const resolved = context === undefined ? null : (this.resolveContext(provider, context) ?? context);
    if (matches.length === 0) {
      return {
        provider,
        context: resolved,
        code,
        found: false,
        provider_message: null,
        canonical: this.canonical('unknown_error'),
      };
    }
    const explained = matches.map((m) => this.#explainMatch(provider, code, m));
    if (explained.length === 1) return explained[0]!;
    return { ...explained[0]!, context: resolved, matches: explained };
  }

  #explainMatch(provider: string, code: string, { table, row }: CodeMatch): Explanation {
    return {
      provider,
      context: table.context,
      code,
      found: true,
      provider_message: row.message,
      ...(row.name !== undefined && { provider_name: row.name }),
      ...(row.description !== undefined && { provider_description: row.description }),
      ...(table.group !== undefined && { provider_group: table.group }),
      ...(row.permanent !== undefined && { provider_permanent: row.permanent }),
      ...(row.resolution !== undefined && { provider_resolution: row.resolution }),
      ...(row.state !== undefined && { state: row.state }),
      ...(row.note !== undefined && { note: row.note }),
      canonical: row.canonical === null ? null : this.canonical(row.canonical, row.permanent),
    };
  }
}
