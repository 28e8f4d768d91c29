import { randomBytes } from 'node:crypto';
import { vonageSignature } from '../../src/providers/vonage/signature.js';
import { FakeServer, json } from './server.js';

const REFUSED: Record<string, { status: string; text: string }> = {
  '447400000001': { status: '7', text: 'Number barred.' },
  '447400000002': { status: '1', text: 'Throughput Rate Exceeded - please wait [ 1000 ] and retry' },
};

/** A number whose submit the fake takes and never answers. */
const HANGS = '447400000009';
/**
 * A number answered with HTTP 429 and Retry-After. Vonage documents throttling as status 1 in a
 * 200 answer; this is what an HTTP edge in front of any API may answer besides.
 */
const TOO_MANY = '447400000007';

/**
 * A local stand-in for Vonage's SMS API: /sms/json with the credentials in the body as the API
 * reference has them (form or JSON; `api_secret`, or `timestamp` and `sig` signed with the
 * signature secret, md5hash), one messages[] entry per part, refusals as a non-zero status with
 * error-text; then delivery receipts and inbound messages signed with md5hash.
 */
export class FakeVonage extends FakeServer {
  readonly requests: { auth: string | undefined; body: Record<string, string> }[] = [];
  /** While true, every request is answered 503, as during an outage. */
  down = false;

  constructor(
    readonly apiKey: string,
    readonly apiSecret: string,
    readonly signatureSecret: string,
  ) {
    super();
    this.serveText((req, raw, res) => {
      if (this.down) {
        res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>503 Service Unavailable</h1>');
        return;
      }
      const body = req.headers['content-type']?.includes('json') ? (JSON.parse(raw) as Record<string, string>) : Object.fromEntries(new URLSearchParams(raw));
      const refuse = (status: string, text: string) => json(res, 200, { 'message-count': '1', messages: [{ status, 'error-text': text }] });
      const refusal = this.#credentials(body);
      if (refusal) return refuse(...refusal);
      this.requests.push({ auth: req.headers.authorization, body });
      if (body.to === HANGS) return; // taken, never answered: the outcome is unknown
      if (body.to === TOO_MANY) return json(res, 429, { type: 'https://developer.vonage.com/api-errors#throttled', title: 'Too Many Requests' }, { 'retry-after': '2' });
      const refused = REFUSED[body.to!];
      if (refused) return refuse(refused.status, refused.text);
      const [single, part] = body.type === 'unicode' ? [70, 67] : [160, 153];
      const parts = body.text!.length > single ? Math.ceil(body.text!.length / part) : 1;
      const ids = Array.from({ length: parts }, () => randomBytes(8).toString('hex').toUpperCase());
      json(res, 200, {
        'message-count': String(parts),
        messages: ids.map((id) => ({ to: body.to, 'message-id': id, status: '0', 'remaining-balance': '15.53590000', 'message-price': '0.03330000', network: '23410' })),
      });
      const [status, err] = body.to === '447400000005' ? ['failed', '2'] : ['delivered', '0'];
      for (const id of ids) {
        const receipt = { msisdn: body.to!, to: body.from!, 'network-code': '23410', messageId: id, price: '0.03330000', status, scts: '2611221031', 'err-code': err, 'client-ref': body['client-ref']! };
        this.callback(body.callback!, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(this.signed(receipt)) });
      }
    });
  }

  /** Why the request's credentials are refused (status and error-text), if they are. */
  #credentials(body: Record<string, string>): [string, string] | undefined {
    if (!body.api_key) return ['2', 'Missing api_key'];
    if (body.api_secret !== undefined && body.sig !== undefined) return ['32', 'Signature and API secret disallowed'];
    if (body.sig !== undefined) {
      const fresh = Math.abs(Date.now() / 1000 - Number(body.timestamp)) <= 300;
      if (!fresh || vonageSignature(body, this.signatureSecret, 'md5hash') !== body.sig) return ['14', 'Invalid Signature'];
    } else if (body.api_secret === undefined) {
      return ['2', 'Missing api_secret'];
    }
    return body.api_key === this.apiKey && (body.sig !== undefined || body.api_secret === this.apiSecret) ? undefined : ['4', 'Bad Credentials'];
  }

  /** A webhook's parameters, signed as Vonage signs them. */
  signed(params: Record<string, string>, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
    const all = { ...params, 'api-key': this.apiKey, 'message-timestamp': '2026-11-22 10:31:00', timestamp: String(timestamp), nonce: randomBytes(8).toString('hex') };
    return { ...all, sig: vonageSignature(all, this.signatureSecret, 'md5hash') };
  }

  /** An inbound message to `url`, as Vonage sends one to a number's inbound webhook: a signed GET. */
  deliverMo(url: string, msisdn: string, to: string, text: string): Promise<Response> {
    const params = { msisdn, to, messageId: randomBytes(8).toString('hex').toUpperCase(), text, type: 'text', keyword: text.split(' ')[0]!.toUpperCase() };
    return fetch(`${url}?${new URLSearchParams(this.signed(params))}`);
  }
}
