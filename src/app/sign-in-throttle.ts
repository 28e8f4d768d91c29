import { isIPv6 } from 'node:net';
import { SwitchboardError } from '../core/errors.js';
import type { Clock } from './clock.js';
import type { Store } from './store.js';

/**
 * Wrong passwords in a row that lock a user out from one client address, and for how long: a
 * guesser gets 5 tries per 15 minutes there, and locks out nobody who signs in from elsewhere.
 */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** Failed sign-ins from one address, whatever the emails, that refuse it every sign-in for a window. */
export const MAX_FAILED_PER_ADDRESS = 20;
/**
 * Wrong passwords in a row, from any addresses, that lock the user out everywhere: a guesser
 * spread over many addresses needs this many of them (each stopped after 5) to lock anyone out.
 */
export const MAX_FAILED_ANY_ADDRESS = 50;

/**
 * Where a sign-in comes from, as counted: an IPv6 client is counted by its /64 (one subscriber
 * holds a whole one), an IPv4-mapped address as the IPv4 address.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

/**
 * Failed sign-ins counted per client address and per user and address, in the store (shared by
 * the nodes): an address that fails too often is refused before any password is checked, and a
 * user is locked out only where the wrong passwords came from.
 */
export class SignInThrottle {
  constructor(
    private readonly store: Pick<Store, 'signInFailures' | 'countSignInFailure' | 'clearSignInFailures' | 'recordSignInFailure'>,
    private readonly clock: Clock,
  ) {}

  /** Refuses an address that failed too often lately, whoever it signs in as. */
  async checkAddress(address: string): Promise<void> {
    const now = this.clock.now();
    const seen = await this.store.signInFailures(`address:${addressKey(address)}`, now);
    if (seen && seen.failures >= MAX_FAILED_PER_ADDRESS) {
      throw new SwitchboardError('rate_limit_exceeded', `Too many failed sign-ins from this address: try again in ${minutes(seen.until - now)} minutes.`, {
        retryAfterSeconds: Math.ceil((seen.until - now) / 1000),
      });
    }
  }

  /**
   * Refuses a user locked out from this address (or, after failures from many, everywhere until
   * `lockedUntil`); the refusal still counts against the address.
   */
  async checkUser(userId: string, lockedUntil: number | null, address: string): Promise<void> {
    const now = this.clock.now();
    const seen = await this.store.signInFailures(this.#userKey(userId, address), now);
    const until = Math.max(seen && seen.failures >= MAX_FAILED_SIGN_INS ? seen.until : 0, lockedUntil ?? 0);
    if (until > now) {
      await this.failed(address, undefined);
      throw new SwitchboardError('rate_limit_exceeded', `Too many wrong passwords: this user is locked out for ${minutes(until - now)} more minutes.`, {
        retryAfterSeconds: Math.ceil((until - now) / 1000),
      });
    }
  }

  /** Counts a failed sign-in against the address and, for a user that exists, against them there and everywhere. */
  async failed(address: string, userId: string | undefined): Promise<void> {
    const now = this.clock.now();
    await this.store.countSignInFailure(`address:${addressKey(address)}`, MAX_FAILED_PER_ADDRESS, now, now + LOCKOUT_MS);
    if (userId === undefined) return;
    await this.store.countSignInFailure(this.#userKey(userId, address), MAX_FAILED_SIGN_INS, now, now + LOCKOUT_MS);
    await this.store.recordSignInFailure(userId, MAX_FAILED_ANY_ADDRESS, now + LOCKOUT_MS);
  }

  /** The user signed in from this address: their failures there are forgotten (the address's own are not). */
  succeeded(userId: string, address: string): Promise<void> {
    return this.store.clearSignInFailures(this.#userKey(userId, address));
  }

  #userKey(userId: string, address: string): string {
    return `user:${userId}:${addressKey(address)}`;
  }
}
