import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** Webhooks for tests: private addresses allowed (receivers are local), retries in milliseconds. */
export const FAST_WEBHOOKS = { SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE: 'true', SWITCHBOARD_WEBHOOK_RETRY_SCALE: '0.004' };

/**
 * A real HTTP receiver on 127.0.0.1 that answers `statuses` in turn (then 204), recording every
 * request; 'hang' holds that request open without an answer until the receiver closes, and
 * `{ afterMs, status }` answers `status` (204 if not given) that late.
 */
export class Receiver {
  readonly requests: { method: string; url: string; headers: Record<string, string>; body: string }[] = [];
  /** Requests received and not answered yet, and the most there were at once since `peak` was last reset. */
  inFlight = 0;
  peak = 0;
  readonly #server: Server;
  url = '';

  constructor(private readonly statuses: (number | 'hang' | { afterMs: number; status?: number })[] = []) {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers as Record<string, string>, body });
        this.peak = Math.max(this.peak, ++this.inFlight);
        res.on('finish', () => this.inFlight--);
        const status = this.statuses.shift() ?? 204;
        if (typeof status === 'number') res.writeHead(status).end(this.statuses.length > 0 ? 'not now' : '');
        else if (status !== 'hang') setTimeout(() => res.writeHead(status.status ?? 204).end(), status.afterMs);
      });
    });
  }

  async listen(port = 0): Promise<this> {
    await new Promise<void>((r) => this.#server.listen(port, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as { port: number }).port}/hooks`;
    return this;
  }

  /** Every request whose signature verifies with `secret`, as a receiving app checks them. */
  verified(secret: string): Json[] {
    return this.requests.map((r) => new Webhook(secret).verify(r.body, r.headers) as Json);
  }

  close(): Promise<unknown> {
    this.#server.closeAllConnections();
    return new Promise((r) => this.#server.close(r));
  }
}
