import { connect } from 'node:net';
import { SmppSession } from '../src/providers/smpp/session.js';
import { configFile, freePort, startServer } from './server.js';
import { carrierConfig, startSimulator } from './smpp.js';

export interface SmppServerFigures {
  /** submit_sm answered per second, from the first submit to the last answer. */
  readonly submitsPerSecond: number;
  /** Receipts the customer got per second, from the first submit to the last receipt. */
  readonly receiptsPerSecond: number;
  readonly refused: number;
}

/**
 * A customer's SMPP clients (transceivers, `window` submits outstanding each) sending `total`
 * messages with receipts asked for to Switchboard's SMPP server, routed to the SMSC simulator
 * (its own process) and delivered: submit_sm/s answered and receipts/s back to the customer,
 * after `warmup` messages sent the same way and not measured.
 */
export async function benchSmppServer(total: number, sessions: number, window: number, warmup: number): Promise<SmppServerFigures> {
  const smscPort = await freePort();
  const sim = await startSimulator(smscPort, 10);
  const config = configFile('smppd', carrierConfig(smscPort));
  const smppPort = await freePort();
  // A server that does not start leaves no simulator behind.
  const server = await startServer({ SWITCHBOARD_CONFIG: config, SWITCHBOARD_SMPP_PORT: String(smppPort), SWITCHBOARD_SMPP_WINDOW: String(window) }).catch((error: unknown) => {
    sim.kill();
    throw error;
  });
  try {
    const made = await fetch(`${server.url}/v1/accounts/acct_default/credentials`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: 'smpp', bind_limit: sessions }),
    });
    const cred = (await made.json()) as { key: string; secret: string };
    const clients = await Promise.all(
      Array.from({ length: sessions }, async () => {
        const socket = connect({ host: '127.0.0.1', port: smppPort });
        await new Promise((r) => socket.once('connect', r));
        const session = new SmppSession(socket, { responseTimeoutMs: 60_000 });
        session.on('error', () => undefined);
        const bound = await session.request('bind_transceiver', { system_id: cred.key, password: cred.secret, system_type: '', interface_version: 0x34 });
        if (bound.status !== 0) throw new Error(`bind refused: ${bound.status}`);
        return session;
      }),
    );
    let receipts = 0;
    let lastReceipt = 0;
    let wanted = 0;
    let allIn: () => void = () => undefined;
    for (const session of clients) {
      session.on('request', (p) => {
        session.respond(p);
        if (p.command !== 'deliver_sm') return;
        lastReceipt = performance.now();
        if (++receipts >= wanted) allIn();
      });
    }
    let sent = 0;
    let refused = 0;
    /** `count` submits over every session's window; resolves when each is answered and its receipt is in. */
    const run = async (count: number): Promise<{ started: number; submitted: number }> => {
      wanted = receipts + count;
      const receiptsIn = new Promise<void>((resolve) => (allIn = resolve));
      const end = sent + count;
      const started = performance.now();
      await Promise.all(
        clients.flatMap((session) =>
          Array.from({ length: window }, async () => {
            while (sent < end) {
              const to = `4474${String(sent++).padStart(8, '0')}`;
              const resp = await session.request('submit_sm', {
                source_addr_ton: 5, source_addr: 'Bench', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: to, registered_delivery: 1, short_message: Buffer.from('Your code is 123456'),
              });
              if (resp.status !== 0) refused++;
            }
          }),
        ),
      );
      const submitted = performance.now();
      if (refused > 0) throw new Error(`${refused} submit_sm refused`);
      await receiptsIn;
      return { started, submitted };
    };
    // A gateway that has been running: the first messages, unmeasured, compile its hot paths.
    if (warmup > 0) await run(warmup);
    const { started, submitted } = await run(total);
    for (const session of clients) session.destroy();
    return { submitsPerSecond: total / ((submitted - started) / 1000), receiptsPerSecond: total / ((lastReceipt - started) / 1000), refused };
  } finally {
    await server.stop();
    sim.kill();
  }
}
