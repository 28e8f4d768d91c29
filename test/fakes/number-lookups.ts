import { FakeServer, json } from './server.js';

type Json = Record<string, unknown>;

const network = (networkName: string, networkPrefix: string, networkId: number) => ({ networkName, networkPrefix, countryName: 'Switzerland', countryPrefix: '41', networkId });
const DELIVERED = { groupId: 3, groupName: 'DELIVERED', id: 5, name: 'DELIVERED_TO_HANDSET', description: 'Message delivered to handset' };
const NO_ERROR = { groupId: 0, groupName: 'Ok', id: 0, name: 'NO_ERROR', description: 'No Error', permanent: false };

/**
 * Infobip's Number Lookup answers, per number: the examples of the API reference ("Number Context
 * lookup", POST /number/1/query: "Number lookup response" and "Ported number lookup response",
 * https://www.infobip.com/docs/api/platform/number-lookup/number-context-lookup; the ported one
 * with Sunrise's MCC-MNC, 22802, as `mccMnc` is the current network's, where the reference's
 * example repeats Swisscom's), and a dead
 * number as the general status and error codes describe one (UNDELIVERABLE_NOT_DELIVERED with
 * EC_UNKNOWN_SUBSCRIBER, https://www.infobip.com/docs/essentials/response-status-and-error-codes).
 */
const INFOBIP: Record<string, Json> = {
  '41793026727': { mccMnc: '22801', imsi: '228011234567890', originalNetwork: network('Swisscom', '79', 123), ported: false, roaming: false, servingMSC: '41001', status: DELIVERED, error: NO_ERROR },
  '41793026728': {
    mccMnc: '22802',
    imsi: '228021234567890',
    originalNetwork: network('Swisscom', '79', 123),
    ported: true,
    portedNetwork: network('Sunrise', '77', 321),
    roaming: false,
    servingMSC: '41002',
    status: DELIVERED,
    error: NO_ERROR,
  },
  '41793026834': {
    mccMnc: '22801',
    originalNetwork: network('Swisscom', '79', 123),
    ported: false,
    roaming: false,
    status: { groupId: 2, groupName: 'UNDELIVERABLE', id: 9, name: 'UNDELIVERABLE_NOT_DELIVERED', description: 'Message sent not delivered' },
    error: { groupId: 1, groupName: 'HANDSET_ERRORS', id: 1, name: 'EC_UNKNOWN_SUBSCRIBER', description: 'Unknown Subscriber', permanent: true },
  },
};

/** Infobip Number Lookup with `App` key auth: the results of the numbers it knows, in the order asked. */
export class FakeInfobipLookup extends FakeServer {
  readonly requests: { path: string | undefined; auth: string | undefined; body: { to: string[] } }[] = [];

  constructor(readonly apiKey: string) {
    super();
    this.serveText((req, raw, res) => {
      if (req.headers.authorization !== `App ${apiKey}`) return json(res, 401, { requestError: { serviceException: { messageId: 'UNAUTHORIZED', text: 'Invalid login details' } } });
      const body = JSON.parse(raw) as { to: string[] };
      this.requests.push({ path: req.url, auth: req.headers.authorization, body });
      if (req.url !== '/number/1/query') return json(res, 404, { requestError: { serviceException: { messageId: 'NOT_FOUND', text: 'Not found' } } });
      json(res, 200, { bulkId: 'BULK-ID-123-xyz', results: body.to.flatMap((to) => (INFOBIP[to] ? [{ to, ...INFOBIP[to] }] : [])) });
    });
  }
}

/**
 * Vonage Number Insight Advanced answers, per number: the example of the Number Insight Advanced
 * guide (a number ported from Telefonica UK, 23410, to Hutchison 3G, 23420, reachable;
 * https://developer.vonage.com/number-insight/code-snippets/number-insight-advanced), the same
 * with `reachable: "bad_number"`, and status 4 (Invalid credentials) for a wrong secret.
 */
function insight(number: string, reachable: string): Json {
  return {
    status: 0,
    status_message: 'Success',
    lookup_outcome: 0,
    lookup_outcome_message: 'Success',
    request_id: '75fa272e-4743-43f1-995e-a684901222d6',
    international_format_number: number,
    national_format_number: `0${number.slice(2, 6)} ${number.slice(6)}`,
    country_code: 'GB',
    country_code_iso3: 'GBR',
    country_name: 'United Kingdom',
    country_prefix: '44',
    request_price: '0.03000000',
    remaining_balance: '10.000000',
    current_carrier: { network_code: '23420', name: 'Hutchison 3G Ltd', country: 'GB', network_type: 'mobile' },
    original_carrier: { network_code: '23410', name: 'Telefonica UK Limited', country: 'GB', network_type: 'mobile' },
    valid_number: 'valid',
    reachable,
    ported: 'ported',
    roaming: { status: 'not_roaming' },
  };
}

/** A number the fake says does not exist. */
export const VONAGE_BAD_NUMBER = '447400123457';

/** Vonage Number Insight with Basic credentials: GET /ni/advanced/json?number=... */
export class FakeVonageInsight extends FakeServer {
  readonly requests: { path: string; auth: string | undefined; number: string | null }[] = [];

  constructor(apiKey: string, apiSecret: string) {
    super();
    const expected = `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`;
    this.serve((req, res) => {
      const url = new URL(req.url!, 'http://fake');
      const number = url.searchParams.get('number');
      this.requests.push({ path: url.pathname, auth: req.headers.authorization, number });
      if (req.headers.authorization !== expected) return json(res, 200, { status: 4, status_message: 'Invalid credentials' });
      json(res, 200, insight(number ?? '', number === VONAGE_BAD_NUMBER ? 'bad_number' : 'reachable'));
    });
  }
}

/** The number SMSPartner's fake HLR finds not in service. */
export const SMSPARTNER_DEAD = '+33612345679';

/**
 * SMSPartner's HLR (its API documentation's "Verify the Validity of a Phone Number", the HLR API of https://www.smspartner.fr/api-hlr/):
 * `POST /v1/hlr/notify` answers the documented acceptance (or control code 10 for a wrong key), then
 * posts each number's notification to `notifyUrl` with the documented fields (as JSON): the page's
 * example (`mccMnc` 20815, ported, NO_ERROR), or EC_UNKNOWN_SUBSCRIBER (error 1) for the dead number.
 */
export class FakeSmsPartnerHlr extends FakeServer {
  readonly requests: { path: string | undefined; body: { apiKey: string; phoneNumbers: string; notifyUrl: string } }[] = [];

  constructor(apiKey: string) {
    super();
    this.serveText((req, raw, res) => {
      const body = JSON.parse(raw) as { apiKey: string; phoneNumbers: string; notifyUrl: string };
      this.requests.push({ path: req.url, body });
      if (body.apiKey !== apiKey) return json(res, 200, { success: false, code: 10, message: 'API key invalid' });
      const numbers = body.phoneNumbers.split(',');
      json(res, 200, { success: true, code: 200, campaign_id: 'HLR000000', number: numbers.length, cost: 0.005 * numbers.length, currency: 'EUR' });
      for (const [i, phone] of numbers.entries()) {
        const error = phone === SMSPARTNER_DEAD ? { errorGrpId: 1, errorName: 'EC_UNKNOWN_SUBSCRIBER', errorDesc: 'Unknown subscriber' } : { errorGrpId: 0, errorName: 'NO_ERROR ', errorDesc: 'No Error' };
        const notification = { phone, messageId: `1234-12344-1234-123${i}`, mccMnc: '20815', ported: phone === SMSPARTNER_DEAD ? 0 : 1, ...error, date: '2018-03-05T10:34:52.355+0000' };
        this.callback(body.notifyUrl, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(notification) });
      }
    });
  }
}
