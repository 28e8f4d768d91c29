import { randomBytes } from 'node:crypto';
import { vonageSignature } from '../../src/providers/vonage/signature.js';
import { FakeServer } from './server.js';

const REFUSED: Record<string, { status: string; text: string }> = {
  '447400000001': { status: '7', text: 'Number barred.' },
  '447400000002': { status: '1', text: 'Throughput Rate Exceeded - please wait [ 1000 ] and retry' },
};

/** A number whose submit the fake takes and never answers. */
const HANGS = '447400000009';

/**
 * A local stand-in for Vonage's SMS API: /sms/json with Basic auth, one messages[] entry per part,
 * refusals as a non-zero status with error-text, then delivery receipts signed with md5hash.
 */
export class FakeVonage extends FakeServer {
  readonly requests: { auth: string | undefined; body: Record<string, unknown> }[] = [];
  /** While true, every request is answered 503, as during an outage. */
  down = false;

  constructor(
    readonly apiKey: string,
    readonly apiSecret: string,
    readonly signatureSecret: string,
  ) {
    super();
    this.serve((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        if (req.headers.authorization !== `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`) {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'https://developer.nexmo.com/api-errors#unauthorized', title: 'Unauthorized' }));
          return;
        }
        if (this.down) {
          res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>503 Service Unavailable</h1>');
          return;
        }
        const body = JSON.parse(raw) as Record<string, string>;
        this.requests.push({ auth: req.headers.authorization, body });
        if (body.to === HANGS) return; // taken, never answered: the outcome is unknown
        const refusal = REFUSED[body.to!];
        if (refusal) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ 'message-count': '1', messages: [{ status: refusal.status, 'error-text': refusal.text }] }));
          return;
        }
        const [single, part] = body.type === 'unicode' ? [70, 67] : [160, 153];
        const parts = body.text!.length > single ? Math.ceil(body.text!.length / part) : 1;
        const ids = Array.from({ length: parts }, () => randomBytes(8).toString('hex').toUpperCase());
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            'message-count': String(parts),
            messages: ids.map((id) => ({ to: body.to, 'message-id': id, status: '0', 'remaining-balance': '15.53590000', 'message-price': '0.03330000', network: '23410' })),
          }),
        );
        const [status, err] = body.to === '447400000005' ? ['failed', '2'] : ['delivered', '0'];
        for (const id of ids) this.#receipt(body.callback!, { msisdn: body.to!, to: body.from!, messageId: id, status, 'err-code': err, 'client-ref': body['client-ref']! });
      });
    });
  }

  /** A receipt's parameters, signed as Vonage signs them. */
  signed(params: Record<string, string>, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
    const all = { ...params, 'api-key': this.apiKey, 'network-code': '23410', price: '0.03330000', scts: '2611221031', 'message-timestamp': '2026-11-22 10:31:00', timestamp: String(timestamp), nonce: randomBytes(8).toString('hex') };
    return { ...all, sig: vonageSignature(all, this.signatureSecret, 'md5hash') };
  }

  #receipt(url: string, params: Record<string, string>): void {
    this.later(() => {
      void fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(this.signed(params)) }).catch(() => undefined);
    }, 20);
  }
}
