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
export function recipients(count: number, offset: number): string[] {
  return Array.from({ length: count }, (_, i) => `+4479111${String(100_000 + ((offset + i) % 100_000)).slice(1)}`);
}

/**
 * Runs POST /v1/messages at `connections` concurrent connections for `seconds`; with `keys`, each
 * request takes the next of them; with `body`, the i-th request's body is `body(i)`.
 */
export async function benchAccept(
  server: Pick<BenchServer, 'url' | 'key'>,
  opts: { connections: number; seconds: number; recipientsPerRequest: number; keys?: readonly string[]; body?: (i: number) => string },
): Promise<AcceptFigures> {
  const bodies = Array.from({ length: 16 }, (_, i) =>
    JSON.stringify({ from: 'Bench', to: opts.recipientsPerRequest === 1 ? recipients(1, i)[0] : recipients(opts.recipientsPerRequest, i * 1000), text: 'Your code is 123456' }),
  );
  const body = opts.body ?? ((i: number) => bodies[i % bodies.length]!);
  const keys = opts.keys ?? [server.key];
  let n = 0;
  const result = await autocannon({
    url: `${server.url}/v1/messages`,
    method: 'POST',
    connections: opts.connections,
    duration: opts.seconds,
    headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const i = n++;
          return { ...req, body: body(i), headers: { ...req.headers, authorization: `Bearer ${keys[i % keys.length]}` } };
        },
      },
    ],
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
  return { ...server, key: (await benchAccounts(server, 1, true))[0]! };
}

/** `count` sub-accounts, priced (topped up to outlast any run) or not, and a key of each. */
export async function benchAccounts(server: Pick<BenchServer, 'url' | 'key'>, count: number, priced: boolean): Promise<string[]> {
  const call = async (path: string, body: object) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; key: string };
  };
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const account = await call('/v1/accounts', { name: `Bench ${i}`, ...(priced && { prices: { entries: [{ country: 'GB', price: '0.01' }], default: '0.02' } }) });
    if (priced) await call(`/v1/accounts/${account.id}/top-ups`, { amount: '100000000' });
    keys.push((await call(`/v1/accounts/${account.id}/keys`, {})).key);
  }
  return keys;
}
