import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { FakeServer } from './server.js';

const BEHAVIOUR: Record<string, { status: number; body?: object; retryAfter?: string; text?: string; final?: [string, string?] }> = {
  '+447400000001': { status: 422, body: { errors: [{ code: '40300', title: 'Blocked (STOP)', detail: 'The destination has opted out.' }] } },
  '+447400000002': { status: 429, retryAfter: '2', body: { errors: [{ code: '10011', title: 'Too many requests' }] } },
  '+447400000003': { status: 503, text: 'service unavailable' },
  '+447400000005': { status: 200, final: ['delivery_failed', '40008'] },
  '+447400000006': { status: 200, final: ['delivery_failed', '40999'] },
};

/**
 * A local stand-in for Telnyx Messaging v2: POST /v2/messages with a Bearer key, answering as
 * Telnyx documents, then message.sent and message.finalized webhooks signed with Ed25519.
 */
export class FakeTelnyx extends FakeServer {
  readonly requests: { auth: string | undefined; body: Record<string, unknown> }[] = [];
  readonly publicKey: string;
  readonly #privateKey;

  constructor(readonly apiKey: string) {
    super();
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    this.publicKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
    this.#privateKey = privateKey;
    this.serve((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v2/messages') {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: '10005', title: 'Resource not found' }] }));
          return;
        }
        if (req.headers.authorization !== `Bearer ${apiKey}`) {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: '10009', title: 'Authentication failed' }] }));
          return;
        }
        const body = JSON.parse(raw) as Record<string, string>;
        this.requests.push({ auth: req.headers.authorization, body });
        const b = BEHAVIOUR[body.to ?? ''] ?? { status: 200 };
        if (b.text) {
          res.writeHead(b.status, { 'content-type': 'text/plain' }).end(b.text);
          return;
        }
        if (b.status !== 200) {
          res.writeHead(b.status, { 'content-type': 'application/json', ...(b.retryAfter && { 'retry-after': b.retryAfter }) }).end(JSON.stringify(b.body));
          return;
        }
        const id = randomUUID();
        const message = (status: string, errors: object[] = []) => ({
          id,
          record_type: 'message',
          direction: 'outbound',
          from: { phone_number: body.from },
          to: [{ phone_number: body.to, status }],
          text: body.text,
          errors,
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: message('queued') }));
        const [final, code] = b.final ?? ['delivered'];
        this.#webhook(body.webhook_url!, 'message.sent', message('sent'), 10);
        this.#webhook(body.webhook_url!, 'message.finalized', message(final, code ? [{ code, title: 'Undeliverable', detail: 'Carrier did not accept the message' }] : []), 30);
      });
    });
  }

  /** Signs `<timestamp>|<body>` as Telnyx does. */
  signature(timestamp: string, body: string): string {
    return sign(null, Buffer.from(`${timestamp}|${body}`), this.#privateKey).toString('base64');
  }

  #webhook(url: string, eventType: string, payload: object, delayMs: number): void {
    this.later(() => {
      const body = JSON.stringify({ data: { event_type: eventType, id: randomUUID(), occurred_at: new Date().toISOString(), payload, record_type: 'event' }, meta: { attempt: 1 } });
      const timestamp = String(Math.floor(Date.now() / 1000));
      void fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'telnyx-timestamp': timestamp, 'telnyx-signature-ed25519': this.signature(timestamp, body) },
        body,
      }).catch(() => undefined);
    }, delayMs);
  }
}
