import { createServer, type RequestListener, type Server } from 'node:http';

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

  /** Runs `work` after `ms`, unless the fake is closed first. */
  protected later(work: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      work();
    }, ms);
    this.#timers.add(timer);
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
