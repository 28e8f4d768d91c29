import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SmppSession } from '../src/providers/smpp/session.js';
import { configFile, freePort, metricsText, sendBatches, spawnNode, startServer } from './server.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

/** One SMPP connection to the simulator on `smscPort` (window 100, no TPS limit to speak of), every message routed to it. */
export function carrierConfig(smscPort: number): string {
  return `connections:\n  - { name: carrier, provider: smpp, host: 127.0.0.1, port: ${smscPort}, system_id: bench, password: bench, window: 100, tps: 100000 }\nroutes:\n  - { name: all, connections: [carrier] }\n`;
}

/** Runs `switchboard smsc-sim` as its own process, as a user would. */
export async function startSimulator(port: number, receiptDelayMs: number): Promise<ChildProcess> {
  const child = spawnNode([CLI, 'smsc-sim', '--port', String(port), '--receipt-delay', String(receiptDelayMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child;
}

/** submit_sm per second over one bind, with `window` submits outstanding. */
export async function benchSubmitRate(total: number, window: number): Promise<number> {
  const port = await freePort();
  const sim = await startSimulator(port, 60_000);
  try {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((r) => socket.once('connect', r));
    const session = new SmppSession(socket, { responseTimeoutMs: 30_000 });
    await session.request('bind_transmitter', { system_id: 'bench', password: 'bench', system_type: '', interface_version: 0x34 });
    const body = { source_addr_ton: 5, source_addr: 'Bench', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '447400123456', short_message: Buffer.from('Your code is 123456') };
    const started = performance.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: window }, async () => {
        while (sent < total) {
          sent++;
          await session.request('submit_sm', body);
        }
      }),
    );
    const rate = total / ((performance.now() - started) / 1000);
    session.destroy();
    return rate;
  } finally {
    sim.kill();
  }
}

/** Seconds for `total` messages to go from accepted to delivered: HTTP API, SMPP connector, simulator. */
export async function benchEndToEnd(total: number, env: Record<string, string> = {}): Promise<{ seconds: number; perSecond: number }> {
  const smscPort = await freePort();
  const sim = await startSimulator(smscPort, 10);
  const config = configFile('smpp', carrierConfig(smscPort));
  const server = await startServer({ SWITCHBOARD_CONFIG: config, ...env });
  try {
    const started = performance.now();
    await sendBatches(server, total / 1000);
    for (;;) {
      const text = await metricsText(server);
      const delivered = Number(/^switchboard_messages_finished_total\{status="delivered",error_code=""\} (\d+)/m.exec(text)?.[1] ?? 0);
      if (delivered >= total) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, perSecond: total / seconds };
  } finally {
    await server.stop();
    sim.kill();
  }
}
