import { FakeServer, json } from './server.js';

/** What the fake answers, by destination; anything else is taken, then delivered. */
const BEHAVIOUR: Record<string, { status: number; body?: Record<string, unknown>; html?: string; retryAfter?: string; hang?: true }> = {
  '+447400000001': { status: 200, body: { success: false, code: 14, message: 'Le numéro est dans la liste STOP SMS' } },
  '+447400000002': {
    status: 400,
    body: { success: false, code: 9, errors: [{ elementId: 'children[phoneNumbers].data', message: 'This phone number is not valid (447400000002)' }] },
  },
  '+447400000003': { status: 500, html: '<html><body>500 Internal Server Error</body></html>' },
  '+447400000004': { status: 200, hang: true },
  // Taken, as SMSPartner says, without the id of the send.
  '+447400000006': { status: 200, body: { success: true, code: 200, nb_sms: 1, cost: 0.038, currency: 'EUR' } },
  // Not in SMSPartner's documentation: what an HTTP edge in front of any API may answer.
  '+447400000007': { status: 429, html: 'Too Many Requests', retryAfter: '2' },
};

/**
 * A local stand-in for SMSPartner's /v1/send: the API key in the JSON body, `success` with a
 * `message_id`, control codes on refusal, a 500, a send never answered; then a delivery report
 * (date in Paris time) to the `urlDlr` the request gave, and replies on demand.
 */
export class FakeSmsPartner extends FakeServer {
  readonly requests: Record<string, unknown>[] = [];
  #nextId = 300;

  constructor(readonly apiKey: string) {
    super();
    this.serveText((_req, raw, res) => {
      const body = JSON.parse(raw) as Record<string, string>;
      this.requests.push(body);
      if (body.apiKey !== apiKey) return json(res, 200, { success: false, code: 10, message: 'Clé API incorrecte' });
      const b = BEHAVIOUR[body.phoneNumbers!];
      if (b?.hang) return;
      if (b?.html) return void res.writeHead(b.status, { 'content-type': 'text/html', ...(b.retryAfter && { 'retry-after': b.retryAfter }) }).end(b.html);
      if (b?.body) return json(res, b.status, b.body);
      const id = this.#nextId++;
      json(res, 200, { success: true, code: 200, message_id: id, nb_sms: 1, cost: 0.038, currency: 'EUR' });
      // One report in summer time (UTC+2), one in winter time (UTC+1).
      const [statut, date] = body.phoneNumbers === '+447400000005' ? ['Not delivered', '2026-11-22 11:31:00'] : ['Delivered', '2026-07-22 11:31:00'];
      const report = new URLSearchParams({ messageId: String(id), phoneNumber: body.phoneNumbers!, statut, date, stopSms: '0' });
      this.callback(body.urlDlr!, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: report.toString() });
    });
  }

  /** A reply posted to `url` as SMSPartner's webhooks page shows: JSON, from its short number or a long number. */
  reply(url: string, reply: Record<string, string | number>): Promise<Response> {
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reply) });
  }
}
