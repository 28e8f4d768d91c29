import { GeoCarrierPlan } from '../src/numbering/geo-carrier.js';
import { startServer, type BenchServer } from './server.js';

/** 1,000 French mobile numbers, distinct from every other call's (a live lookup is never a cache hit here). */
function numbers(call: number): string[] {
  return Array.from({ length: 1000 }, (_, i) => `+336${String(call * 1000 + i).padStart(8, '0')}`);
}

/** Calls POST /v1/lookups with 1,000 numbers each from `clients` loops for `seconds`; numbers looked up per second. */
async function drive(server: BenchServer, live: boolean, clients: number, seconds: number): Promise<{ perSecond: number; p50: number; errors: number }> {
  const until = Date.now() + seconds * 1000;
  const times: number[] = [];
  let call = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const t = performance.now();
        const res = await fetch(`${server.url}/v1/lookups`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ numbers: numbers(call++), live }),
        });
        await res.arrayBuffer();
        if (res.status === 200) times.push(performance.now() - t);
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { perSecond: (times.length * 1000) / elapsed, p50: Math.round(times[Math.floor(times.length / 2)] ?? 0), errors };
}

/** Number lookups: the plan's facts in-process, then through the API offline and live on the sandbox (stored), 1,000 numbers per call. */
export async function lookupsSection(seconds: number): Promise<void> {
  const plan = new GeoCarrierPlan();
  const sample = numbers(0);
  // Loads the data and warms the code up, as a running server has.
  for (let round = 0; round < 5; round++) for (const n of sample) plan.facts(n);
  const t = performance.now();
  for (let round = 0; round < 20; round++) for (const n of sample) plan.facts(n);
  console.log(`\nNumber lookups, 1,000 numbers per call`);
  console.log(`  in-process facts (libphonenumber + carrier and time-zone data)  ${(((performance.now() - t) * 1000) / 20_000).toFixed(1)} µs per number`);
  for (const [label, live, clients] of [['offline, through the API, 4 connections', false, 4], ['live on the sandbox (charged to nobody, 1,000 rows stored per call), 4 connections', true, 4]] as const) {
    const server = await startServer();
    try {
      const f = await drive(server, live, clients, seconds);
      console.log(`  ${label.padEnd(84)} ${f.perSecond.toFixed(0).padStart(7)} lookups/s  p50 ${String(f.p50).padStart(4)} ms per call  errors ${f.errors}`);
    } finally {
      await server.stop();
    }
  }
}
