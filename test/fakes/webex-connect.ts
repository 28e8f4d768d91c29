import { randomUUID } from 'node:crypto';
import { FakeServer } from './server.js';

/** Destinations the fake refuses or fails, as Webex Connect answers them. */
const REFUSED: Record<string, { status: number; body: { code: string; message: string } }> = {
  '+447400000002': { status: 400, body: { code: '7004', message: 'Invalid parameters/Values' } },
  '+447400000008': { status: 400, body: { code: '7999', message: 'A code no table lists' } },
};
const FAILED: Record<string, { code: string; description: string; status: string }> = {
  '+447400000005': { code: '7203', description: 'Unknown Subscriber address', status: 'Failed' },
  '+447400000007': { code: '7107', description: 'Message length exceeded', status: 'Failed' },
};

/**
 * A local stand-in for Webex Connect's Send SMS API: the service key in `Authorization`,
 * `messageId` on acceptance (202), `{code, message}` on refusal; then a `Submitted` (7501) and a
 * final delivery callback to the request's callbackUrl.
 */
export class FakeWebexConnect extends FakeServer {
  readonly requests: { auth: string | undefined; body: Record<string, string> }[] = [];

  constructor(readonly serviceKey: string) {
    super();
    this.serve((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        if (req.headers.authorization !== serviceKey) return answer(401, { code: '7001', message: 'Authentication failed.' });
        const body = JSON.parse(raw) as Record<string, string>;
        this.requests.push({ auth: req.headers.authorization, body });
        const refusal = REFUSED[body.to!];
        if (refusal) return answer(refusal.status, refusal.body);
        const messageId = randomUUID();
        answer(202, { messageId, acceptedTime: new Date().toISOString(), correlationId: body.correlationId });
        const final = FAILED[body.to!] ?? { code: '7500', description: 'Delivered', status: 'Delivered' };
        this.#callback(body.callbackUrl!, messageId, body.to!, { code: '7501', description: 'Submitted', status: 'Submitted' }, 10);
        this.#callback(body.callbackUrl!, messageId, body.to!, final, 30);
      });
    });
  }

  #callback(url: string, transid: string, to: string, info: { code: string; description: string; status: string }, delayMs: number): void {
    const payload = {
      deliveryInfoNotification: {
        deliveryInfo: { timeStamp: '2026-11-22T10:31:00.000+01:00', Description: info.description, code: info.code, deliveryChannel: 'SMS', additionalInfo: '', destination: to.slice(1), destinationType: 'msisdn', deliveryStatus: info.status },
        subtid: '',
        transid,
        callbackData: '',
        correlationid: '',
      },
    };
    this.later(() => {
      void fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }).catch(() => undefined);
    }, delayMs);
  }
}
