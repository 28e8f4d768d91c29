import { parseArgs } from 'node:util';
import { factsOf, factsView } from '../app/lookups.js';
import { GeoCarrierPlan } from '../numbering/geo-carrier.js';

const USAGE = `Usage:
  switchboard lookup <number>... [--json]        The numbering plan's facts, offline and free
  switchboard lookup <number>... --live [--connection C] [--url URL] [--json]
                                                 A live lookup through the running server (POST /v1/lookups), charged
                                                 to the account of the key in SWITCHBOARD_KEY
`;

type Row = ReturnType<typeof factsView> & { live?: { reachability: string; network: string | null; ported: boolean | null; error: { code: string } | null } | null };

const line = (r: Row) =>
  [
    r.number,
    r.valid ? 'valid' : 'invalid',
    r.type ?? '-',
    r.country ?? '-',
    r.carrier ?? '-',
    r.time_zones.join(',') || '-',
    ...(r.live ? [r.live.reachability, r.live.network ?? '-', r.live.ported ? 'ported' : '', r.live.error?.code ?? ''] : []),
  ]
    .join('  ')
    .trimEnd();

/** `lookup ...`: offline facts on this machine; live lookups through the server, which holds the connections. */
export async function lookupCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, live: { type: 'boolean' }, connection: { type: 'string' }, url: { type: 'string' } },
  });
  if (positionals.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const rows: Row[] = values.live ? await live(positionals, values.connection, values.url) : factsOf(new GeoCarrierPlan(), positionals).map(factsView);
  process.stdout.write(values.json ? `${JSON.stringify({ lookups: rows })}\n` : rows.map((r) => `${line(r)}\n`).join(''));
  return 0;
}

async function live(numbers: string[], connection: string | undefined, url: string | undefined): Promise<Row[]> {
  const key = process.env.SWITCHBOARD_KEY;
  if (!key) throw new Error('a live lookup goes through the server: set SWITCHBOARD_KEY to an API key holding the lookups scope');
  const base = (url ?? process.env.SWITCHBOARD_PUBLIC_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const res = await fetch(`${base}/v1/lookups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ numbers, live: true, ...(connection !== undefined && { connection }) }),
  });
  const body = (await res.json()) as { lookups?: Row[]; error?: { code: string; message: string } };
  if (!res.ok || !body.lookups) throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`);
  return body.lookups;
}
