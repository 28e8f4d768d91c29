import autocannon from 'autocannon';
import type { AcceptFigures } from './accept.js';
import type { BenchServer } from './server.js';

/** A Vonage credential of the operator's account, made through the API. */
async function vonageCredential(server: BenchServer): Promise<{ key: string; secret: string }> {
  const res = await fetch(`${server.url}/v1/accounts/acct_default/credentials`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ protocol: 'vonage' }),
  });
  if (res.status !== 201) throw new Error(`credentials: ${res.status} ${await res.text()}`);
  return (await res.json()) as { key: string; secret: string };
}

/**
 * Runs Vonage's `POST /sms/json` (a form with api_key and api_secret, as the SMS API reference
 * sends it) at `connections` concurrent connections for `seconds`. Every answer is HTTP 200, so
 * a message counts as accepted by its `"status":"0"`.
 */
export async function benchVonage(server: BenchServer, opts: { connections: number; seconds: number }): Promise<AcceptFigures> {
  const { key, secret } = await vonageCredential(server);
  const bodies = Array.from({ length: 16 }, (_, i) =>
    new URLSearchParams({ api_key: key, api_secret: secret, from: 'Bench', to: `4479111${String(100_000 + i).slice(1)}`, text: 'Your code is 123456' }).toString(),
  );
  let n = 0;
  let accepted = 0;
  let refused = 0;
  const result = await autocannon({
    url: `${server.url}/sms/json`,
    method: 'POST',
    connections: opts.connections,
    duration: opts.seconds,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requests: [
      {
        setupRequest: (req) => ({ ...req, body: bodies[n++ % bodies.length] }),
        onResponse: (_status, body) => {
          if (body.includes('"status":"0"')) accepted++;
          else refused++;
        },
      },
    ],
  });
  return {
    requestsPerSecond: accepted / opts.seconds,
    messagesPerSecond: accepted / opts.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    accepted,
    errors: refused + result.non2xx + result.errors + result.timeouts,
  };
}
