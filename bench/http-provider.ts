import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFile, freePort, spawnNode, startServer } from './server.js';
import { deliveredMessages, measureSends, METRICS_POLL_MS, type PipelineFigures } from './webhooks.js';

const PROVIDER = fileURLToPath(new URL('./provider.js', import.meta.url));

/**
 * HTTP accept -> a generic-http connection (no rate limit, 100 requests in flight) -> an HTTP
 * provider in its own process (bench/provider.ts) -> its receipt posted back to the gateway's
 * callback URL -> delivered. The HTTP providers' whole path: their request, and receipt ingest
 * over HTTP.
 */
export async function benchHttpProvider(total: number, warmup: number): Promise<PipelineFigures> {
  const provider = spawnNode([PROVIDER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const providerPort = await new Promise<string>((resolve) => provider.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    const port = await freePort();
    const config = configFile(
      'http',
      [
        'connections:',
        '  - name: provider',
        '    provider: generic-http',
        '    tps: 0',
        '    window: 100',
        `    request: { method: POST, url: "http://127.0.0.1:${providerPort}/send", headers: { content-type: application/x-www-form-urlencoded }, body: "dst={{to_digits}}&src={{from|url}}&msg={{text|url}}&dlr={{callback_url|url}}" }`,
        '    response: { success: "^OK ", message_id: { regex: "^OK (\\\\S+)" } }',
        '    receipts: { token: bench-callback-token, id: msgid, status: stat, statuses: { DELIVRD: { state: delivered } } }',
        'routes:',
        '  - { name: all, connections: [provider] }',
        '',
      ].join('\n'),
    );
    const server = await startServer({ SWITCHBOARD_CONFIG: config, PORT: String(port), SWITCHBOARD_PUBLIC_URL: `http://127.0.0.1:${port}` });
    try {
      return await measureSends([server], total, warmup, async (count) => (await deliveredMessages(server)) >= count, METRICS_POLL_MS);
    } finally {
      await server.stop();
    }
  } finally {
    provider.kill();
  }
}
