import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newMessageId } from '../src/app/ids.js';
import type { NewMessage, Store, StoreWrite } from '../src/app/store.js';
import { NO_COUNTS } from '../src/core/quality/counts.js';
import { seeded } from '../src/core/quality/random.js';
import type { QualityView } from '../src/core/quality/view.js';
import { chooseRoute, type Route } from '../src/core/routing/router.js';
import { PostgresStore } from '../src/storage/postgres/store.js';
import { SqliteStore } from '../src/storage/sqlite/store.js';
import { benchAccept } from './accept.js';
import { median } from './median.js';
import { configFile, startServer } from './server.js';
import { benchEndToEnd } from './smpp.js';

// Routing on measured quality: what a decision costs with `best` against `priority`, and what
// keeping the quality counters costs receipt ingest.

const TARGETS = [
  { connection: 'a', priority: 1, weight: 1, price: 0.03 },
  { connection: 'b', priority: 2, weight: 1, price: 0.04 },
  { connection: 'c', priority: 3, weight: 1, price: 0.035 },
];
const measured: QualityView = {
  counts: (c) => ({ ...NO_COUNTS, submits: 1000, delivered: c === 'a' ? 700 : 950, undelivered: c === 'a' ? 300 : 50 }),
  degraded: () => false,
};

/** Route decisions per second, in process: the router alone, three connections. */
function decisionsPerSecond(strategy: Route['strategy'], n: number): number {
  const routes: Route[] = [{ name: 'all', match: {}, strategy, resendUnknown: false, connections: TARGETS }];
  const random = seeded(1);
  const input = { to: '+33612345678', from: 'Bench', accountId: 'acc', country: 'FR', type: undefined };
  const started = performance.now();
  for (let i = 0; i < n; i++) chooseRoute(routes, input, random(), { view: measured, random });
  return n / ((performance.now() - started) / 1000);
}

/** Accepts per second through the HTTP API with every message routed by `strategy` over three sandbox connections. */
async function acceptsWith(strategy: Route['strategy'], seconds: number): Promise<number> {
  const connections = TARGETS.map((t) => `  - { name: ${t.connection}, provider: sandbox, receipt_delay_ms: 10 }`).join('\n');
  const targets = TARGETS.map((t) => `{ connection: ${t.connection}, priority: ${t.priority}, price: ${t.price} }`).join(', ');
  const config = configFile(`quality-${strategy}`, `connections:\n${connections}\nroutes:\n  - { name: all, strategy: ${strategy}, connections: [${targets}] }\n`);
  const server = await startServer({ SWITCHBOARD_CONFIG: config });
  try {
    return (await benchAccept(server, { connections: 64, seconds, recipientsPerRequest: 1 })).messagesPerSecond;
  } finally {
    await server.stop();
  }
}

/**
 * Receipts applied by the store alone: `total` sent messages delivered, in batches of 200 as the
 * writer commits them. Per second of wall time, and this process's CPU time per receipt (the
 * whole cost on SQLite, which runs in process; the client's share on PostgreSQL).
 */
async function receiptsPerSecond(store: Store, total: number): Promise<IngestFigure> {
  await store.migrate();
  await store.ensureAccount('acc', 'Bench', Date.now());
  const route = { name: 'all', chain: ['a'], resendUnknown: false, reason: 'bench', accepted: 'a', country: 'FR', costs: { a: 30_000 } };
  const now = Date.now();
  const messages: NewMessage[] = Array.from({ length: total }, (_, i) => ({
    id: newMessageId(now + i),
    accountId: 'acc', to: '+33612345678', from: 'Bench', text: 'Hi', encoding: 'GSM-7', segments: 1, status: 'queued', error: null, clientRef: null,
    callbackUrl: null, callbackEvents: null, sendAt: null, expiresAt: now + 3_600_000, createdAt: now, updatedAt: now, connection: 'a', route,
    attempts: 0, nextAttemptAt: null, providerMessageId: null, dueAt: now,
  }));
  for (let i = 0; i < total; i += 1000) await store.insertMessages([{ messages: messages.slice(i, i + 1000), respond: () => '' }]);
  const write = (m: NewMessage, from: 'queued' | 'sent', to: 'sent' | 'delivered', at: number): StoreWrite => ({
    transition: { messageId: m.id, from: [from], to, event: { at, type: to, status: to, error: null, detail: null, payload: null }, dueAt: null, ...(to === 'sent' && { providerMessageId: m.id }) },
  });
  for (let i = 0; i < total; i += 200) await store.applyWrites(messages.slice(i, i + 200).map((m) => write(m, 'queued', 'sent', now)));
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < total; i += 200) await store.applyWrites(messages.slice(i, i + 200).map((m) => write(m, 'sent', 'delivered', now + 2000)));
  const used = process.cpuUsage(cpu);
  return { perSecond: total / ((performance.now() - started) / 1000), cpuMicros: (used.user + used.system) / total };
}

export interface IngestFigure {
  readonly perSecond: number;
  /** This process's CPU time per receipt, in microseconds. */
  readonly cpuMicros: number;
}

/** Receipts per second applied by a fresh store on `engine`, the quality counters on or off. */
export function ingestFigure(engine: 'SQLite' | 'PostgreSQL', counters: boolean, total: number): Promise<IngestFigure> {
  return withStore(engine, counters, (store) => receiptsPerSecond(store, total));
}

async function withStore<T>(engine: 'SQLite' | 'PostgreSQL', counters: boolean, run: (store: Store) => Promise<T>): Promise<T> {
  if (engine === 'SQLite') {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
    const store = new SqliteStore({ file: join(dir, 'switchboard.db'), synchronous: 'full', qualityCounters: counters });
    try {
      return await run(store);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const url = process.env.SWITCHBOARD_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const store = new PostgresStore({ url, schema: `bench_quality_${process.pid}_${Date.now()}`, qualityCounters: counters });
  try {
    return await run(store);
  } finally {
    await store.dropSchema();
    await store.close();
  }
}

export async function qualitySection(seconds: number): Promise<void> {
  console.log('\nRouting on measured quality: a route of three connections, best against priority');
  for (const strategy of ['priority', 'best'] as const) {
    console.log(`  ${strategy.padEnd(9)} router alone   ${(decisionsPerSecond(strategy, 300_000) / 1000).toFixed(0).padStart(6)}k decisions/s`);
  }
  // Rounds in turn, so that a machine whose speed drifts weighs on both alike; the median ratio is the figure.
  const rounds = Number(process.env.BENCH_QUALITY_ROUNDS ?? 3);
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const priority = await acceptsWith('priority', seconds);
    const best = await acceptsWith('best', seconds);
    ratios.push(best / priority);
    console.log(`  HTTP accepts, round ${round + 1}: priority ${priority.toFixed(0).padStart(6)} msg/s, best ${best.toFixed(0).padStart(6)} msg/s (single recipient, 64 connections, ${seconds}s each)`);
  }
  console.log(`  median: best at ${(median(ratios) * 100).toFixed(0)}% of priority's accepts/s`);
  console.log('Receipt ingest with the quality counters off and on: 20,000 delivered receipts applied by the store, in commits of 200');
  for (const engine of ['SQLite', 'PostgreSQL'] as const) {
    for (const counters of [false, true, false, true]) {
      const f = await ingestFigure(engine, counters, 20_000);
      console.log(`  ${engine.padEnd(10)} counters ${counters ? 'on ' : 'off'}  ${f.perSecond.toFixed(0).padStart(7)} receipts/s  ${f.cpuMicros.toFixed(0).padStart(4)} µs CPU each in this process`);
    }
  }
  console.log('End to end over SMPP (simulator in its own process), 20,000 messages accepted -> delivered');
  for (const counters of ['0', '1', '0', '1']) {
    const e2e = await benchEndToEnd(20_000, { SWITCHBOARD_QUALITY_COUNTERS: counters });
    console.log(`  counters ${counters === '1' ? 'on ' : 'off'}  ${e2e.perSecond.toFixed(0).padStart(6)} messages/s  (${e2e.seconds.toFixed(2)} s)`);
  }
}
