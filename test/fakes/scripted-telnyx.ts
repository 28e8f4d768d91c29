import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { FakeServer, json } from './server.js';

/** One POST /v2/messages the fake took: when, to whom, the webhook URL it named (the sending node's), and the id given. */
export interface TelnyxSubmit {
  readonly at: number;
  readonly to: string;
  readonly webhookUrl: string;
  /** The provider id answered, or undefined when the fake refused the request. */
  readonly id: string | undefined;
}

/** What the fake does with the n-th request (1-based) to a number: answer 200 (after `delayMs`), or refuse with `status`. */
export type TelnyxScript = (to: string, attempt: number) => { status: 200; delayMs?: number } | { status: number };

/**
 * A Telnyx Messaging v2 stand-in for tests of several nodes: it answers each request as `script`
 * says, records every submit, and posts signed receipts to the request's webhook URL only when
 * `autoReceipts` is on; otherwise the test posts them itself (with `webhookBody` and `headers`),
 * to whichever node it chooses.
 */
export class ScriptedTelnyx extends FakeServer {
  readonly submits: TelnyxSubmit[] = [];
  readonly publicKey: string;
  autoReceipts = true;
  readonly #privateKey;
  readonly #attempts = new Map<string, number>();

  constructor(
    readonly apiKey: string,
    public script: TelnyxScript = () => ({ status: 200 }),
  ) {
    super();
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    this.publicKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
    this.#privateKey = privateKey;
    this.serveText((req, raw, res) => {
      if (req.method !== 'POST' || req.url !== '/v2/messages' || req.headers.authorization !== `Bearer ${apiKey}`) {
        json(res, 404, { errors: [{ code: '10005', title: 'Resource not found' }] });
        return;
      }
      const body = JSON.parse(raw) as { to: string; from: string; text: string; webhook_url: string };
      const attempt = (this.#attempts.get(body.to) ?? 0) + 1;
      this.#attempts.set(body.to, attempt);
      const answer = this.script(body.to, attempt);
      if (answer.status !== 200) {
        this.submits.push({ at: Date.now(), to: body.to, webhookUrl: body.webhook_url, id: undefined });
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end('service unavailable');
        return;
      }
      const id = randomUUID();
      this.submits.push({ at: Date.now(), to: body.to, webhookUrl: body.webhook_url, id });
      const delay = 'delayMs' in answer ? (answer.delayMs ?? 0) : 0;
      this.later(() => {
        json(res, 200, { data: this.payload(id, body.to, 'queued') });
        if (!this.autoReceipts) return;
        this.later(() => void this.post(body.webhook_url, this.webhookBody('message.finalized', this.payload(id, body.to, 'delivered'))), 20);
      }, delay);
    });
  }

  /** A message object as Telnyx sends it in answers and webhooks. */
  payload(id: string, to: string, status: string): object {
    return { id, record_type: 'message', direction: 'outbound', to: [{ phone_number: to, status }], errors: [] };
  }

  webhookBody(eventType: string, payload: object): string {
    return JSON.stringify({ data: { event_type: eventType, id: randomUUID(), occurred_at: new Date().toISOString(), payload, record_type: 'event' }, meta: { attempt: 1 } });
  }

  /** The headers Telnyx signs a webhook body with (Ed25519 over `<timestamp>|<body>`). */
  headers(body: string): Record<string, string> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(`${timestamp}|${body}`), this.#privateKey).toString('base64');
    return { 'content-type': 'application/json', 'telnyx-timestamp': timestamp, 'telnyx-signature-ed25519': signature };
  }

  /** Posts a signed webhook body to `url`, as Telnyx does; the HTTP status of the answer. */
  async post(url: string, body: string): Promise<number> {
    try {
      return (await fetch(url, { method: 'POST', headers: this.headers(body), body })).status;
    } catch {
      return 0;
    }
  }
}
