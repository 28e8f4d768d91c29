import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
    const until = Date.now() + 15_000;
    const poll = async () => {
      try {
        if ((await fetch(`${url}/healthz`)).ok) return resolve(server);
      } catch {
        // not listening yet
      }
      if (Date.now() > until || child.exitCode !== null) return reject(new Error(`server did not start: ${out}`));
      setTimeout(poll, 50);
    };
    void poll();
  });
}

/** `switchboard keys create --json` against the store `env` names. */
export function createKey(env: Record<string, string>): string {
  const res = spawnSync(process.execPath, [CLI, 'keys', 'create', '--json'], { env: { ...process.env, ...env }, encoding: 'utf8' });
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
