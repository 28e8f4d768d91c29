import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresStore } from '../src/storage/postgres/store.js';
import { freePort, TEST_DATABASE_URL, TEST_REDIS_URL, tempDir } from './helpers.js';

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Stops it (SIGTERM, or SIGKILL to play a crash) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the server as its own process, as a user would, and waits until it answers /healthz. */
export function startServerProcess(port: number, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', SWITCHBOARD_LEASE_MS: '2000', SWITCHBOARD_RATE_LIMIT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    child,
    url,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    // Generous: a loaded machine (CI beside other work) can take many seconds to start a node.
    const until = Date.now() + 60_000;
    const poll = async () => {
      try {
        if ((await fetch(`${url}/healthz`)).ok) return resolve(server);
      } catch {
        // not listening yet
      }
      // One that never answered is stopped, or it would keep the test process alive.
      if (Date.now() > until || child.exitCode !== null) return void server.stop('SIGKILL').then(() => reject(new Error(`server did not start: ${out}`)));
      setTimeout(poll, 50);
    };
    void poll();
  });
}

/** `switchboard keys create --admin --json` against the store `env` names: the tests act as the operator. */
export function createKey(env: Record<string, string>): string {
  const res = spawnSync(process.execPath, [CLI, 'keys', 'create', '--admin', '--json'], { env: { ...process.env, ...env }, encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  return (JSON.parse(res.stdout) as { key: string }).key;
}

/** Every message of the log with this sender, read page by page: id -> status. */
export async function readLog(url: string, key: string, from: string): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  let cursor = '';
  do {
    const res = await fetch(`${url}/v1/messages?from=${encodeURIComponent(from)}&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${key}` } });
    const page = (await res.json()) as { messages: { id: string; status: string }[]; next_cursor: string | null };
    for (const m of page.messages) seen.set(m.id, m.status);
    cursor = page.next_cursor ?? '';
  } while (cursor);
  return seen;
}

/** Nodes as separate processes on one PostgreSQL schema and one Redis prefix, both this cluster's own. */
export interface Cluster {
  readonly nodes: ServerProcess[];
  readonly key: string;
  /** The environment every node shares (database, Redis, configuration file). */
  readonly env: Record<string, string>;
  /** Stops every node, drops the schema and removes the data folder. */
  stop(): Promise<void>;
}

/**
 * Starts `count` nodes named node-1, node-2... sharing a fresh schema and Redis prefix, each
 * with its own URL as SWITCHBOARD_PUBLIC_URL (so a provider's callback names the node that sent).
 * `config` is the switchboard.yaml they all run, if any.
 */
export async function startCluster(name: string, count: number, opts: { config?: string; env?: Record<string, string> } = {}): Promise<Cluster> {
  const namespace = `${name}_${process.pid}_${Date.now()}`;
  const dir = tempDir();
  const env: Record<string, string> = {
    SWITCHBOARD_DATABASE_URL: TEST_DATABASE_URL,
    SWITCHBOARD_DATABASE_SCHEMA: namespace,
    SWITCHBOARD_REDIS_URL: TEST_REDIS_URL,
    SWITCHBOARD_REDIS_PREFIX: `${namespace}:`,
    SWITCHBOARD_DATA_DIR: dir,
    ...opts.env,
  };
  if (opts.config !== undefined) {
    env.SWITCHBOARD_CONFIG = join(dir, 'switchboard.yaml');
    writeFileSync(env.SWITCHBOARD_CONFIG, opts.config);
  }
  const key = createKey(env);
  const started = await Promise.allSettled(
    Array.from({ length: count }, async (_, i) => {
      const port = await freePort();
      return startServerProcess(port, { ...env, SWITCHBOARD_NODE_ID: `node-${i + 1}`, SWITCHBOARD_PUBLIC_URL: `http://127.0.0.1:${port}` });
    }),
  );
  const nodes = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    const store = new PostgresStore({ url: TEST_DATABASE_URL, schema: namespace });
    await store.dropSchema();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  // A node that did not start fails the test's setup, which then has no cluster to stop: the
  // nodes that did start are stopped here, or they would keep the test process alive.
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { nodes, key, env, stop };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** POST /v1/messages on `node`; the ids of the messages accepted. */
export async function sendThrough(node: ServerProcess, key: string, body: Json): Promise<string[]> {
  const res = await fetch(`${node.url}/v1/messages`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  assert.equal(res.status, 202, text);
  return (JSON.parse(text) as { messages: { id: string }[] }).messages.map((m) => m.id);
}

/** GET /v1/messages/{id} on `node`. */
export async function getMessage(node: ServerProcess, key: string, id: string): Promise<Json> {
  return (await fetch(`${node.url}/v1/messages/${id}`, { headers: { authorization: `Bearer ${key}` } })).json() as Promise<Json>;
}
