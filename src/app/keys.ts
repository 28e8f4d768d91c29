import { createHash, randomBytes } from 'node:crypto';
import { SwitchboardError } from '../core/errors.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import type { Store } from './store.js';

export const DEFAULT_ACCOUNT = 'acct_default';

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * API keys: random, shown once, stored only as a SHA-256 hash. Lookups are cached for a short
 * while so a request costs no query, and a revoked key stops working within `cacheMs`.
 */
export class ApiKeys {
  readonly #cache = new Map<string, { accountId: string; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly cacheMs = 30_000,
  ) {}

  async create(accountId: string): Promise<string> {
    const key = `sk_${randomBytes(24).toString('base64url')}`;
    const now = this.clock.now();
    await this.store.insertApiKey({ id: newId('key', now), accountId, hash: hashKey(key), prefix: key.slice(0, 7), createdAt: now });
    return key;
  }

  /** The account a key belongs to; throws `invalid_api_key` for an unknown key. */
  async authenticate(key: string): Promise<string> {
    const hash = hashKey(key);
    const now = this.clock.now();
    const cached = this.#cache.get(hash);
    if (cached && cached.until > now) return cached.accountId;
    const found = await this.store.findApiKey(hash);
    if (!found) throw new SwitchboardError('invalid_api_key', 'The API key is not valid. Check it was copied whole, or create a new one.');
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(hash, { accountId: found.accountId, until: now + this.cacheMs });
    return found.accountId;
  }
}
