import { PostgresStore } from '../src/storage/postgres/store.js';
import { benchAccept, benchAccounts, type AcceptFigures } from './accept.js';
import { startServer, type BenchServer } from './server.js';

const DATABASE_URL = process.env.SWITCHBOARD_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.SWITCHBOARD_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Connections in all, shared between the nodes. */
const CONNECTIONS = 48;

/**
 * Single-recipient accepts with charging off (accounts without a price list) and on, from one
 * account or spread over 100, on SQLite and on PostgreSQL with `nodeCount` nodes (0: SQLite).
 * The sandbox sends at 1 TPS, so the figures are the accept path's. With several nodes, one
 * client per node runs at once; p99 is the worst node's.
 */
async function pricingRun(nodeCount: number, priced: boolean, accounts: number, seconds: number): Promise<AcceptFigures> {
  const namespace = `bench_pricing_${process.pid}_${Date.now()}`;
  const shared = nodeCount > 0;
  const env: Record<string, string> = {
    SWITCHBOARD_SANDBOX_TPS: '1',
    ...(shared && { SWITCHBOARD_DATABASE_URL: DATABASE_URL, SWITCHBOARD_DATABASE_SCHEMA: namespace, SWITCHBOARD_REDIS_URL: REDIS_URL, SWITCHBOARD_REDIS_PREFIX: `${namespace}:` }),
  };
  const first = await startServer({ ...env, SWITCHBOARD_NODE_ID: 'bench-1' });
  const nodes: BenchServer[] = [first];
  try {
    for (let n = 2; n <= nodeCount; n++) nodes.push(await startServer({ ...env, SWITCHBOARD_NODE_ID: `bench-${n}` }, { key: first.key }));
    const keys = await benchAccounts(first, accounts, priced);
    const connections = Math.ceil(CONNECTIONS / nodes.length);
    const figures = await Promise.all(nodes.map((node) => benchAccept({ url: node.url, key: first.key }, { connections, seconds, recipientsPerRequest: 1, keys })));
    const sum = (f: (x: AcceptFigures) => number) => figures.reduce((s, x) => s + f(x), 0);
    return {
      requestsPerSecond: sum((x) => x.requestsPerSecond),
      messagesPerSecond: sum((x) => x.messagesPerSecond),
      p50: Math.max(...figures.map((x) => x.p50)),
      p99: Math.max(...figures.map((x) => x.p99)),
      accepted: sum((x) => x.accepted),
      errors: sum((x) => x.errors),
    };
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    if (shared) {
      const store = new PostgresStore({ url: DATABASE_URL, schema: namespace });
      await store.dropSchema();
      await store.close();
    }
  }
}

/** `npm run bench` section; alone: `node dist/bench/run.js pricing` (BENCH_PRICING_NODES=0,1,3 chooses the set-ups). */
export async function pricingSection(seconds: number): Promise<void> {
  const setups = (process.env.BENCH_PRICING_NODES ?? '0,1,3').split(',').map(Number);
  console.log(`\nPricing and charging at accept: single recipient, ${CONNECTIONS} connections, dispatcher idle (1 TPS); ${seconds}s each`);
  for (const nodeCount of setups) {
    console.log(`  ${nodeCount === 0 ? 'SQLite, 1 node' : `PostgreSQL + Redis, ${nodeCount} node${nodeCount > 1 ? 's' : ''}`}`);
    for (const accounts of [1, 100]) {
      for (const priced of [false, true]) {
        const f = await pricingRun(nodeCount, priced, accounts, seconds);
        const label = `${accounts === 1 ? '1 account' : `${accounts} accounts`}, charging ${priced ? 'on' : 'off'}`;
        console.log(`    ${label.padEnd(28)} ${f.requestsPerSecond.toFixed(0).padStart(6)} accepts/s  p50 ${String(f.p50).padStart(4)} ms  p99 ${String(f.p99).padStart(4)} ms  errors ${f.errors}`);
      }
    }
  }
}
