import { numberKey, ownedNumber } from '../core/accounts/numbers.js';
import { SwitchboardError } from '../core/errors.js';
import type { Accounts, Actor } from './accounts.js';
import type { Clock } from './clock.js';
import type { OwnedNumber, Store } from './store.js';

/** The operator's account is the root: the only one with no parent in its path. */
const isRoot = (caller: Actor) => !caller.path.includes('/');

/**
 * Numbers owned by accounts. A number nobody owns is the operator's. An account hands the numbers
 * it holds, or that accounts under it hold, to itself or any account under it, and takes back one
 * held under it; the operator assigns any number. Whose a number is otherwise is never told: a
 * number held outside the caller's subtree is answered as one that does not exist.
 */
export class Numbers {
  constructor(
    private readonly store: Store,
    private readonly accounts: Accounts,
    private readonly clock: Clock,
  ) {}

  /** The owner of the number an inbound message was sent to; undefined: nobody's (the operator's). */
  ownerOf(to: string): Promise<string | undefined> {
    return this.store.numberOwner(numberKey(to));
  }

  /** Gives `number` to `account` (default: the caller's own). */
  async assign(caller: Actor, number: string, account: string | undefined): Promise<OwnedNumber> {
    const key = ownedNumber(number);
    const target = await this.accounts.within(caller, account, { param: 'account' });
    await this.#held(caller, key);
    const owned = { number: key, accountId: target.id, assignedAt: this.clock.now() };
    await this.store.assignNumber(owned);
    return owned;
  }

  /** Takes a number back from the account under the caller's that holds it; the operator's release makes it nobody's. */
  async release(caller: Actor, number: string): Promise<void> {
    const held = await this.#held(caller, ownedNumber(number));
    if (!held) throw notFound(number);
    if (isRoot(caller)) {
      await this.store.releaseNumber(held.number);
    } else if (held.accountId === caller.accountId) {
      throw new SwitchboardError('permission_denied', `${number} is this account's own: the account above it takes it back.`, { param: 'number' });
    } else {
      await this.store.assignNumber({ number: held.number, accountId: caller.accountId, assignedAt: this.clock.now() });
    }
  }

  /** One page of an account's numbers (the caller's own, or one under it), and the next page's cursor. */
  async list(caller: Actor, account: string | undefined, after: string | undefined, limit: number): Promise<{ numbers: OwnedNumber[]; next: string | null }> {
    const target = await this.accounts.within(caller, account, { param: 'account' });
    const rows = await this.store.listNumbers(target.id, after, limit + 1);
    const page = rows.slice(0, limit);
    return { numbers: page, next: rows.length > limit ? page[page.length - 1]!.number : null };
  }

  /** The number as stored if the caller may move it (undefined: nobody's, which only the operator may); not_found otherwise. */
  async #held(caller: Actor, number: string): Promise<OwnedNumber | undefined> {
    const held = await this.store.getNumber(number);
    if (held === undefined) {
      if (!isRoot(caller)) throw notFound(number);
      return undefined;
    }
    try {
      await this.accounts.within(caller, held.accountId, { param: 'number' });
    } catch (error) {
      throw error instanceof SwitchboardError ? notFound(number) : error;
    }
    return held;
  }
}

function notFound(number: string): SwitchboardError {
  return new SwitchboardError('not_found', `No number ${number} on this account or under it.`, { param: 'number' });
}
