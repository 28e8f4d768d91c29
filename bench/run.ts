import { benchAccept } from './accept.js';
import { startServer } from './server.js';

// `npm run bench`: starts real server processes and drives them over HTTP from this process,
// printing figures. Durations are short enough for a 2-core machine; BENCH_SECONDS overrides.
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

async function countStored(url: string, key: string): Promise<number> {
  const res = await fetch(`${url}/metrics`);
  const text = await res.text();
  void key;
  return Number(/^switchboard_messages_accepted_total (\d+)/m.exec(text)?.[1] ?? 0);
}

async function acceptSection(): Promise<void> {
  console.log(`\nAccept through the HTTP API (SQLite, synchronous=full, sandbox dispatching), ${seconds}s each`);
  for (const [label, connections, recipientsPerRequest] of [
    ['single recipient, 64 connections', 64, 1],
    ['1,000-recipient batches, 8 connections', 8, 1000],
  ] as const) {
    const server = await startServer();
    try {
      const f = await benchAccept(server, { connections, seconds, recipientsPerRequest });
      const stored = await countStored(server.url, server.key);
      console.log(
        `  ${label.padEnd(40)} ${f.requestsPerSecond.toFixed(0).padStart(7)} req/s ${f.messagesPerSecond.toFixed(0).padStart(8)} msg/s` +
          `  p50 ${f.p50} ms  p99 ${f.p99} ms  errors ${f.errors}  stored ${stored}/${f.accepted}`,
      );
    } finally {
      await server.stop();
    }
  }
}

await acceptSection();
