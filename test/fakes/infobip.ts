import { randomUUID } from 'node:crypto';
import { FakeServer, json } from './server.js';

const PENDING = { groupId: 1, groupName: 'PENDING', id: 26, name: 'PENDING_ACCEPTED', description: 'Message sent to next instance' };
const REJECTED = { groupId: 5, groupName: 'REJECTED', id: 52, name: 'REJECTED_DESTINATION', description: 'Invalid destination address' };

/** A request error in the form of the API called: v2's requestError.serviceException, v3's errorCode. */
interface Refusal {
  readonly status: number;
  readonly messageId: string;
  readonly errorCode: string;
  readonly text: string;
  readonly fields?: Record<string, string[]>;
  readonly retryAfter?: string;
}

/** What the fake answers, by destination; anything else is pending, then delivered. */
const REFUSED: Record<string, Refusal> = {
  '447400000002': { status: 429, messageId: 'TOO_MANY_REQUESTS', errorCode: 'E429', text: 'Too many requests', retryAfter: '2' },
  '447400000003': { status: 500, messageId: 'GENERAL_ERROR', errorCode: 'E500', text: 'Something went wrong.' },
  '447400000006': { status: 400, messageId: 'BAD_REQUEST', errorCode: 'E400', text: 'Bad request', fields: { 'messages[0].destinations[0].to': ['Invalid destination address.'] } },
  '447400000007': { status: 401, messageId: 'UNAUTHORIZED', errorCode: 'E401', text: 'Invalid login details' },
};
/** A destination whose send the fake takes and never answers. */
const HANGS = '447400000004';

type Sent = { destinations: { to: string }[]; callbackData: string } & ({ notifyUrl: string } | { webhooks: { delivery: { url: string } } });

/**
 * A local stand-in for Infobip's send APIs with `App` key auth: /sms/2/text/advanced and
 * /sms/3/messages, answering as Infobip documents (a status per message, REJECTED included; a
 * request error in each API's own form, 429 with Retry-After, a 500, a send never answered), then
 * posting delivery reports to the request's notify URL, and incoming messages on demand.
 */
export class FakeInfobip extends FakeServer {
  readonly requests: { path: string | undefined; auth: string | undefined; body: { messages: Record<string, unknown>[] } }[] = [];

  constructor(readonly apiKey: string) {
    super();
    this.serveText((req, raw, res) => {
      const v3 = req.url === '/sms/3/messages';
      const refuse = (r: Refusal) => {
        const body = v3
          ? { errorCode: r.errorCode, description: r.text, action: 'Check the request.', violations: Object.entries(r.fields ?? {}).flatMap(([property, list]) => list.map((violation) => ({ property, violation }))), resources: [] }
          : { requestError: { serviceException: { messageId: r.messageId, text: r.text, ...(r.fields && { validationErrors: r.fields }) } } };
        json(res, r.status, body, r.retryAfter ? { 'retry-after': r.retryAfter } : {});
      };
      if (!v3 && req.url !== '/sms/2/text/advanced') return refuse({ status: 404, messageId: 'NOT_FOUND', errorCode: 'E404', text: 'Not found' });
      if (req.headers.authorization !== `App ${apiKey}`) return refuse(REFUSED['447400000007']!);
      const body = JSON.parse(raw) as { messages: Sent[] };
      this.requests.push({ path: req.url, auth: req.headers.authorization, body: body as never });
      const m = body.messages[0]!;
      const to = m.destinations[0]!.to;
      if (to === HANGS) return;
      const refusal = REFUSED[to];
      if (refusal) return refuse(refusal);
      const messageId = randomUUID();
      const status = to === '447400000001' ? REJECTED : PENDING;
      json(res, 200, { bulkId: randomUUID(), messages: [{ messageId, status, ...(v3 ? { destination: to } : { to }) }] });
      if (status === REJECTED) return;
      const failed = to === '447400000005';
      const report = {
        bulkId: 'b',
        messageId,
        to,
        sentAt: '2026-11-22T10:30:00.000+0000',
        doneAt: '2026-11-22T10:31:00.000+0000',
        smsCount: 1,
        status: failed
          ? { groupId: 2, groupName: 'UNDELIVERABLE', id: 9, name: 'UNDELIVERABLE_NOT_DELIVERED', description: 'Message sent not delivered' }
          : { groupId: 3, groupName: 'DELIVERED', id: 5, name: 'DELIVERED_TO_HANDSET', description: 'Message delivered to handset' },
        error: failed
          ? { groupId: 1, groupName: 'HANDSET_ERRORS', id: 27, name: 'EC_ABSENT_SUBSCRIBER', description: 'Absent Subscriber', permanent: false }
          : { groupId: 0, groupName: 'OK', id: 0, name: 'NO_ERROR', description: 'No Error', permanent: false },
        callbackData: m.callbackData,
      };
      const url = 'notifyUrl' in m ? m.notifyUrl : m.webhooks.delivery.url;
      this.callback(url, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ results: [report] }) });
    });
  }

  /** An incoming message, forwarded to `url` as Infobip forwards a number's messages. */
  deliverMo(url: string, from: string, to: string, text: string): Promise<Response> {
    const [keyword, ...rest] = text.split(' ');
    const message = { messageId: randomUUID(), from, to, text, cleanText: rest.join(' '), keyword: keyword!.toUpperCase(), receivedAt: '2026-11-22T10:32:00.000+0000', smsCount: 1, price: { pricePerMessage: 0, currency: 'EUR' }, callbackData: null };
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ results: [message], messageCount: 1, pendingMessageCount: 0 }) });
  }
}
