import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresStore } from '../src/storage/postgres/store.js';
import { configFile, freePort, metricsText, sendBatches, spawnNode, startServer, type BenchServer } from './server.js';
import { median } from './median.js';
import { carrierConfig, startSimulator } from './smpp.js';
import { benchRetention, OLD_LOGS } from './retention.js';

const DATABASE_URL = process.env.SWITCHBOARD_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.SWITCHBOARD_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TICK = 1000;

const RECEIVER = fileURLToPath(new URL('./receiver.js', import.meta.url));

/** The receiving app (bench/receiver.ts), a process of its own; its counts read over HTTP. */
class Receiver {
  url = '';
  #base = '';
  #child: ChildProcess | undefined;

  async start(): Promise<this> {
    const child = spawnNode([RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.#child = child;
    const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    this.#base = `http://127.0.0.1:${port}`;
    this.url = `${this.#base}/hooks`;
    return this;
  }

  async #put(path: string, body: string): Promise<void> {
    await (await fetch(`${this.#base}${path}`, { method: 'PUT', body })).text();
  }

  setSecret = (secret: string) => this.#put('/secret', secret);
  setRefusing = (refusing: boolean) => this.#put('/refusing', refusing ? '1' : '0');

  /** Events received; when the first and the latest were taken (answered 2xx), in Date.now() time. */
  async stats(): Promise<{ delivered: number; firstTaken: number; lastTaken: number }> {
    return (await fetch(`${this.#base}/stats`)).json() as Promise<{ delivered: number; firstTaken: number; lastTaken: number }>;
  }

  close(): void {
    this.#child?.kill();
  }
}

/** CPU milliseconds (user + system) a process has used, from /proc. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function metric(server: BenchServer, pattern: RegExp): Promise<number> {
  return Number(pattern.exec(await metricsText(server))?.[1] ?? 0);
}
export const deliveredMessages = (server: BenchServer) => metric(server, /^switchboard_messages_finished_total\{status="delivered",error_code=""\} (\d+)/m);

/**
 * Every `everyMs` until `done`. A gateway's `/metrics` costs it about 2.5 ms to make: read every
 * 50 ms it would take 4% of the node's time from what is measured; the receiver's count costs
 * the gateway nothing.
 */
async function until(done: () => Promise<boolean> | boolean, everyMs = 50): Promise<void> {
  while (!(await done())) await new Promise((r) => setTimeout(r, everyMs));
}

/** How often a gateway's `/metrics` is read while it is measured. */
export const METRICS_POLL_MS = 250;

/**
 * `total` single-recipient sends, `inFlight` at a time spread over the nodes (autocannon: a load
 * client light enough to leave the gateway its share of a small machine); returns the accepted
 * count of each second, and the seconds the whole took.
 */
async function sendSingles(nodes: readonly BenchServer[], key: string, total: number, inFlight: number, first: number): Promise<{ perSecond: number[]; seconds: number }> {
  const perSecond: number[] = [];
  const started = performance.now();
  let lastAnswer = started;
  let next = 0;
  await Promise.all(
    nodes.map(async (node, i) => {
      const share = Math.floor(total / nodes.length) + (i < total % nodes.length ? 1 : 0);
      let failed: string | undefined;
      await new Promise<void>((resolve, reject) => {
        const run = autocannon(
          {
            url: `${node.url}/v1/messages`,
            method: 'POST',
            connections: Math.max(1, Math.round(inFlight / nodes.length)),
            amount: share,
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ from: 'Bench', to: `+4474${String(first + next++).padStart(8, '0')}`, text: 'Your code is 123456' }) }) }],
          },
          (error, result) => {
            if (error) return reject(error);
            if (failed || result.errors + result.timeouts > 0) return reject(new Error(failed ?? `accept failed: ${result.errors} errors, ${result.timeouts} timeouts`));
            resolve();
          },
        );
        run.on('response', (_client, status) => {
          if (status !== 202) failed ??= `accept failed: ${status}`;
          lastAnswer = performance.now();
          const second = Math.floor((lastAnswer - started) / TICK);
          perSecond[second] = (perSecond[second] ?? 0) + 1;
        });
      });
    }),
  );
  // From the last answer, not autocannon's end: it reports on its own one-second tick.
  return { perSecond: Array.from(perSecond, (n) => n ?? 0), seconds: (lastAnswer - started) / 1000 };
}

interface Rig {
  readonly nodes: BenchServer[];
  readonly receiver: Receiver;
  stop(): Promise<void>;
}

/** An SMSC simulator, `nodeCount` gateway nodes (0: one on SQLite) with one SMPP connection each, a receiver. */
export async function startRig(nodeCount: number, webhooks: boolean, env: Record<string, string> = {}, batch?: { max_events: number; max_wait_ms: number }): Promise<Rig> {
  const smscPort = await freePort();
  const sim = await startSimulator(smscPort, 10);
  const config = configFile('webhooks', carrierConfig(smscPort));
  const namespace = `bench_wh_${process.pid}_${nodeCount}_${Date.now()}`;
  const shared: Record<string, string> =
    nodeCount > 0 ? { SWITCHBOARD_DATABASE_URL: DATABASE_URL, SWITCHBOARD_DATABASE_SCHEMA: namespace, SWITCHBOARD_REDIS_URL: REDIS_URL, SWITCHBOARD_REDIS_PREFIX: `${namespace}:` } : {};
  const common = { SWITCHBOARD_CONFIG: config, SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE: 'true', SWITCHBOARD_WEBHOOK_RETRY_SCALE: '0.001', ...shared, ...env };
  const nodes: BenchServer[] = [];
  try {
    nodes.push(await startServer({ ...common, SWITCHBOARD_NODE_ID: 'bench-1' }));
    for (let n = 2; n <= nodeCount; n++) nodes.push(await startServer({ ...common, SWITCHBOARD_NODE_ID: `bench-${n}` }, { key: nodes[0]!.key }));
  } catch (error) {
    // A node that does not start leaves nothing of the rig behind.
    await Promise.all(nodes.map((n) => n.stop()));
    sim.kill();
    throw error;
  }
  const first = nodes[0]!;
  const receiver = await new Receiver().start();
  if (webhooks) {
    const res = await fetch(`${first.url}/v1/webhooks/endpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['message.delivered'], ...(batch && { batch }) }),
    });
    if (res.status !== 201) throw new Error(`endpoint: ${res.status} ${await res.text()}`);
    await receiver.setSecret(((await res.json()) as { secret: string }).secret);
  }
  return {
    nodes,
    receiver,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      receiver.close();
      sim.kill();
      if (nodeCount > 0) {
        const store = new PostgresStore({ url: DATABASE_URL, schema: namespace });
        await store.dropSchema();
        await store.close();
      }
    },
  };
}

export interface PipelineFigures {
  readonly acceptPerSecond: number;
  readonly perSecond: number[];
  /** Seconds from the first send until every message was delivered (webhooks off) or its event received (on). */
  readonly seconds: number;
  readonly cpuMsPerMessage: number;
}

/**
 * HTTP accept -> SMPP -> simulator -> receipt (-> signed webhook to the receiver, when `webhooks`).
 * `warmup` messages go through first, unmeasured, so that the figures are those of a gateway that
 * has been running (a fresh process spends its first seconds compiling its hot paths).
 */
export async function benchPipeline(nodeCount: number, total: number, webhooks: boolean, warmup: number, batch?: { max_events: number; max_wait_ms: number }): Promise<PipelineFigures> {
  const rig = await startRig(nodeCount, webhooks, {}, batch);
  try {
    return await measureSends(
      rig.nodes,
      total,
      warmup,
      async (count) =>
        webhooks ? (await rig.receiver.stats()).delivered >= count : (await Promise.all(rig.nodes.map((n) => deliveredMessages(n)))).reduce((a, b) => a + b, 0) >= count,
      webhooks ? 50 : METRICS_POLL_MS,
    );
  } finally {
    await rig.stop();
  }
}

/**
 * `warmup` single sends, unmeasured, until `done` says they all came through; then `total`
 * more, measured until `done` (asked every `pollMs`) says so of every message: the accept rate
 * (and of each second), the seconds until done, and the gateway's CPU per message.
 */
export async function measureSends(nodes: readonly BenchServer[], total: number, warmup: number, done: (count: number) => Promise<boolean>, pollMs: number): Promise<PipelineFigures> {
  const key = nodes[0]!.key;
  if (warmup > 0) {
    await sendSingles(nodes, key, warmup, 50, 0);
    await until(() => done(warmup), pollMs);
  }
  const pids = nodes.map((n) => n.child.pid!);
  const cpuBefore = pids.reduce((s, p) => s + cpuMs(p), 0);
  const started = performance.now();
  // Watched while sending: the last message can come through before the load client reports its end.
  const [sent, seconds] = await Promise.all([sendSingles(nodes, key, total, 50, warmup), until(() => done(warmup + total), pollMs).then(() => (performance.now() - started) / 1000)]);
  const cpu = pids.reduce((s, p) => s + cpuMs(p), 0) - cpuBefore;
  return { acceptPerSecond: total / sent.seconds, perSecond: sent.perSecond, seconds, cpuMsPerMessage: cpu / total };
}

export interface DrainFigures {
  readonly backlog: number;
  /** Events taken per second from the first success after the endpoint came back, over the window measured. */
  readonly drainPerSecond: number;
  readonly drained: number;
  /** Gateway CPU from the first success on, per event taken (the probe's sends included). */
  readonly cpuMsPerEvent: number;
  readonly acceptDuringDrain: number;
  readonly acceptWithoutDrain: number;
  readonly perSecond: number[];
}

/**
 * One endpoint refuses (503) while `backlog` messages go through (sent in requests of 1,000
 * recipients, so that seeding is quick), so their events wait; then it answers again. Measured
 * for `seconds` from its first success (or until the backlog is gone): how fast the backlog
 * drains, and what accept does meanwhile compared with before (the same `probe` sends, with the
 * backlog waiting but not draining). Retries run at 1/250 of their schedule: a day's window is
 * then about 6 minutes, longer than seeding takes.
 */
export async function benchDrain(nodeCount: number, backlog: number, probe: number, seconds: number): Promise<DrainFigures> {
  const rig = await startRig(nodeCount, true, { SWITCHBOARD_WEBHOOK_RETRY_SCALE: '0.004' });
  try {
    const { nodes, receiver } = rig;
    await receiver.setRefusing(true);
    const key = nodes[0]!.key;
    await sendBatches({ url: nodes[0]!.url, key }, Math.ceil(backlog / 1000));
    await until(async () => (await Promise.all(nodes.map((n) => deliveredMessages(n)))).reduce((a, b) => a + b, 0) >= backlog);
    const quiet = await sendSingles(nodes, key, probe, 50, backlog);
    await receiver.setRefusing(false);
    // The endpoint is probed when its backoff ends: the drain starts with the first success.
    await until(async () => (await receiver.stats()).firstTaken > 0);
    const pids = nodes.map((n) => n.child.pid!);
    const cpuBefore = pids.reduce((s, p) => s + cpuMs(p), 0);
    const during = await sendSingles(nodes, key, probe, 50, backlog + probe);
    const end = (await receiver.stats()).firstTaken + seconds * 1000;
    await until(async () => (await receiver.stats()).delivered >= backlog + 2 * probe || Date.now() >= end);
    const cpu = pids.reduce((s, p) => s + cpuMs(p), 0) - cpuBefore;
    const { delivered: drained, firstTaken, lastTaken } = await receiver.stats();
    return {
      backlog,
      drained,
      cpuMsPerEvent: cpu / drained,
      drainPerSecond: drained / ((lastTaken - firstTaken) / 1000),
      acceptDuringDrain: probe / during.seconds,
      acceptWithoutDrain: probe / quiet.seconds,
      perSecond: during.perSecond,
    };
  } finally {
    await rig.stop();
  }
}

const rates = (perSecond: readonly number[]) => perSecond.join(' ');

/** `npm run bench` section; alone: `node dist/bench/run.js webhooks`. */
export async function webhooksSection(): Promise<void> {
  const total = Number(process.env.BENCH_WEBHOOK_MESSAGES ?? 20_000);
  const backlog = Number(process.env.BENCH_WEBHOOK_BACKLOG ?? 100_000);
  const drainSeconds = Number(process.env.BENCH_WEBHOOK_DRAIN_SECONDS ?? 30);
  const nodeSets = (process.env.BENCH_WEBHOOK_NODES ?? '0,1,3').split(',').map(Number);
  const batchSize = Number(process.env.BENCH_WEBHOOK_BATCH ?? 0);
  const batch = batchSize > 0 ? { max_events: batchSize, max_wait_ms: 50 } : undefined;
  const warmup = Number(process.env.BENCH_WEBHOOK_WARMUP ?? 5_000);
  const rounds = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 3);
  const oldLog = Number(process.env.BENCH_WEBHOOK_RETENTION_LOG ?? 1_000_000);
  const oldMessages = Number(process.env.BENCH_MESSAGE_RETENTION_LOG ?? 500_000);
  console.log(`\nWebhooks: ${total} single-recipient sends (50 in flight; ${warmup} before them, unmeasured) -> SMPP (window 100) -> simulator -> receipt -> one endpoint on 127.0.0.1 (message.delivered)`);
  for (const nodeCount of nodeSets) {
    const label = nodeCount === 0 ? 'SQLite, 1 node' : `PostgreSQL + Redis, ${nodeCount} node(s)`;
    console.log(`  ${label}`);
    if (total > 0) {
      const { times, accepts, figures } = await pairedRounds(rounds, ['off', 'on'], (mode) => benchPipeline(nodeCount, total, mode === 'on', warmup, mode === 'on' ? batch : undefined), (mode) =>
        mode === 'off' ? ['webhooks off', 'all delivered'] : [`webhooks on ${batch ? ` (batches of up to ${batch.max_events})` : ''}`, 'every event received'],
      );
      const cpu = (mode: 'off' | 'on') => median(figures[mode].map((f) => f.cpuMsPerMessage)).toFixed(3);
      console.log(`    median of ${rounds}: on/off time ${median(times).toFixed(2)}x, accept ${median(accepts).toFixed(2)}x; CPU off ${cpu('off')}, on ${cpu('on')} ms/message`);
    }
    if (nodeCount === 0 && total > 0 && oldLog > 0) await retentionRuns('webhooks', oldLog, total, warmup, rounds);
    if (nodeCount === 0 && total > 0 && oldMessages > 0) await retentionRuns('messages', oldMessages, total, warmup, rounds);
    if (backlog > 0) {
      const d = await benchDrain(nodeCount, backlog, Math.min(total || 5_000, 5_000), drainSeconds);
      console.log(
        `    ${d.backlog} events waiting for an endpoint that comes back: ${d.drained} taken in the first ${drainSeconds} s at most, at ${d.drainPerSecond.toFixed(0)} events/s (CPU ${d.cpuMsPerEvent.toFixed(3)} ms/event); ` +
          `accept ${d.acceptDuringDrain.toFixed(0)}/s during the drain vs ${d.acceptWithoutDrain.toFixed(0)}/s before it`,
      );
      console.log(`      accepted per second during the drain: ${rates(d.perSecond)}`);
    }
  }
}

/**
 * `rounds` rounds of the pipeline in two modes, in turn, the order reversed each round so that
 * a machine whose speed drifts weighs on both alike: each run printed (`describe`: its label and
 * what its time is until), and each round's ratios of the second mode to the first.
 */
async function pairedRounds<M extends string, F extends PipelineFigures>(
  rounds: number, modes: readonly [M, M], run: (mode: M) => Promise<F>, describe: (mode: M, f: F) => [label: string, until: string],
): Promise<{ times: number[]; accepts: number[]; figures: Record<M, F[]> }> {
  const times: number[] = [];
  const accepts: number[] = [];
  const figures = { [modes[0]]: [], [modes[1]]: [] } as unknown as Record<M, F[]>;
  for (let round = 0; round < rounds; round++) {
    for (const mode of round % 2 === 0 ? modes : [modes[1], modes[0]]) {
      const f = await run(mode);
      figures[mode].push(f);
      const [label, until] = describe(mode, f);
      console.log(`    round ${round + 1}, ${label}: accept ${f.acceptPerSecond.toFixed(0).padStart(5)}/s  ${until} in ${f.seconds.toFixed(1)} s  CPU ${f.cpuMsPerMessage.toFixed(3)} ms/message`);
      console.log(`      accepted per second: ${rates(f.perSecond)}`);
    }
    const [first, second] = [figures[modes[0]].at(-1)!, figures[modes[1]].at(-1)!];
    times.push(second.seconds / first.seconds);
    accepts.push(second.acceptPerSecond / first.acceptPerSecond);
    console.log(`    round ${round + 1}, ${modes[1]}/${modes[0]}: time ${times.at(-1)!.toFixed(2)}x, accept ${accepts.at(-1)!.toFixed(2)}x`);
  }
  return { times, accepts, figures };
}

/**
 * The pipeline with webhooks on, on a node started on a log of `size` rows past the retention
 * (webhook deliveries: an upgrade to a release that deletes them; messages: retention turned
 * on), against the same with the log kept: what the first run of the retention costs live traffic.
 */
async function retentionRuns(log: keyof typeof OLD_LOGS, size: number, total: number, warmup: number, rounds: number): Promise<void> {
  const { what } = OLD_LOGS[log];
  const { times, accepts } = await pairedRounds(
    rounds,
    ['kept', 'deleting'],
    (mode) => benchRetention(log, size, total, warmup, mode === 'kept'),
    (mode, f) => [`${size} ${what} 40 days old ${mode === 'kept' ? 'kept' : `being deleted: ${f.deleted} by the end`}`, 'every event received'],
  );
  console.log(`    median of ${rounds}, the old log being deleted against kept: time ${median(times).toFixed(2)}x, accept ${median(accepts).toFixed(2)}x`);
}
