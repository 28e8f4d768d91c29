import { FakeServer } from './server.js';

const REFUSED: Record<string, { status: number; body: Record<string, unknown> }> = {
  '+447400000001': { status: 200, body: { success: false, code: 14, message: 'Le numéro est dans la liste STOP SMS' } },
  '+447400000002': {
    status: 400,
    body: { success: false, code: 9, errors: [{ elementId: 'children[phoneNumbers].data', message: 'This phone number is not valid (447400000002)' }] },
  },
};

/**
 * A local stand-in for SMSPartner's /v1/send: the API key in the JSON body, `success` with a
 * `message_id`, control codes on refusal; then a delivery report to the `urlDlr` the request gave.
 */
export class FakeSmsPartner extends FakeServer {
  readonly requests: Record<string, unknown>[] = [];
  #nextId = 300;

  constructor(readonly apiKey: string) {
    super();
    this.serve((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as Record<string, string>;
        this.requests.push(body);
        const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        if (body.apiKey !== apiKey) return answer(200, { success: false, code: 10, message: 'Clé API incorrecte' });
        const refusal = REFUSED[body.phoneNumbers!];
        if (refusal) return answer(refusal.status, refusal.body);
        const id = this.#nextId++;
        answer(200, { success: true, code: 200, message_id: id, nb_sms: 1, cost: 0.038, currency: 'EUR' });
        const statut = body.phoneNumbers === '+447400000005' ? 'Not delivered' : 'Delivered';
        const report = new URLSearchParams({ messageId: String(id), phoneNumber: body.phoneNumbers!, statut, date: '2026-11-22 11:31:00', stopSms: '0' });
        this.later(() => {
          void fetch(body.urlDlr!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: report.toString() }).catch(() => undefined);
        }, 20);
      });
    });
  }
}
