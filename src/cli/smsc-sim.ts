import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SmscSimulator } from '../providers/smpp/simulator.js';
import { profilesOf } from '../providers/sandbox/destinations.js';

/**
 * `smsc-sim [--port 2775] [--receipt-delay 200] [--ids hex|decimal] [--receipt-ids same|hex|decimal] [--tps N] [--submit-delay MS] [--destinations JSON]`:
 * an SMSC on 127.0.0.1 answering like the sandbox (with the sandbox's `destinations` profiles, as JSON). Each line typed on stdin as
 * `<from> <to> <text>` is sent to bound receivers as an MO message.
 */
export async function smscSimCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '2775' },
      'receipt-delay': { type: 'string', default: '200' },
      ids: { type: 'string', default: 'hex' },
      'receipt-ids': { type: 'string', default: 'same' },
      tps: { type: 'string' },
      'submit-delay': { type: 'string' },
      'system-id': { type: 'string' },
      password: { type: 'string' },
      destinations: { type: 'string' },
    },
  });
  const ids = values.ids === 'decimal' ? 'decimal' : 'hex';
  const receiptIds = values['receipt-ids'] === 'hex' || values['receipt-ids'] === 'decimal' ? values['receipt-ids'] : 'same';
  const sim = new SmscSimulator({
    port: Number(values.port),
    receiptDelayMs: Number(values['receipt-delay']),
    idFormat: ids,
    receiptIdFormat: receiptIds,
    ...(values.tps !== undefined && { tps: Number(values.tps) }),
    ...(values['submit-delay'] !== undefined && { submitDelayMs: Number(values['submit-delay']) }),
    ...(values['system-id'] !== undefined && { systemId: values['system-id'] }),
    ...(values.password !== undefined && { password: values.password }),
    ...(values.destinations !== undefined && { destinations: profilesOf(JSON.parse(values.destinations) as Parameters<typeof profilesOf>[0]) }),
  });
  const port = await sim.listen();
  process.stdout.write(`SMSC simulator listening on 127.0.0.1:${port} (the sandbox's magic numbers apply). Type "<from> <to> <text>" to send an MO message.\n`);
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for await (const line of createInterface({ input: process.stdin })) {
    const m = /^(\+?\d+)\s+(\S+)\s+(.+)$/.exec(line.trim());
    if (!m) {
      if (line.trim()) process.stdout.write('expected: <from> <to> <text>\n');
      continue;
    }
    await sim.deliverMo(m[1]!, m[2]!, m[3]!);
    process.stdout.write(`MO sent to ${sim.sessions} session(s)\n`);
  }
  await new Promise(() => undefined); // stdin closed: keep serving until a signal
  return 0;
}
