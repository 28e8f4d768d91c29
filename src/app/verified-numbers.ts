import { createHash } from 'node:crypto';
import { allows } from '../core/access/scopes.js';
import { SwitchboardError } from '../core/errors.js';
import { parseDestination } from '../core/validation/phone.js';
import type { Accounts, Actor } from './accounts.js';
import type { Clock } from './clock.js';
import type { Store, VerifiedNumber } from './store.js';

/** As Twilio Verify: a code holds 10 minutes, and 5 wrong tries lock it until a new one is sent. */
export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_TRIES = 5;
/** A new code to the same number waits this long, and only this many numbers wait for codes at once: each code is an SMS the operator pays for. */
export const RESEND_AFTER_MS = 60_000;
export const MAX_WAITING = 5;

export interface VerificationOptions {
  readonly store: Store;
  readonly accounts: Accounts;
  readonly clock: Clock;
  /** A fresh code (six digits in production). */
  readonly code: () => string;
  /** Sends the text to the number through the gateway, from the operator's account; throws as a send does (its param `to`). */
  readonly send: (to: string, text: string) => Promise<void>;
  /** The text sent, with `{code}` where the code goes. */
  readonly text: string;
}

/**
 * The numbers an account in trial may send to (as Twilio's verified caller ids and Vonage's test
 * numbers). The account adds one and a code is sent to it by SMS; the number is verified once the
 * code comes back. A parent (or the operator) adds a number to an account under it directly.
 */
export class VerifiedNumbers {
  constructor(private readonly opts: VerificationOptions) {}

  /** Adds `number` to the caller's account (a code is sent) or, verified at once, to `account` under it. */
  async add(caller: Actor, number: string, account?: string): Promise<VerifiedNumber> {
    parseDestination(number, 'number');
    const now = this.opts.clock.now();
    if (account !== undefined && account !== caller.accountId) {
      const target = await this.#under(caller, account);
      const existing = await this.opts.store.getVerifiedNumber(target.id, number);
      await this.opts.store.putVerifiedNumber({ accountId: target.id, number, createdAt: existing?.createdAt ?? now, verifiedAt: now, code: null });
      return (await this.opts.store.getVerifiedNumber(target.id, number))!;
    }
    const existing = await this.opts.store.getVerifiedNumber(caller.accountId, number);
    if (existing?.verifiedAt != null) return existing;
    if (existing?.code && existing.code.sentAt > now - RESEND_AFTER_MS) {
      throw new SwitchboardError('rate_limit_exceeded', `A code was sent to ${number} less than a minute ago: confirm it, or ask for a new one after the Retry-After time.`, {
        retryAfterSeconds: Math.ceil((existing.code.sentAt + RESEND_AFTER_MS - now) / 1000),
      });
    }
    const waiting = (await this.opts.store.listVerifiedNumbers(caller.accountId)).filter((n) => n.code && n.code.expiresAt > now && n.number !== number);
    if (waiting.length >= MAX_WAITING) {
      throw new SwitchboardError('rate_limit_exceeded', `${MAX_WAITING} numbers already wait for their codes: confirm or delete one, or wait for a code to expire.`, {
        retryAfterSeconds: Math.ceil((Math.min(...waiting.map((n) => n.code!.expiresAt)) - now) / 1000),
      });
    }
    const code = this.opts.code();
    try {
      await this.opts.send(number, this.opts.text.replaceAll('{code}', code));
    } catch (error) {
      // The recipient of the code's message is the number given.
      if (error instanceof SwitchboardError && error.param === 'to') {
        throw new SwitchboardError(error.code, error.message, { param: 'number', ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }) });
      }
      throw error;
    }
    const entry = { accountId: caller.accountId, number, createdAt: existing?.createdAt ?? now, verifiedAt: null, code: { hash: hashCode(caller.accountId, number, code), sentAt: now, expiresAt: now + CODE_TTL_MS, attempts: 0 } };
    await this.opts.store.putVerifiedNumber(entry);
    return entry;
  }

  /** Verifies the caller's number with the code it received; each try counts, right or wrong. */
  async confirm(caller: Actor, number: string, code: string): Promise<VerifiedNumber> {
    const { store } = this.opts;
    const entry = await store.getVerifiedNumber(caller.accountId, number);
    if (!entry) throw new SwitchboardError('not_found', `${number} is not among this account's numbers: add it first.`, { param: 'number' });
    if (entry.verifiedAt !== null) return entry;
    const tried = await store.takeCodeAttempt(caller.accountId, number, MAX_CODE_TRIES);
    if (!tried?.code) throw new SwitchboardError('invalid_verification_code', `Too many wrong codes were tried for ${number}: add the number again for a new code.`, { param: 'code' });
    const now = this.opts.clock.now();
    if (tried.code.expiresAt <= now) throw new SwitchboardError('invalid_verification_code', `The code sent to ${number} has expired: add the number again for a new code.`, { param: 'code' });
    const hash = hashCode(caller.accountId, number, code);
    if (hash !== tried.code.hash || !(await store.markVerified(caller.accountId, number, hash, now))) {
      const left = MAX_CODE_TRIES - tried.code.attempts;
      throw new SwitchboardError('invalid_verification_code', `That is not the code sent to ${number}; ${left} ${left === 1 ? 'try' : 'tries'} left.`, { param: 'code' });
    }
    return (await store.getVerifiedNumber(caller.accountId, number))!;
  }

  async list(caller: Actor, account: string | undefined): Promise<VerifiedNumber[]> {
    return this.opts.store.listVerifiedNumbers(await this.opts.accounts.actingOn(caller, account));
  }

  async remove(caller: Actor, number: string, account: string | undefined): Promise<void> {
    const owner = account === undefined || account === caller.accountId ? caller.accountId : (await this.#under(caller, account)).id;
    if (!(await this.opts.store.deleteVerifiedNumber(owner, number))) {
      throw new SwitchboardError('not_found', `${number} is not among the account's numbers.`, { param: 'number' });
    }
  }

  /** An account under the caller's, which it manages with the `accounts` scope. */
  async #under(caller: Actor, account: string) {
    if (!allows(caller.scopes, 'accounts')) {
      throw new SwitchboardError('insufficient_scope', 'Adding or removing a number of a sub-account needs a key with the `accounts` scope.');
    }
    return this.opts.accounts.within(caller, account, { strict: true, param: 'account' });
  }
}

function hashCode(accountId: string, number: string, code: string): string {
  return createHash('sha256').update(`${accountId}\n${number}\n${code}`).digest('hex');
}
