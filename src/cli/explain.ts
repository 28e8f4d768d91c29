import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.js';
import { Catalogue, type Explanation } from '../core/catalogue/catalogue.js';
import { PROVIDER_TABLES } from '../providers/tables.js';

function human(e: Explanation): string {
  const head = `${e.provider}${e.context ? ` / ${e.context}` : ''} / ${e.code}`;
  if (e.matches) return `${head} means different things by context:\n\n${e.matches.map(human).join('\n\n')}`;
  const lines = [head];
  if (!e.found) lines.push('  Not in the catalogue: read as unknown_error (the raw code is kept on the message).');
  else lines.push(`  Provider says: ${e.provider_name ? `${e.provider_name}: ` : ''}${e.provider_message}`);
  if (e.provider_description) lines.push(`  ${e.provider_description}`);
  if (e.provider_permanent !== undefined) lines.push(`  Provider's permanent flag: ${e.provider_permanent}`);
  if (e.state) lines.push(`  Message status: ${e.state}`);
  if (e.canonical) {
    const c = e.canonical;
    lines.push(
      `  Canonical: ${c.code} (${c.type}, HTTP ${c.http_status}) - ${c.title}`,
      `  Permanent: ${c.permanent ? 'yes' : 'no'}; retry: ${c.retry}; failover: ${c.failover ? 'yes' : 'no'}`,
      `  What to do: ${c.resolution}`,
      `  More: ${c.doc_url}`,
    );
  } else if (e.found) {
    lines.push('  Not an error: success or progress.');
  }
  if (e.note) lines.push(`  Note: ${e.note}`);
  return lines.join('\n');
}

/** One JSON line in, one result out; a line that cannot be read gets an error result, never a crash. */
function explainLine(catalogue: Catalogue, line: string): object {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return { found: false, error: 'the line is not JSON', input: line };
  }
  const { provider, code, context } = (input ?? {}) as Record<string, unknown>;
  if (typeof provider !== 'string' || (typeof code !== 'string' && typeof code !== 'number')) {
    return { found: false, error: 'expected {"provider": string, "code": string, "context"?: string}', input };
  }
  return catalogue.explain(provider, String(code), typeof context === 'string' ? context : undefined);
}

/** `explain <provider> <code> [--context C] [--json]`, or `explain --json` over JSON lines on stdin. */
export async function explainCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, context: { type: 'string' } },
  });
  const catalogue = new Catalogue(PROVIDER_TABLES, loadConfig().publicUrl);
  const [provider, code] = positionals;
  if (provider === undefined && values.json) {
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (line.trim() === '') continue;
      process.stdout.write(`${JSON.stringify(explainLine(catalogue, line))}\n`);
    }
    return 0;
  }
  if (provider === undefined || code === undefined) {
    process.stderr.write('Usage: switchboard explain <provider> <code> [--context <context>] [--json]\n');
    return 2;
  }
  if (!catalogue.hasProvider(provider)) {
    process.stderr.write(`Unknown provider ${JSON.stringify(provider)}. Known: ${catalogue.providers().join(', ')}\n`);
    return 2;
  }
  if (values.context !== undefined && catalogue.resolveContext(provider, values.context) === undefined) {
    process.stderr.write(`Unknown context ${JSON.stringify(values.context)} for ${provider}. Known: ${catalogue.tables(provider).map((t) => t.context).join(', ')}\n`);
    return 2;
  }
  const result = catalogue.explain(provider, code, values.context);
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${human(result)}\n`);
  return result.found ? 0 : 1;
}
