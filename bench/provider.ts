import { createServer } from 'node:http';
import { Agent, request } from 'undici';

/**
 * An HTTP SMS provider, in a process of its own as a real one is: `POST /send` (a form with
 * `dlr`, the callback URL) answers `OK <id>` at once, and `RECEIPT_DELAY_MS` later posts the
 * receipt to that URL as a form (`msgid`, `stat=DELIVRD`), as providers' delivery reports do.
 * `GET /stats`: sends taken and receipts the gateway answered 2xx. Prints its port when it listens.
 */
const RECEIPT_DELAY_MS = Number(process.env.RECEIPT_DELAY_MS ?? 10);
const agent = new Agent({ connections: 64 });
let sent = 0;
let receipts = 0;

async function report(url: string, id: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `msgid=${id}&stat=DELIVRD`,
      });
      await res.body.dump();
      if (res.statusCode < 300) return void receipts++;
    } catch {
      // Tried again, as providers retry a callback.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/stats') return void res.end(JSON.stringify({ sent, receipts }));
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    const id = `p${++sent}`;
    res.end(`OK ${id}`);
    const dlr = form.get('dlr');
    if (dlr) setTimeout(() => void report(dlr, id), RECEIPT_DELAY_MS);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log((server.address() as { port: number }).port));
