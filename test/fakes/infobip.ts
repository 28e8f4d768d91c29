import { randomUUID } from 'node:crypto';
import { FakeServer } from './server.js';

const PENDING = { groupId: 1, groupName: 'PENDING', id: 26, name: 'PENDING_ACCEPTED', description: 'Message sent to next instance' };
const REJECTED = { groupId: 5, groupName: 'REJECTED', id: 52, name: 'REJECTED_DESTINATION', description: 'Invalid destination address' };

/**
 * A local stand-in for Infobip's /sms/2/text/advanced with `App` key auth, answering as Infobip
 * documents (a status per message, REJECTED included; requestError on 401), then posting
 * delivery reports to the notify URL.
 */
export class FakeInfobip extends FakeServer {
  readonly requests: { auth: string | undefined; body: { messages: Record<string, unknown>[] } }[] = [];

  constructor(readonly apiKey: string) {
    super();
    this.serve((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        if (req.headers.authorization !== `App ${apiKey}`) {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ requestError: { serviceException: { messageId: 'UNAUTHORIZED', text: 'Invalid login details' } } }));
          return;
        }
        const body = JSON.parse(raw) as { messages: { destinations: { to: string }[]; notifyUrl: string; callbackData: string }[] };
        this.requests.push({ auth: req.headers.authorization, body: body as never });
        const m = body.messages[0]!;
        const to = m.destinations[0]!.to;
        const messageId = randomUUID();
        const status = to === '447400000001' ? REJECTED : PENDING;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bulkId: randomUUID(), messages: [{ to, status, messageId }] }));
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
        this.later(() => {
          void fetch(m.notifyUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ results: [report] }) }).catch(() => undefined);
        }, 20);
      });
    });
  }
}
