import { SwitchboardError } from '../core/errors.js';
import type { Policies } from '../core/compliance/policy.js';
import type { Scope } from '../core/access/scopes.js';
import type { Protocol } from '../core/access/protocols.js';
import type { PriceList } from '../core/accounts/prices.js';
import { formatAmount } from '../core/accounts/money.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import type { ApiKeys, Caller, CreatedKey } from './keys.js';
import type { Account, AccountStatus, ApiKeyRecord, LedgerEntry, LedgerFilter, Store } from './store.js';

/** Who asks: the caller's account and place in the tree, and whether it is the operator. */
export type Actor = Pick<Caller, 'accountId' | 'path' | 'scopes'>;

export interface AccountChange {
  readonly name?: string;
  readonly status?: AccountStatus;
  readonly creditLimit?: number;
  readonly prices?: PriceList | null;
  readonly allowedSenders?: readonly string[] | null;
  readonly trial?: boolean;
  readonly ipAllowlist?: readonly string[] | null;
  readonly apiRate?: number | null;
  readonly protocols?: readonly Protocol[] | null;
  readonly dailyQuota?: number | null;
  readonly lowBalanceThreshold?: number | null;
  readonly refuseDeadNumbers?: boolean;
  readonly compliance?: Policies | null;
}

/**
 * Accounts in a tree under the operator's account, and their money. Every decision "may this
 * caller act on that account" is `within` here: the caller's own account or one under it, and
 * for anything else the same not_found as for an account that does not exist, so that no caller
 * learns of an account outside its own subtree.
 */
export class Accounts {
  constructor(
    private readonly store: Store,
    private readonly keys: ApiKeys,
    private readonly clock: Clock,
  ) {}

  /** The account `id` (default: the caller's own) if the caller may act on it; `strict`: only one under it, never its own. */
  async within(caller: Actor, id: string | undefined, options: { strict?: boolean; param?: string } = {}): Promise<Account> {
    const param = options.param ?? 'id';
    const account = await this.store.getAccount(id ?? caller.accountId);
    const own = account?.path === caller.path;
    if (!account || !(own || account.path.startsWith(`${caller.path}/`)) || (own && options.strict && id !== undefined)) {
      throw new SwitchboardError('not_found', `No account ${JSON.stringify(id)} under this one.`, { param });
    }
    return account;
  }

  /** The id of the account a request acts on: the caller's own, or one under it named by `?account=`. */
  async actingOn(caller: Actor, requested: string | undefined): Promise<string> {
    if (requested === undefined || requested === caller.accountId) return caller.accountId;
    return (await this.within(caller, requested, { param: 'account' })).id;
  }

  async create(
    caller: Actor,
    input: { name: string; currency?: string; parent?: string; prices?: PriceList | null } & Pick<AccountChange, 'allowedSenders' | 'trial' | 'ipAllowlist' | 'apiRate' | 'protocols'>,
  ): Promise<Account> {
    const parent = await this.within(caller, input.parent, { param: 'parent' });
    const id = newId('acct', this.clock.now());
    await this.store.createAccount({ id, parentId: parent.id, name: input.name, currency: input.currency ?? parent.currency, prices: input.prices ?? null, createdAt: this.clock.now() });
    const { allowedSenders, trial, ipAllowlist, apiRate, protocols } = input;
    await this.store.updateAccount(id, { ...(allowedSenders && { allowedSenders }), ...(trial && { trial }), ...(ipAllowlist && { ipAllowlist }), ...(apiRate && { apiRate }), ...(protocols && { protocols }) });
    return (await this.store.getAccount(id))!;
  }

  async list(caller: Actor, parent: string | undefined): Promise<Account[]> {
    return this.store.listAccounts((await this.within(caller, parent, { param: 'parent' })).id);
  }

  get(caller: Actor, id: string): Promise<Account> {
    return this.within(caller, id);
  }

  /** An account changes the ones under it, never itself; a credit limit is the operator's to give. */
  async update(caller: Actor, id: string, change: AccountChange): Promise<Account> {
    const account = await this.within(caller, id, { strict: true });
    if (change.creditLimit !== undefined && !caller.scopes.includes('admin')) {
      throw new SwitchboardError('insufficient_scope', 'Only the operator (an admin key) sets a credit limit.');
    }
    await this.store.updateAccount(account.id, change);
    return (await this.store.getAccount(account.id))!;
  }

  async createKey(caller: Actor, id: string, options: { name: string | null; scopes?: readonly Scope[] }): Promise<CreatedKey> {
    const account = await this.within(caller, id, { strict: true });
    if (options.scopes?.includes('admin')) {
      throw new SwitchboardError('invalid_parameter', 'A sub-account key cannot hold `admin`: that scope is the operator\'s alone.', { param: 'scopes' });
    }
    return this.keys.create(account.id, { name: options.name, ...(options.scopes && { scopes: options.scopes }) });
  }

  async listKeys(caller: Actor, id: string): Promise<ApiKeyRecord[]> {
    return this.keys.list((await this.within(caller, id, { strict: true })).id);
  }

  async topUp(caller: Actor, id: string, amount: number, description: string | null): Promise<LedgerEntry> {
    positive(amount);
    const account = await this.within(caller, id);
    return this.store.topUp({ id: newId('led', this.clock.now()), accountId: account.id, amount, at: this.clock.now(), description });
  }

  /** Moves money from the caller's account to one of its direct sub-accounts, if its balance covers it. */
  async transfer(caller: Actor, to: string, amount: number, description: string | null): Promise<LedgerEntry> {
    positive(amount);
    const child = await this.within(caller, to, { strict: true });
    const parent = (await this.store.getAccount(caller.accountId))!;
    if (child.parentId !== parent.id) {
      throw new SwitchboardError('invalid_parameter', 'Transfers go from an account to its direct sub-accounts only.', { param: 'id' });
    }
    if (child.currency !== parent.currency) {
      throw new SwitchboardError('invalid_parameter', `The sub-account keeps its balance in ${child.currency}, this account in ${parent.currency}: no transfer between currencies.`, { param: 'id' });
    }
    const now = this.clock.now();
    const entry = await this.store.transfer({ from: parent.id, to: child.id, amount, at: now, ids: [newId('led', now), newId('led', now)], description });
    if (!entry) {
      throw new SwitchboardError('insufficient_credit', `This account's balance (${formatAmount(parent.balance)} ${parent.currency}) does not cover the transfer: nothing moved.`, { param: 'amount' });
    }
    return entry;
  }

  balance(caller: Actor, account: string | undefined): Promise<Account> {
    return this.within(caller, account, { param: 'account' });
  }

  /** One page, newest first, and the cursor of the next (null on the last). */
  async ledger(caller: Actor, account: string | undefined, filter: LedgerFilter, limit: number): Promise<{ account: Account; entries: LedgerEntry[]; next: number | null }> {
    const target = await this.within(caller, account, { param: 'account' });
    const rows = await this.store.listLedger(target.id, filter, limit + 1);
    const entries = rows.slice(0, limit);
    return { account: target, entries, next: rows.length > limit ? entries[entries.length - 1]!.seq : null };
  }
}

function positive(amount: number): void {
  if (amount <= 0) throw new SwitchboardError('invalid_parameter', 'amount must be more than zero.', { param: 'amount' });
}
