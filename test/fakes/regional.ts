import { FakeServer } from './server.js';

/** What the fake answers, by destination (`dst`); anything else is `OK <id>`, then delivered. */
const BEHAVIOUR: Record<string, { status: number; text?: string; retryAfter?: string; hang?: true; receipt?: [string, string] }> = {
  '447400000001': { status: 200, text: 'ERR 12 INVALID NUMBER' },
  '447400000002': { status: 200, text: 'ERR 5 THROTTLED, try later' },
  '447400000003': { status: 503, text: 'upstream unavailable' },
  '447400000004': { status: 200, hang: true },
  '447400000005': { status: 200, receipt: ['UNDELIV', '27'] },
  '447400000007': { status: 429, text: 'slow down', retryAfter: '2' },
};

/**
 * A regional provider's plain-text API, as Kannel's generic SMSC meets them: a form POST, `OK
 * <id>` or `ERR <code> <reason>`, a 503, a 429 with Retry-After, a send never answered; then a
 * receipt (`msgid`, `stat`, `err`, `done`) to the `dlr` URL the request gave.
 */
export class FakeRegional extends FakeServer {
  readonly requests: URLSearchParams[] = [];
  #nextId = 1000;

  constructor() {
    super();
    this.serveText((_req, body, res) => {
      const form = new URLSearchParams(body);
      this.requests.push(form);
      const b = BEHAVIOUR[form.get('dst') ?? ''] ?? { status: 200 };
      if (b.hang) return;
      const id = String(this.#nextId++);
      res.writeHead(b.status, { 'content-type': 'text/plain', ...(b.retryAfter && { 'retry-after': b.retryAfter }) }).end(b.text ?? `OK ${id}`);
      if (b.text) return;
      const [stat, err] = b.receipt ?? ['DELIVRD', '0'];
      this.callback(`${form.get('dlr')}&${new URLSearchParams({ msgid: id, stat, err, done: '2026-11-22T10:31:00Z' })}`, { method: 'GET' });
    });
  }
}
