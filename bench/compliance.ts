import { benchAccept, benchAccounts, recipients, type AcceptFigures } from './accept.js';
import { startServer, type BenchServer } from './server.js';
import { median } from './median.js';

/** A marketing policy with every rule on; its windows are open all week so that accepts go through them all and are stored. */
const EVERY_RULE = {
  marketing: {
    windows: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, '00:00-24:00'])),
    holidays: true,
    outside: 'defer',
    duplicate_window: 600,
    caps: { hour: 1_000_000, day: 1_000_000 },
    opt_out: 'footer',
    footers: { FR: 'STOP au 36111' },
    blocked_words: ['casino', 'lottery'],
    blocked_domains: ['bit.ly'],
    sender_rules: true,
  },
};

/** One marketing message to one number a request, each text new (the duplicate guard would refuse a repeat). */
const body = (i: number) => JSON.stringify({ from: 'Bench', to: recipients(1, i)[0], text: `Sale ${i}: 20% off today`, type: 'marketing' });

/**
 * Single-recipient marketing accepts from an account with every compliance rule on, beside one
 * without a policy, on one server: `BENCH_COMPLIANCE_ROUNDS` rounds (3), the order reversed each
 * round so that a drifting machine weighs on both alike, after a warm-up of each. Prints each
 * run, and the median ratio.
 */
export async function complianceSection(seconds: number): Promise<void> {
  const rounds = Number(process.env.BENCH_COMPLIANCE_ROUNDS ?? 3);
  console.log(`\nCompliance rules at accept: SQLite (SWITCHBOARD_SQLITE_SYNC=full: every write on disk before its answer), single recipient, marketing, 64 connections; ${seconds}s each, ${rounds} rounds`);
  const server = await startServer();
  try {
    const [off, on] = await benchAccounts(server, 2, false);
    await patch(server, on!, EVERY_RULE);
    // Both paths warmed first (the JIT, SQLite's cache): the rounds compare steady states.
    for (const key of [off!, on!]) await benchAccept({ ...server, key }, { connections: 64, seconds: 2, recipientsPerRequest: 1, body: (i) => body(90_000_000 + i + (key === on ? 1_000_000 : 0)) });
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const figures: Record<string, AcceptFigures> = {};
      for (const [label, key] of r % 2 === 0 ? [['rules off', off!], ['every rule on', on!]] : [['every rule on', on!], ['rules off', off!]]) {
        figures[label!] = await benchAccept({ ...server, key: key! }, { connections: 64, seconds, recipientsPerRequest: 1, body: (i) => body(r * 10_000_000 + i) });
        const f = figures[label!]!;
        console.log(`  round ${r + 1} ${label!.padEnd(14)} ${f.requestsPerSecond.toFixed(0).padStart(6)} accepts/s  p50 ${String(f.p50).padStart(4)} ms  p99 ${String(f.p99).padStart(4)} ms  errors ${f.errors}`);
      }
      ratios.push(figures['every rule on']!.requestsPerSecond / figures['rules off']!.requestsPerSecond);
    }
    const middle = median(ratios);
    console.log(`  every rule on / rules off: ${ratios.map((x) => x.toFixed(3)).join(', ')}; median ${middle.toFixed(3)} (${((1 - middle) * 100).toFixed(1)}% slower)`);
  } finally {
    await server.stop();
  }
}

/** Sets an account's compliance policies, as its parent (the operator) does. */
async function patch(server: BenchServer, key: string, compliance: object): Promise<void> {
  const me = await fetch(`${server.url}/v1/balance`, { headers: { authorization: `Bearer ${key}` } });
  const { account } = (await me.json()) as { account: string };
  const res = await fetch(`${server.url}/v1/accounts/${account}`, { method: 'PATCH', headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ compliance }) });
  if (res.status !== 200) throw new Error(`PATCH /v1/accounts/${account}: ${res.status} ${await res.text()}`);
}
