import { configFile, metricsText, sendBatches, startServer } from './server.js';

export interface LaneFigure {
  readonly connection: string;
  readonly tps: number;
  readonly sent: number;
  readonly perSecond: number;
}

/**
 * Three sandbox connections with different TPS limits behind one weighted route: `total`
 * messages are accepted at once, and each connection's submits per second are read off
 * /metrics until every message is delivered.
 */
export async function benchThreeConnections(total: number): Promise<{ seconds: number; perSecond: number; lanes: LaneFigure[] }> {
  const limits = { slow: 250, medium: 500, fast: 1000 };
  const connections = Object.entries(limits).map(([name, tps]) => `  - { name: ${name}, provider: sandbox, tps: ${tps}, receipt_delay_ms: 10 }`);
  const targets = Object.entries(limits).map(([name, tps]) => `{ connection: ${name}, weight: ${tps} }`);
  const config = configFile('routing', `connections:\n${connections.join('\n')}\nroutes:\n  - { name: all, strategy: weighted, connections: [${targets.join(', ')}] }\n`);
  const server = await startServer({ SWITCHBOARD_CONFIG: config });
  try {
    const started = performance.now();
    await sendBatches(server, total / 1000);
    // When each connection made its last submit: its figure is over the time it had work.
    const lastSubmitAt = new Map<string, number>();
    let sent: Record<string, number> = {};
    for (;;) {
      const text = await metricsText(server);
      const now = Object.fromEntries(
        [...text.matchAll(/^switchboard_messages_dispatched_total\{connection="([^"]+)"\} (\d+)/gm)].map((m) => [m[1]!, Number(m[2])]),
      );
      for (const name of Object.keys(limits)) if ((now[name] ?? 0) > (sent[name] ?? 0)) lastSubmitAt.set(name, performance.now());
      sent = now;
      const delivered = Number(/^switchboard_messages_finished_total\{status="delivered",error_code=""\} (\d+)/m.exec(text)?.[1] ?? 0);
      if (delivered >= total) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const lanes = Object.entries(limits).map(([connection, tps]) => {
      const took = ((lastSubmitAt.get(connection) ?? performance.now()) - started) / 1000;
      return { connection, tps, sent: sent[connection] ?? 0, perSecond: (sent[connection] ?? 0) / took };
    });
    return { seconds, perSecond: total / seconds, lanes };
  } finally {
    await server.stop();
  }
}
