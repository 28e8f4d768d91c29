import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { twilioSignature, formParams } from '../../src/providers/twilio/signature.js';
import { FakeServer } from './server.js';

/** What the fake answers, by destination; anything else is queued, sent, then delivered. */
const BEHAVIOUR: Record<string, { status: number; body?: object; retryAfter?: string; text?: string; hang?: true; callback?: [string, string?] }> = {
  '+447400000001': { status: 400, body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', more_info: 'https://www.twilio.com/docs/errors/21610', status: 400 } },
  '+447400000002': { status: 429, retryAfter: '2', body: { code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 } },
  '+447400000003': { status: 503, text: 'upstream unavailable' },
  '+447400000004': { status: 201, hang: true },
  '+447400000005': { status: 201, callback: ['undelivered', '30003'] },
  '+447400000006': { status: 400, body: { code: 21656, message: 'The ContentVariables Parameter is invalid', more_info: 'https://www.twilio.com/docs/errors/21656', status: 400 } },
  '+447400000008': { status: 201, callback: ['undelivered', '30099'] },
  '+447400000007': { status: 400, body: { code: 29999, message: 'A code no table lists', more_info: 'https://www.twilio.com/docs/errors/29999', status: 400 } },
};

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
  });
}

/**
 * A local stand-in for Twilio's Messages resource, answering as Twilio documents: 201 with the
 * message resource, JSON errors with a code, 429 with Retry-After, a 5xx, a request that never
 * answers; then status callbacks signed with X-Twilio-Signature, and incoming messages on demand.
 */
export class FakeTwilio extends FakeServer {
  readonly requests: { auth: string | undefined; form: Record<string, string> }[] = [];

  constructor(
    readonly accountSid: string,
    readonly authToken: string,
  ) {
    super();
    this.serve(async (req, res) => {
      const body = await read(req);
      const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 20404, message: 'The requested resource was not found', status: 404 }));
        return;
      }
      if (req.headers.authorization !== expectedAuth) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 }));
        return;
      }
      const form = Object.fromEntries(new URLSearchParams(body));
      this.requests.push({ auth: req.headers.authorization, form });
      const b = BEHAVIOUR[form.To ?? ''] ?? { status: 201 };
      if (b.hang) return; // never answers: the client's deadline decides
      if (b.text) {
        res.writeHead(b.status, { 'content-type': 'text/plain' }).end(b.text);
        return;
      }
      if (b.status !== 201) {
        res.writeHead(b.status, { 'content-type': 'application/json', ...(b.retryAfter && { 'retry-after': b.retryAfter }) }).end(JSON.stringify(b.body));
        return;
      }
      const sid = `SM${randomBytes(16).toString('hex')}`;
      res.writeHead(201, { 'content-type': 'application/json' }).end(
        JSON.stringify({ sid, status: 'queued', to: form.To, from: form.From ?? null, body: form.Body, num_segments: '1', error_code: null, error_message: null, account_sid: accountSid }),
      );
      const [final, errorCode] = b.callback ?? ['delivered'];
      this.#callback(form.StatusCallback!, { MessageSid: sid, MessageStatus: 'sent', To: form.To!, AccountSid: accountSid }, 10);
      this.#callback(form.StatusCallback!, { MessageSid: sid, MessageStatus: final, To: form.To!, AccountSid: accountSid, ...(errorCode && { ErrorCode: errorCode }) }, 30);
    });
  }

  /**
   * Posts a message a subscriber sent to the number's messaging webhook, as Twilio does: the
   * incoming message's parameters, form-encoded and signed, no MessageStatus.
   */
  incoming(url: string, from: string, to: string, text: string): Promise<Response> {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    return this.#post(url, {
      ToCountry: 'US', SmsMessageSid: sid, NumMedia: '0', SmsSid: sid, SmsStatus: 'received', Body: text, To: to,
      NumSegments: '1', MessageSid: sid, AccountSid: this.accountSid, From: from, ApiVersion: '2010-04-01',
    });
  }

  /** Posts a status callback as Twilio does: form-encoded, signed over the URL and sorted params. */
  #callback(url: string, params: Record<string, string>, delayMs: number): void {
    this.later(() => void this.#post(url, params).catch(() => undefined), delayMs);
  }

  #post(url: string, params: Record<string, string>): Promise<Response> {
    const body = new URLSearchParams(params).toString();
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(this.authToken, url, formParams(body)) },
      body,
    });
  }
}
