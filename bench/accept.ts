import autocannon from 'autocannon';
import type { BenchServer } from './server.js';

export interface AcceptFigures {
  readonly requestsPerSecond: number;
  readonly messagesPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly accepted: number;
  readonly errors: number;
}

/** UK mobile numbers (valid to libphonenumber, so every accept pays for a full parse). */
function recipients(count: number, offset: number): string[] {
  return Array.from({ length: count }, (_, i) => `+4479111${String(100_000 + ((offset + i) % 100_000)).slice(1)}`);
}

/** Runs POST /v1/messages at `connections` concurrent connections for `seconds`. */
export async function benchAccept(server: BenchServer, opts: { connections: number; seconds: number; recipientsPerRequest: number }): Promise<AcceptFigures> {
  const bodies = Array.from({ length: 16 }, (_, i) =>
    JSON.stringify({ from: 'Bench', to: opts.recipientsPerRequest === 1 ? recipients(1, i)[0] : recipients(opts.recipientsPerRequest, i * 1000), text: 'Your code is 123456' }),
  );
  let n = 0;
  const result = await autocannon({
    url: `${server.url}/v1/messages`,
    method: 'POST',
    connections: opts.connections,
    duration: opts.seconds,
    headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[n++ % bodies.length] }) }],
  });
  const accepted = result['2xx'];
  return {
    requestsPerSecond: accepted / opts.seconds,
    messagesPerSecond: (accepted * opts.recipientsPerRequest) / opts.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    accepted: accepted * opts.recipientsPerRequest,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * A sub-account with a price list (every destination at 0.01 a segment) and a balance that
 * outlasts the run, and its key: its sends are priced and charged at accept.
 */
export async function pricedAccount(server: BenchServer): Promise<BenchServer> {
  const call = async (path: string, body: object) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; key: string };
  };
  const account = await call('/v1/accounts', { name: 'Bench', prices: { entries: [{ country: 'GB', price: '0.01' }], default: '0.02' } });
  await call(`/v1/accounts/${account.id}/top-ups`, { amount: '100000000' });
  return { ...server, key: (await call(`/v1/accounts/${account.id}/keys`, {})).key };
}
