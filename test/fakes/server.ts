import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';

/**
 * What every local stand-in for a provider shares: an HTTP server on 127.0.0.1 and the timers of
 * the callbacks it posts later (receipts), all stopped by `close`.
 */
export abstract class FakeServer {
  #server: Server | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();
  url = '';

  /** Answers requests with `handler`; called once, by the provider's constructor. */
  protected serve(handler: RequestListener): void {
    this.#server = createServer(handler);
  }

  /** As `serve`, with the request's body read as text first. */
  protected serveText(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): void {
    this.serve((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => handler(req, body, res));
    });
  }

  /** Runs `work` after `ms`, unless the fake is closed first. */
  protected later(work: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      work();
    }, ms);
    this.#timers.add(timer);
  }

  /** Calls back `url` after `ms`, as a provider posts a receipt; what comes of it is not the fake's business. */
  protected callback(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }, ms = 20): void {
    this.later(() => void fetch(url, { method: 'POST', ...init }).catch(() => undefined), ms);
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server!.address() as { port: number }).port}`;
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#server!.closeAllConnections();
    await new Promise((r) => this.#server!.close(r));
  }
}

/** Answers with a JSON body, as most providers do. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
