import { benchAccept, pricedAccount, type AcceptFigures } from './accept.js';
import { benchSmsPartner, benchTwilio, benchVonage } from './faces.js';
import { metricsText, startServer, type BenchServer } from './server.js';
import { median } from './median.js';
import { benchCluster } from './cluster.js';
import { benchThreeConnections } from './routing.js';
import { benchEndToEnd, benchSubmitRate } from './smpp.js';
import { benchSmppServer } from './smpp-server.js';
import { benchHttpProvider } from './http-provider.js';
import { cpuMs, webhooksSection } from './webhooks.js';
import { pricingSection } from './pricing.js';
import { pricesSection } from './prices.js';
import { lookupsSection } from './lookups.js';
import { complianceSection } from './compliance.js';
import { qualitySection } from './quality.js';
import { logSection } from './log.js';

// `npm run bench`: starts real server processes and drives them over HTTP from this process,
// printing figures. Durations are short enough for a 2-core machine; BENCH_SECONDS overrides.
// `npm run bench -- accept` (or faces, smpp, smpp-server, http-provider, routing, cluster, webhooks, pricing, prices, lookups, compliance, quality, log) runs those sections only.
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

/** Messages the server counted as stored (it answers 202 only after the commit). */
async function countAccepted(server: BenchServer): Promise<number> {
  const text = await metricsText(server);
  return Number(/^switchboard_messages_accepted_total (\d+)/m.exec(text)?.[1] ?? 0);
}

async function acceptSection(): Promise<void> {
  console.log(`\nAccept through the HTTP API: SQLite (SWITCHBOARD_SQLITE_SYNC=full: every write on disk before its answer), the sandbox carrier dispatching; ${seconds}s each`);
  const runs: [string, number, number, Record<string, string>, boolean?][] = [
    ['single recipient, 64 connections', 64, 1, {}],
    ['single recipient, 64 connections, priced', 64, 1, {}, true],
    ['1,000-recipient batches, 8 connections', 8, 1000, {}],
    ['single recipient, dispatcher idle (1 TPS)', 64, 1, { SWITCHBOARD_SANDBOX_TPS: '1' }],
    ['single recipient, dispatcher idle, priced', 64, 1, { SWITCHBOARD_SANDBOX_TPS: '1' }, true],
    ['1,000-recipient batches, dispatcher idle', 8, 1000, { SWITCHBOARD_SANDBOX_TPS: '1' }],
  ];
  for (const [label, connections, recipientsPerRequest, env, priced] of runs) {
    const server = await startServer(env);
    try {
      // Priced: the key of an account with a price list, charged at every accept.
      const f = await benchAccept(priced ? await pricedAccount(server) : server, { connections, seconds, recipientsPerRequest });
      const stored = await countAccepted(server);
      console.log(
        `  ${label.padEnd(44)} ${f.requestsPerSecond.toFixed(0).padStart(6)} req/s ${f.messagesPerSecond.toFixed(0).padStart(7)} msg/s` +
          `  p50 ${String(f.p50).padStart(4)} ms  p99 ${String(f.p99).padStart(4)} ms  errors ${f.errors}  stored ${stored} (answered 202: ${f.accepted})`,
      );
    } finally {
      await server.stop();
    }
  }
}

type Run = [label: string, run: (server: BenchServer) => Promise<AcceptFigures>];

/**
 * Each compatible API beside the native API, single recipient at 64 connections, each run on a
 * fresh server; `BENCH_FACE_PAIRS` rounds (3), in turn in one order then the reverse, so that a
 * machine whose speed drifts weighs on all alike. Each face's ratio to the native API in each
 * round, and their median, is printed.
 */
async function facesSection(): Promise<void> {
  const pairs = Number(process.env.BENCH_FACE_PAIRS ?? 3);
  console.log(`\nAccept through the compatible APIs beside the native API: SQLite (SWITCHBOARD_SQLITE_SYNC=full: every write on disk before its answer), single recipient, 64 connections; ${seconds}s each, ${pairs} rounds`);
  const native: Run = ['native API (POST /v1/messages)', (server) => benchAccept(server, { connections: 64, seconds, recipientsPerRequest: 1 })];
  const faces: Run[] = [
    ["Vonage's SMS API (POST /sms/json, a form)", (server) => benchVonage(server, { connections: 64, seconds })],
    ["Twilio's Messages API (POST .../Messages.json)", (server) => benchTwilio(server, { connections: 64, seconds })],
    ["SMSPartner's API (POST /v1/send, JSON)", (server) => benchSmsPartner(server, { connections: 64, seconds })],
  ];
  const ratios = new Map<string, number[]>(faces.map(([label]) => [label, []]));
  const cpu = new Map<string, number[]>([native, ...faces].map(([label]) => [label, []]));
  for (let round = 0; round < pairs; round++) {
    const rates = new Map<string, number>();
    const runs = [native, ...faces];
    for (const [label, run] of round % 2 === 0 ? runs : [...runs].reverse()) {
      const server = await startServer();
      try {
        const before = cpuMs(server.child.pid!);
        const f = await run(server);
        const stored = await countAccepted(server);
        // The server's CPU per message: on a loaded machine, a steadier measure of a face's cost than the rate.
        cpu.get(label)!.push((cpuMs(server.child.pid!) - before) / Math.max(stored, 1));
        rates.set(label, f.messagesPerSecond);
        console.log(
          `  ${label.padEnd(48)} ${f.messagesPerSecond.toFixed(0).padStart(7)} msg/s  p50 ${String(f.p50).padStart(4)} ms  p99 ${String(f.p99).padStart(4)} ms  errors ${f.errors}  stored ${stored}  CPU ${cpu.get(label)!.at(-1)!.toFixed(3)} ms/message`,
        );
      } finally {
        await server.stop();
      }
    }
    for (const [label] of faces) {
      ratios.get(label)!.push(rates.get(label)! / rates.get(native[0])!);
      console.log(`  round ${round + 1}: ${label} at ${(ratios.get(label)!.at(-1)! * 100).toFixed(0)}% of the native API`);
    }
  }
  for (const [label, list] of ratios) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(`  median: ${label} at ${(median(list) * 100).toFixed(0)}% of the native API (range ${(sorted[0]! * 100).toFixed(0)}-${(sorted[sorted.length - 1]! * 100).toFixed(0)}%)`);
  }
  const nativeCpu = median(cpu.get(native[0])!);
  for (const [label] of faces) {
    console.log(`  median CPU: ${label} ${median(cpu.get(label)!).toFixed(3)} ms/message, ${((nativeCpu / median(cpu.get(label)!)) * 100).toFixed(0)}% of the native API's messages per CPU second`);
  }
}

async function smppSection(): Promise<void> {
  console.log('\nSMPP (simulator in its own process)');
  const rate = await benchSubmitRate(50_000, 100);
  console.log(`  submit_sm over one bind, window 100         ${rate.toFixed(0).padStart(7)} submit_sm/s`);
  const e2e = await benchEndToEnd(20_000);
  console.log(`  20,000 messages accepted -> delivered       ${e2e.seconds.toFixed(2).padStart(7)} s  (${e2e.perSecond.toFixed(0)} messages/s end to end)`);
}

async function smppServerSection(): Promise<void> {
  console.log('\nSMPP server: a customer binds to Switchboard (window 100 per session), routed to the simulator (its own process), receipts back; 20,000 messages after 5,000 unmeasured');
  for (const sessions of [1, 2]) {
    const f = await benchSmppServer(20_000, sessions, 100, 5_000);
    console.log(`  ${`${sessions} session${sessions > 1 ? 's' : ''} at once`.padEnd(20)} ${f.submitsPerSecond.toFixed(0).padStart(6)} submit_sm/s answered   ${f.receiptsPerSecond.toFixed(0).padStart(6)} receipts/s to the customer (end to end)`);
  }
}

async function httpProviderSection(): Promise<void> {
  console.log('\nHTTP provider: 20,000 single-recipient sends (50 in flight; 5,000 before them, unmeasured) -> generic-http connection (100 in flight) -> a provider in its own process -> its receipt posted back -> delivered');
  const f = await benchHttpProvider(20_000, 5_000);
  console.log(`  accept ${f.acceptPerSecond.toFixed(0).padStart(5)}/s  all delivered in ${f.seconds.toFixed(1)} s  CPU ${f.cpuMsPerMessage.toFixed(3)} ms/message`);
  console.log(`    accepted per second: ${f.perSecond.join(' ')}`);
}

async function routingSection(): Promise<void> {
  console.log('\nDispatch across three connections with different TPS limits (sandbox carriers, one weighted route)');
  const r = await benchThreeConnections(10_000);
  for (const lane of r.lanes) {
    console.log(`  ${lane.connection.padEnd(8)} limit ${String(lane.tps).padStart(5)} TPS   ${String(lane.sent).padStart(6)} submits  ${lane.perSecond.toFixed(0).padStart(6)} submits/s while it had work`);
  }
  console.log(`  all      10,000 messages accepted -> delivered in ${r.seconds.toFixed(2)} s (${r.perSecond.toFixed(0)} messages/s)`);
}

async function clusterSection(): Promise<void> {
  console.log('\nSeveral nodes (separate processes, 1,000-recipient requests to every node at once, sandbox carrier); 12,000 messages');
  console.log('  on this 2-core machine the nodes, PostgreSQL, Redis and the client share two cores: the figures show overhead more than scaling');
  for (const [label, nodes] of [['SQLite, 1 node', 0], ['PostgreSQL + Redis, 1 node', 1], ['PostgreSQL + Redis, 2 nodes', 2], ['PostgreSQL + Redis, 3 nodes', 3]] as const) {
    const f = await benchCluster(nodes, 12_000);
    console.log(`  ${label.padEnd(30)} accepted ${f.acceptedPerSecond.toFixed(0).padStart(6)} msg/s   accepted -> delivered ${f.deliveredPerSecond.toFixed(0).padStart(6)} msg/s`);
  }
}

// `node dist/bench/run.js [section...]` runs those sections alone; no argument runs them all.
const sections: Record<string, () => Promise<void>> = {
  accept: acceptSection,
  faces: facesSection,
  smpp: smppSection,
  'smpp-server': smppServerSection,
  'http-provider': httpProviderSection,
  routing: routingSection,
  cluster: clusterSection,
  webhooks: webhooksSection,
  pricing: () => pricingSection(seconds),
  prices: pricesSection,
  lookups: () => lookupsSection(seconds),
  compliance: () => complianceSection(seconds),
  quality: () => qualitySection(seconds),
  log: logSection,
};
const chosen = process.argv.slice(2);
for (const name of chosen) if (!sections[name]) throw new Error(`no bench section ${name}: one of ${Object.keys(sections).join(', ')}`);
for (const [name, section] of Object.entries(sections)) if (chosen.length === 0 || chosen.includes(name)) await section();
