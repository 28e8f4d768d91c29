import { randomBytes, randomInt } from 'node:crypto';
import type { CredentialKind } from '../../app/credentials.js';
import { SwitchboardError } from '../../core/errors.js';

/** SMPP 3.4 (5.2.1, 5.2.2) and Kannel hold system_id to 15 octets and password to 8. */
export const MAX_SYSTEM_ID = 15;
export const MAX_PASSWORD = 8;
export const DEFAULT_BIND_LIMIT = 4;

/** An SMPP credential's settings, as the server reads them. */
export interface SmppSettings {
  /** Sessions bound with this credential at once, across every node. */
  readonly bindLimit: number;
  /** Segments per second the account may submit over SMPP (0: no limit), and the burst above it. */
  readonly throughput: number;
  readonly burst: number;
}

const ALPHANUMERIC = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function whole(value: string | undefined, byDefault: number, min: number, max: number, param: string): string {
  if (value === undefined) return String(byDefault);
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new SwitchboardError('invalid_parameter', `${param} must be a whole number from ${min} to ${max}.`, { param });
  }
  return String(Number(value));
}

/**
 * SMPP credentials as SMPP clients expect them: a system_id of 10 characters (`sb` and 8 hex
 * digits) and a password of 8 letters and digits, within what every SMPP 3.4 client can send.
 * Settings: `bind_limit` (sessions at once, across the nodes; default 4), `throughput` (segments
 * per second for the account's SMPP sessions together; 0, the default, is no limit) and
 * `throughput_burst` (default twice the throughput).
 */
export const smppCredential: CredentialKind = {
  generate: () => ({ key: `sb${randomBytes(4).toString('hex')}`, secret: Array.from({ length: MAX_PASSWORD }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('') }),
  settings: (input) => {
    const throughput = whole(input.throughput, 0, 0, 1_000_000, 'throughput');
    return {
      bind_limit: whole(input.bind_limit, DEFAULT_BIND_LIMIT, 1, 1000, 'bind_limit'),
      throughput,
      throughput_burst: whole(input.throughput_burst, Number(throughput) * 2, 1, 2_000_000, 'throughput_burst'),
    };
  },
};

export function smppSettings(settings: Readonly<Record<string, string | null>>): SmppSettings {
  const throughput = Number(settings.throughput ?? 0);
  return { bindLimit: Number(settings.bind_limit ?? DEFAULT_BIND_LIMIT), throughput, burst: Number(settings.throughput_burst ?? throughput * 2) || 1 };
}
