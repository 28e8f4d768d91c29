import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_CI } from './helpers.js';

/** One coded row of a seed document: where it stands, and its code. */
export interface SeedRow {
  readonly provider: string;
  readonly context: string;
  readonly code: string;
  readonly line: number;
}

// The seed documents are not in the repository: CI puts them in `shared/seeds/` beside the clone.
const SEED_DIR = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));

/**
 * Why the seed cross-check cannot run here, or false where the seeds are. This project's CI has
 * them and must run it: there, missing seeds fail the check rather than skip it.
 */
export const seedsAbsent: string | false = existsSync(SEED_DIR) || PROJECT_CI ? false : 'the seed documents (../shared/seeds) are not beside this clone';

/** Which provider each seed documents, by the number its file name starts with. */
const PROVIDERS: Record<string, string> = { '000': 'vonage', '001': 'smspartner', '002': 'sms-log', '003': 'webex-connect', '004': 'chirp' };

export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim().replace(/^`|`$/g, ''));
}

const SEPARATOR = /^\|?\s*:?-{3,}/;

/**
 * Markdown seeds: every table row, in the context of the nearest heading above it. The code is
 * the first column whose header names a code, a status or an id. A loose "992 Unauthorized
 * sender" line in a section is a coded row too, and a row that fused two rows ("| 508 | false |
 * | 509 | ...") yields both codes.
 */
function markdownRows(provider: string, text: string): SeedRow[] {
  const rows: SeedRow[] = [];
  const lines = text.split('\n');
  let context = '';
  let codeColumn = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      context = slug(heading[1]!);
      codeColumn = -1;
      continue;
    }
    if (!line.trim().startsWith('|')) {
      codeColumn = -1;
      const loose = /^(\d+)\s+[A-Za-z]/.exec(line.trim());
      if (loose && context) rows.push({ provider, context, code: loose[1]!, line: i + 1 });
      continue;
    }
    if (SEPARATOR.test(line.trim())) continue;
    const row = cells(line);
    if (codeColumn === -1) {
      codeColumn = row.findIndex((h) => /code|status|id/i.test(h));
      continue;
    }
    const fused = /^\|\s*(\d+)\s*\|\s*(?:true|false)\s*\|\s*\|\s*(\d+)\s*\|/.exec(line.trim());
    if (fused) {
      rows.push({ provider, context, code: fused[1]!, line: i + 1 }, { provider, context, code: fused[2]!, line: i + 1 });
      continue;
    }
    const code = row[codeColumn];
    if (code) rows.push({ provider, context, code, line: i + 1 });
  }
  return rows;
}

/**
 * Webex Connect's page: headings are short plain lines; each table is a header line and a
 * `---|---|` line, then rows. Prose before a table (longer lines) keeps the current context.
 */
function pipeTableRows(provider: string, text: string): SeedRow[] {
  const rows: SeedRow[] = [];
  const lines = text.split('\n');
  let context = '';
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (/^-{3}\|/.test(line)) {
      inTable = true;
      continue;
    }
    if (inTable && line.includes('|')) {
      const code = cells(line)[0];
      if (code) rows.push({ provider, context, code, line: i + 1 });
      continue;
    }
    inTable = false;
    const isHeader = line.includes('|') && /^-{3}\|/.test(lines[i + 1]?.trim() ?? '');
    if (!isHeader && line !== '' && !line.includes('|') && line.length < 60) context = slug(line);
  }
  return rows;
}

/** The SMS log page: four statuses in bullets, and a tab-separated failure-reason table. */
function smsLogRows(provider: string, text: string): SeedRow[] {
  const rows: SeedRow[] = [];
  const lines = text.split('\n');
  let reasons = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const status = /^- \*\*(\w+):\*\*/.exec(line);
    if (status) rows.push({ provider, context: 'status', code: status[1]!, line: i + 1 });
    if (line.startsWith('Error Message\t')) {
      reasons = true;
      continue;
    }
    if (reasons && line.includes('\t')) rows.push({ provider, context: 'failure-reason', code: line.split('\t')[0]!.trim(), line: i + 1 });
  }
  return rows;
}

/** Every coded row of every table of every seed. */
export function seedRows(): SeedRow[] {
  return readdirSync(SEED_DIR)
    .filter((f) => /^\d{3}_.*\.txt$/.test(f))
    .sort()
    .flatMap((file) => {
      const provider = PROVIDERS[file.slice(0, 3)];
      if (!provider) throw new Error(`no provider known for seed ${file}`);
      const text = readFileSync(join(SEED_DIR, file), 'utf8');
      if (provider === 'webex-connect') return pipeTableRows(provider, text);
      if (provider === 'sms-log') return smsLogRows(provider, text);
      return markdownRows(provider, text);
    });
}
