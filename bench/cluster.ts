import { PostgresStore } from '../src/storage/postgres/store.js';
import { metricsText, sendBatches, startServer, type BenchServer } from './server.js';

export interface ClusterFigure {
  readonly acceptedPerSecond: number;
  readonly deliveredPerSecond: number;
}

const DATABASE_URL = process.env.SWITCHBOARD_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.SWITCHBOARD_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function delivered(nodes: readonly BenchServer[]): Promise<number> {
  let sum = 0;
  for (const node of nodes) {
    const text = await metricsText(node);
    sum += Number(/^switchboard_messages_finished_total\{status="delivered",error_code=""\} (\d+)/m.exec(text)?.[1] ?? 0);
  }
  return sum;
}

/**
 * `total` messages in 1,000-recipient requests, one client per node sending to it at once; the
 * sandbox carrier of each node delivers. Accepted/s is over the sending; delivered/s is from the
 * first request to the last delivery. `nodes` 0 means one node on SQLite, for comparison.
 */
export async function benchCluster(nodeCount: number, total: number): Promise<ClusterFigure> {
  const namespace = `bench_${process.pid}_${nodeCount}_${Date.now()}`;
  const shared = nodeCount > 0;
  const env: Record<string, string> = shared
    ? { SWITCHBOARD_DATABASE_URL: DATABASE_URL, SWITCHBOARD_DATABASE_SCHEMA: namespace, SWITCHBOARD_REDIS_URL: REDIS_URL, SWITCHBOARD_REDIS_PREFIX: `${namespace}:` }
    : {};
  const first = await startServer({ ...env, SWITCHBOARD_NODE_ID: 'bench-1', SWITCHBOARD_SANDBOX_RECEIPT_DELAY_MS: '10' });
  const nodes = [first];
  for (let n = 2; n <= nodeCount; n++) nodes.push(await startServer({ ...env, SWITCHBOARD_NODE_ID: `bench-${n}`, SWITCHBOARD_SANDBOX_RECEIPT_DELAY_MS: '10' }, { key: first.key }));
  try {
    const perNode = Math.ceil(total / 1000 / nodes.length);
    const started = performance.now();
    await Promise.all(nodes.map((node, n) => sendBatches({ url: node.url, key: first.key }, perNode, n * 10_000_000)));
    const accepted = perNode * nodes.length * 1000;
    const acceptSeconds = (performance.now() - started) / 1000;
    while ((await delivered(nodes)) < accepted) await new Promise((r) => setTimeout(r, 100));
    const deliverSeconds = (performance.now() - started) / 1000;
    return { acceptedPerSecond: accepted / acceptSeconds, deliveredPerSecond: accepted / deliverSeconds };
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    if (shared) {
      const store = new PostgresStore({ url: DATABASE_URL, schema: namespace });
      await store.dropSchema();
      await store.close();
    }
  }
}
