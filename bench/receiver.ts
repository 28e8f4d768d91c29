import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

/**
 * A receiving app, in a process of its own as a user's app is (in the load client's process it
 * would compete with the sends for one event loop): answers at once, checks each signature as an
 * app would, counts the message.delivered events once per event id (at least once means a repeat
 * can come). Controlled over HTTP: `GET /stats`, `PUT /secret`, `PUT /refusing` (body "1" or "0").
 * Prints its port when it listens.
 */
let secret = '';
let refusing = false;
const delivered = new Set<string>();
let firstTaken = 0;
let lastTaken = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    if (req.url === '/stats') return void res.end(JSON.stringify({ delivered: delivered.size, firstTaken, lastTaken }));
    if (req.url === '/secret') return void res.end((secret = body));
    if (req.url === '/refusing') return void res.end(String((refusing = body === '1')));
    if (refusing) return void res.writeHead(503).end();
    const payload = new Webhook(secret).verify(body, req.headers as Record<string, string>) as { id: string; type: string } | { id: string; type: string }[];
    for (const event of Array.isArray(payload) ? payload : [payload]) if (event.type === 'message.delivered') delivered.add(event.id);
    lastTaken = Date.now();
    firstTaken ||= lastTaken;
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log((server.address() as { port: number }).port));
