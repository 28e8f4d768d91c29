import { createHash, randomBytes } from 'node:crypto';
import type { Policies } from '../core/compliance/policy.js';
import type { Protocol } from '../core/access/protocols.js';
import { ADMIN_SCOPES, DEFAULT_SCOPES, type Scope } from '../core/access/scopes.js';
import { SwitchboardError } from '../core/errors.js';
import { Batcher } from './batcher.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import type { PriceList } from '../core/accounts/prices.js';
import type { ApiKeyRecord, KeyAccount, Store } from './store.js';

export const DEFAULT_ACCOUNT = 'acct_default';

/** How often a key's last-used time is written: a busy key costs one write a minute, not one a request. */
const TOUCH_EVERY_MS = 60_000;

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Who a request's key speaks for. */
export interface Caller {
  readonly keyId: string;
  readonly accountId: string;
  readonly scopes: readonly Scope[];
  /** The account's place in the tree (ids from the root, '/'-joined): what it may act on lies under it. */
  readonly path: string;
  /** The account's price list; null: it is not charged. */
  readonly prices: PriceList | null;
  /** The senders the account may use; null: any. */
  readonly allowedSenders: readonly string[] | null;
  /** In trial (itself or under an account that is): it sends only to its verified numbers. */
  readonly trial: boolean;
  /** The address lists the request must be in, the account's and its ancestors'; empty: any address. */
  readonly ipAllowlists: readonly (readonly string[])[];
  /** Its API requests per second; null: the operator's default. */
  readonly apiRate: number | null;
  /** The ways the account may send; null: every one. */
  readonly protocols: readonly Protocol[] | null;
  /** Messages the account may send per UTC day; null: no quota. */
  readonly dailyQuota: number | null;
  /** Accept refuses recipients a fresh live lookup found dead. */
  readonly refuseDeadNumbers: boolean;
  /** The account's compliance policies; null: the operator's. */
  readonly compliance: Policies | null;
}

/** The caller of `keyId` (a key, or a session) on `accountId`, holding `scopes`, with what its account allows. */
export function callerOf(keyId: string, accountId: string, scopes: readonly Scope[], account: KeyAccount): Caller {
  const { path, prices, allowedSenders, trial, ipAllowlists, apiRate, protocols, dailyQuota, refuseDeadNumbers, compliance } = account;
  return { keyId, accountId, scopes, path, prices, allowedSenders, trial, ipAllowlists, apiRate, protocols, dailyQuota, refuseDeadNumbers, compliance };
}

/** A key's or a credential's account that is disabled or blocked (itself, or one above it) is refused. */
export function refuseInactive(account: Pick<KeyAccount, 'status'>): void {
  if (account.status === 'disabled') throw new SwitchboardError('account_disabled', 'This account (or one above it) is disabled: its keys and credentials are refused until it is enabled again.');
  if (account.status === 'blocked') throw new SwitchboardError('account_blocked', 'This account (or one above it) is blocked: its keys and credentials are refused.');
}

/** A key just made: the secret itself is in `key`, shown this once and never stored. */
export interface CreatedKey extends ApiKeyRecord {
  readonly key: string;
}

/**
 * API keys: random, shown once, stored only as a SHA-256 hash. Every request looks its key up in
 * the store (lookups of concurrent requests share one query), so a key revoked on any node, or by
 * the CLI, is refused by every node from the next request on: no cache to outlive it.
 */
export class ApiKeys {
  readonly #lookups: Batcher<string, (ApiKeyRecord & { hash: string; account: KeyAccount }) | undefined>;
  readonly #touched = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    this.#lookups = new Batcher(async (hashes) => {
      const found = new Map((await store.findApiKeys([...new Set(hashes)])).map((k) => [k.hash, k]));
      return hashes.map((h) => found.get(h));
    }, 500);
  }

  async create(accountId: string, options: { name?: string | null; admin?: boolean; scopes?: readonly Scope[] } = {}): Promise<CreatedKey> {
    const key = `sk_${randomBytes(24).toString('base64url')}`;
    const now = this.clock.now();
    const scopes = options.admin ? ADMIN_SCOPES : (options.scopes ?? DEFAULT_SCOPES);
    const record = { id: newId('key', now), accountId, prefix: key.slice(0, 7), name: options.name ?? null, scopes, createdAt: now };
    await this.store.insertApiKey({ ...record, hash: hashKey(key) });
    return { ...record, lastUsedAt: null, revokedAt: null, key };
  }

  list(accountId: string): Promise<ApiKeyRecord[]> {
    return this.store.listApiKeys(accountId);
  }

  async revoke(accountId: string, id: string): Promise<void> {
    if (!(await this.store.revokeApiKey(accountId, id, this.clock.now()))) {
      throw new SwitchboardError('not_found', `No active API key ${id}.`, { param: 'id' });
    }
  }

  /** The caller a key speaks for; throws `invalid_api_key` for an unknown or revoked key. */
  async authenticate(key: string): Promise<Caller> {
    const found = await this.#lookups.push(hashKey(key));
    if (!found) throw new SwitchboardError('invalid_api_key', 'The API key is not valid. Check it was copied whole, or create a new one.');
    // Read with the key on every request: an account disabled on any node is refused by all at once.
    refuseInactive(found.account);
    this.#touch(found.id);
    return callerOf(found.id, found.accountId, found.scopes, found.account);
  }

  #touch(id: string): void {
    const now = this.clock.now();
    if ((this.#touched.get(id) ?? 0) > now - TOUCH_EVERY_MS) return;
    if (this.#touched.size > 10_000) this.#touched.clear();
    this.#touched.set(id, now);
    // Best effort: a failed write only leaves the last-used time older than it is.
    this.store.touchApiKeys([id], now).catch(() => this.#touched.delete(id));
  }
}
