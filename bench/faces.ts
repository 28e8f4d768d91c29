import autocannon from 'autocannon';
import type { AcceptFigures } from './accept.js';
import type { BenchServer } from './server.js';

type Opts = { connections: number; seconds: number };

/** A credential of the operator's account for a compatible API, made through the API. */
async function credential(server: BenchServer, protocol: 'vonage' | 'twilio' | 'smspartner'): Promise<{ key: string; secret: string }> {
  const res = await fetch(`${server.url}/v1/accounts/acct_default/credentials`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ protocol }),
  });
  if (res.status !== 201) throw new Error(`credentials: ${res.status} ${await res.text()}`);
  return (await res.json()) as { key: string; secret: string };
}

/** Sixteen recipients in turn, so that no one number's limits weigh. */
const recipients = Array.from({ length: 16 }, (_, i) => `4479111${String(100_000 + i).slice(1)}`);

/** Posts the forms in turn at `connections` for `seconds`; a message counts as accepted when `accepted` says so of its answer. */
function benchForms(url: string, headers: Record<string, string>, forms: readonly Record<string, string>[], opts: Opts, accepted: (status: number, body: string) => boolean): Promise<AcceptFigures> {
  const bodies = forms.map((f) => new URLSearchParams(f).toString());
  return benchBodies(url, { 'content-type': 'application/x-www-form-urlencoded', ...headers }, bodies, opts, accepted);
}

/** Posts the bodies in turn at `connections` for `seconds`; a message counts as accepted when `accepted` says so of its answer. */
async function benchBodies(url: string, headers: Record<string, string>, bodies: readonly string[], opts: Opts, accepted: (status: number, body: string) => boolean): Promise<AcceptFigures> {
  let n = 0;
  let taken = 0;
  let refused = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: opts.connections,
    duration: opts.seconds,
    headers,
    requests: [
      {
        setupRequest: (req) => ({ ...req, body: bodies[n++ % bodies.length] }),
        onResponse: (status, body) => {
          if (accepted(status, body)) taken++;
          else refused++;
        },
      },
    ],
  });
  return {
    requestsPerSecond: taken / opts.seconds,
    messagesPerSecond: taken / opts.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    accepted: taken,
    errors: refused + result.errors + result.timeouts,
  };
}

/**
 * Vonage's `POST /sms/json` (a form with api_key and api_secret, as the SMS API reference sends
 * it). Every answer is HTTP 200, so a message counts as accepted by its `"status":"0"`.
 */
export async function benchVonage(server: BenchServer, opts: Opts): Promise<AcceptFigures> {
  const { key, secret } = await credential(server, 'vonage');
  const forms = recipients.map((to) => ({ api_key: key, api_secret: secret, from: 'Bench', to, text: 'Your code is 123456' }));
  return benchForms(`${server.url}/sms/json`, {}, forms, opts, (_status, body) => body.includes('"status":"0"'));
}

/** Twilio's `POST .../Messages.json` (a form, HTTP Basic, as Twilio's SDKs send it); accepted is `201`. */
export async function benchTwilio(server: BenchServer, opts: Opts): Promise<AcceptFigures> {
  const { key, secret } = await credential(server, 'twilio');
  const forms = recipients.map((to) => ({ To: `+${to}`, From: 'Bench', Body: 'Your code is 123456' }));
  const authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  return benchForms(`${server.url}/2010-04-01/Accounts/${key}/Messages.json`, { authorization }, forms, opts, (status) => status === 201);
}

/** SMSPartner's `POST /v1/send` (JSON with the apiKey, as SMSPartner's reference sends it); accepted is `"success":true`. */
export async function benchSmsPartner(server: BenchServer, opts: Opts): Promise<AcceptFigures> {
  const { secret: apiKey } = await credential(server, 'smspartner');
  const bodies = recipients.map((to) => JSON.stringify({ apiKey, phoneNumbers: `+${to}`, sender: 'Bench', message: 'Your code is 123456' }));
  return benchBodies(`${server.url}/v1/send`, { 'content-type': 'application/json' }, bodies, opts, (_status, body) => body.startsWith('{"success":true'));
}
