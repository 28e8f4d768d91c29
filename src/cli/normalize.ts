import { createInterface } from 'node:readline';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.js';
import { Catalogue } from '../core/catalogue/catalogue.js';
import { normalizeOne, readerFor } from '../providers/pasted.js';
import { PROVIDER_TABLES } from '../providers/tables.js';

const LINE_SHAPE = 'expected {"provider": string, "kind"?: string, "raw": string, "content_type"?: string}';

/** One `--jsonl` line: its result, or an error result saying what is wrong with the line. */
function normalizeLine(catalogue: Catalogue, line: string): object {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return { error: 'the line is not JSON' };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { error: LINE_SHAPE };
  const { provider, kind, raw, content_type } = input as Record<string, unknown>;
  const optional = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';
  if (typeof provider !== 'string' || typeof raw !== 'string' || !optional(kind) || !optional(content_type)) return { error: LINE_SHAPE };
  return normalizeOne(catalogue, provider, kind, raw, content_type);
}

/**
 * `normalize <provider> [--kind K]` reads one raw payload on stdin and prints how Switchboard
 * understands it; `normalize --jsonl` reads `{"provider","kind","raw","content_type"?}` lines.
 */
export async function normalizeCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { kind: { type: 'string' }, jsonl: { type: 'boolean' } } });
  const catalogue = new Catalogue(PROVIDER_TABLES, loadConfig().publicUrl);
  if (values.jsonl) {
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (line.trim() !== '') process.stdout.write(`${JSON.stringify(normalizeLine(catalogue, line))}\n`);
    }
    return 0;
  }
  const [provider] = positionals;
  if (provider === undefined) {
    process.stderr.write('Usage: switchboard normalize <provider> [--kind <kind>] < payload\n       switchboard normalize --jsonl < payloads.jsonl\n');
    return 2;
  }
  const reader = readerFor(provider, values.kind);
  if (typeof reader === 'string') {
    process.stderr.write(`switchboard normalize: ${reader}\n`);
    return 2;
  }
  const result = normalizeOne(catalogue, provider, values.kind, await text(process.stdin));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 'error' in result ? 1 : 0;
}
