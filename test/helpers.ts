import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Clock } from '../src/app/clock.js';
import { loadConfig, type Config } from '../src/config/env.js';
import { startNode, type Node, type NodeOverrides } from '../src/node.js';
import { PostgresStore } from '../src/storage/postgres/store.js';

/** A clock that runs with real time but can be moved ahead, for validity and schedules. */
export class TestClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

export interface TestNode extends Node {
  readonly key: string;
  readonly dir: string;
  readonly clock: TestClock;
  /** Stops the node and removes its data folder. */
  close(): Promise<void>;
}

/**
 * This project's own CI (`.ci/run` sets it): there, what a test needs (the seeds beside the clone,
 * Chromium, Net::SMPP) must be present, and a test fails rather than skips without it. Anywhere
 * else, another CI included, such a test says why and skips.
 */
export const PROJECT_CI = process.env.SWITCHBOARD_CI === '1';

/** The PostgreSQL and Redis the shared-mode tests run against: the machine's own, as in CI. */
export const TEST_DATABASE_URL = process.env.SWITCHBOARD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Folders made by this test file: removed when its process exits, whether or not a test removed its own. */
const made: string[] = [];
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  made.push(dir);
  return dir;
}

/** A node on a real SQLite file in a fresh folder, with the sandbox answering quickly. */
export async function testNode(overrides: NodeOverrides & { dir?: string; env?: Record<string, string> } = {}): Promise<TestNode> {
  const dir = overrides.dir ?? tempDir();
  const config: Config = loadConfig({
    SWITCHBOARD_DATA_DIR: dir,
    SWITCHBOARD_SANDBOX_RECEIPT_DELAY_MS: '20',
    SWITCHBOARD_SQLITE_SYNC: 'normal',
    // Retries back off from 20 ms, so that a test sees all of them.
    SWITCHBOARD_RETRY_BASE_MS: '20',
    // Tests send as fast as they can; the rate limit has its own test.
    SWITCHBOARD_RATE_LIMIT: '0',
    LOG_LEVEL: 'silent',
    ...overrides.env,
  });
  const clock = new TestClock();
  const node = await startNode(config, { clock, logger: pino({ level: 'silent' }), ...overrides });
  return {
    ...node,
    key: node.firstKey ?? '',
    dir,
    clock,
    async close() {
      await node.stop();
      if (!overrides.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Drops a PostgreSQL schema a test made, with all it holds. */
export async function dropTestSchema(schema: string): Promise<void> {
  const pg = new PostgresStore({ url: TEST_DATABASE_URL, schema });
  await pg.dropSchema();
  await pg.close();
}

export const STORES = ['SQLite', 'PostgreSQL'] as const;

/** A test node on SQLite, or on a PostgreSQL schema of its own that is dropped when it closes. */
export async function testNodeOn(store: (typeof STORES)[number], env: Record<string, string>): Promise<TestNode> {
  if (store === 'SQLite') return testNode({ env });
  const schema = `test_${process.pid}_${Date.now()}`;
  const node = await testNode({ env: { ...env, SWITCHBOARD_DATABASE_URL: TEST_DATABASE_URL, SWITCHBOARD_DATABASE_SCHEMA: schema } });
  return {
    ...node,
    async close() {
      await node.close();
      await dropTestSchema(schema);
    },
  };
}

/**
 * Two in-process nodes sharing a PostgreSQL schema and a Redis prefix of their own, with `more`
 * settings; `close` stops both and drops the schema.
 */
export async function twoNodes(name: string, more: Record<string, string> = {}): Promise<{ a: TestNode; b: TestNode; close(): Promise<void> }> {
  const namespace = `${name}_${process.pid}_${Date.now()}`;
  const env = { ...more, SWITCHBOARD_DATABASE_URL: TEST_DATABASE_URL, SWITCHBOARD_DATABASE_SCHEMA: namespace, SWITCHBOARD_REDIS_URL: TEST_REDIS_URL, SWITCHBOARD_REDIS_PREFIX: `${namespace}:` };
  const a = await testNode({ env });
  const b = await testNode({ env: { ...env, SWITCHBOARD_NODE_ID: 'b' } });
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await dropTestSchema(namespace);
    },
  };
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** Polls `check` until it returns a value, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A port nothing listens on, for a server a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The token of the `mo` connection of `inboundConfig`. */
export const MO_TOKEN = 'a-long-shared-token-0123';

/**
 * A configuration file: the sandbox sends everything (at a route price of 0.004 a segment), and
 * `mo`, a generic-http connection, only brings in what subscribers send (see `sendMo`).
 */
export function inboundConfig(): string {
  const file = join(tempDir(), 'switchboard.yaml');
  writeFileSync(
    file,
    `connections:
  - name: carrier
    provider: sandbox
    receipt_delay_ms: 10
  - name: mo
    provider: generic-http
    request: { url: "http://127.0.0.1:9/send" }
    receipts:
      token: ${MO_TOKEN}
      id: msgid
      status: stat
      inbound: { from: src, to: dst, text: msg }
      statuses: { DELIVRD: { state: delivered } }
routes:
  - name: everything
    connections: [{ connection: carrier, price: 0.004 }]
`,
  );
  return file;
}

/** A subscriber texts `text` from `from` to `to`, through the `mo` connection's webhook. */
export async function sendMo(node: Node, from: string, to: string, text: string): Promise<void> {
  const q = new URLSearchParams({ token: MO_TOKEN, src: from, dst: to, msg: text });
  const res = await node.api.inject({ method: 'GET', url: `/v1/providers/generic-http/mo/receipts?${q}` });
  if (res.statusCode !== 200) throw new Error(`MO refused: ${res.statusCode} ${res.body}`);
}
