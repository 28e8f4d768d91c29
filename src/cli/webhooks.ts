import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

const USAGE = 'Usage: switchboard webhooks listen [--port 4000] [--secret whsec_...]\n';

/**
 * `webhooks listen`: a receiver for development on 127.0.0.1 that prints each event as a JSON
 * line. Given the endpoint's secret (`--secret`, or SWITCHBOARD_WEBHOOK_SECRET), it verifies
 * each event's Standard Webhooks signature and answers 401 to anything badly signed, as a
 * receiving app should; without one it prints every event, each marked on stderr as NOT
 * verified.
 */
export async function webhooksCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string', default: '4000' }, secret: { type: 'string', default: process.env.SWITCHBOARD_WEBHOOK_SECRET } },
  });
  const port = Number(values.port);
  if (positionals[0] !== 'listen' || !Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(USAGE);
    return 2;
  }
  const webhook = values.secret ? new Webhook(values.secret) : undefined;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      try {
        const event: unknown = webhook ? webhook.verify(body, req.headers as Record<string, string>) : JSON.parse(body);
        if (!webhook) process.stderr.write(`NOT verified (no secret given): ${req.headers['webhook-id'] ?? 'an event without a webhook-id'}\n`);
        process.stdout.write(`${JSON.stringify(event)}\n`);
        res.writeHead(204).end();
      } catch (error) {
        const why = error instanceof WebhookVerificationError ? error.message : 'not a webhook';
        process.stderr.write(`refused a request: ${why}\n`);
        res.writeHead(webhook ? 401 : 400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: why }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as { port: number };
  process.stderr.write(
    webhook
      ? `Listening on http://127.0.0.1:${bound}/ for signed events; Ctrl-C stops.\n`
      : `Listening on http://127.0.0.1:${bound}/; events are printed NOT verified. Pass the endpoint's secret with --secret whsec_... (or SWITCHBOARD_WEBHOOK_SECRET) to verify their signatures. Ctrl-C stops.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await new Promise((resolve) => server.close(resolve));
  return 0;
}
