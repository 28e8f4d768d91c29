import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
/** The node options `npm start` gives the server (package.json): the bench measures it as users run it. */
const START_ARGS = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(' ')
  .filter((arg) => arg.startsWith('--'));
/** More node options for the server processes only, e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'. */
const NODE_ARGS = [...START_ARGS, ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)];

export interface BenchServer {
  readonly url: string;
  readonly key: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** The files and folders this run wrote (configurations, servers' data), and the processes it started: gone when it ends. */
const leftovers = new Set<string>();
const children = new Set<ChildProcess>();

// When the run ends, or is stopped (Ctrl-C, kill, a timeout): the processes it started go with it, and what it wrote.
process.once('exit', () => {
  children.forEach((c) => c.kill('SIGKILL'));
  leftovers.forEach((path) => rmSync(path, { recursive: true, force: true }));
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => process.exit(128 + constants.signals[signal]));

/** Writes a configuration file for the servers of a bench (`name` tells them apart), removed when the run ends. */
export function configFile(name: string, text: string): string {
  const file = join(tmpdir(), `switchboard-bench-${name}-${process.pid}.yaml`);
  writeFileSync(file, text);
  leftovers.add(file);
  return file;
}

/** Runs a script of the project in a process of its own, which the run stops if it ends first. */
export function spawnNode(args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(process.execPath, args, options);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real server process on a fresh data folder, as a user would, and waits for the key
 * its first start prints; a node joining a shared database prints none: give it `key`.
 */
export async function startServer(env: Record<string, string> = {}, known?: { key: string }): Promise<BenchServer> {
  // Chosen by the caller when something must know it first (a provider's callback URL).
  const port = env.PORT ? Number(env.PORT) : await freePort();
  // A data folder of its own, removed when it stops, unless the caller gives one (and keeps it).
  const dir = env.SWITCHBOARD_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  if (dir) leftovers.add(dir);
  const child = spawnNode([...NODE_ARGS, MAIN], {
    // The benchmark is one client pushing as hard as it can: no per-account rate limit.
    env: { ...process.env, ...(dir && { SWITCHBOARD_DATA_DIR: dir }), PORT: String(port), LOG_LEVEL: 'warn', SWITCHBOARD_RATE_LIMIT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const key = await new Promise<string>((resolve, reject) => {
    if (known) resolve(known.key);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const found = /sk_[A-Za-z0-9_-]{32}/.exec(out);
      if (found) resolve(found[0]);
    });
    child.once('exit', () => reject(new Error(`server exited: ${out}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    key,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          if (dir) {
            rmSync(dir, { recursive: true, force: true });
            leftovers.delete(dir);
          }
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Sends `batches` requests of 1,000 distinct UK mobile recipients (from `first` on) to one server. */
export async function sendBatches(server: { url: string; key: string }, batches: number, first = 0): Promise<void> {
  const headers = { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' };
  for (let b = 0; b < batches; b++) {
    const to = Array.from({ length: 1000 }, (_, i) => `+4474${String(first + b * 1000 + i).padStart(8, '0')}`);
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ from: 'Bench', to, text: 'Your code is 123456' }) });
    if (res.status !== 202) throw new Error(`accept failed: ${res.status} ${await res.text()}`);
  }
}

/** The node's Prometheus metrics (an admin key reads them, as a scraper configured with one would). */
export async function metricsText(server: { url: string; key: string }): Promise<string> {
  return (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.key}` } })).text();
}
