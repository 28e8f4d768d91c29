import type { FaceProtocol } from '../core/access/protocols.js';
import { SwitchboardError } from '../core/errors.js';
import type { Payer } from './accept.js';
import { Batcher } from './batcher.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import { refuseInactive } from './keys.js';
import type { FaceCredential, KeyAccount, Store } from './store.js';

/**
 * What a compatible API (a face) says of its credentials: how a new one's key and secrets are
 * made, and which settings it takes, checked and completed with their defaults.
 */
export interface CredentialKind {
  /** A new key and secret, in the shapes the face's SDKs expect (e.g. Vonage's 8-hex-digit api_key). */
  generate(): { key: string; secret: string };
  /** The settings of a new credential: the input checked (naming the parameter), defaults and generated secrets filled in. */
  settings(input: Readonly<Record<string, string | undefined>>): Record<string, string | null>;
}

/** Who a face's request speaks for: the credential, its account as accept needs it, and the account's request limits. */
export interface FaceCaller {
  readonly credential: FaceCredential;
  readonly payer: Payer;
  /** The account's place in the tree, as the accounts service takes a caller. */
  readonly path: string;
  /** The currency of the account's balance and prices. */
  readonly currency: string;
  /** The address lists the request must be in (the account's and its ancestors'). */
  readonly ipAllowlists: readonly (readonly string[])[];
  readonly apiRate: number | null;
}

/**
 * Per-account credentials for the compatible APIs (Vonage's api_key and api_secret...). Made by
 * the account itself or one above it, shown once, revocable. A face looks its credential up on
 * every request (look-ups of concurrent requests share one query), with the account's status: a
 * revoked credential, or a disabled account, is refused on every node from the next request on.
 */
export class FaceCredentials {
  readonly #lookups = new Map<FaceProtocol, Batcher<string, (FaceCredential & { readonly account: KeyAccount }) | undefined>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly kinds: Readonly<Partial<Record<FaceProtocol, CredentialKind>>>,
  ) {}

  async create(accountId: string, protocol: FaceProtocol, input: { name?: string | null; settings: Readonly<Record<string, string | undefined>> }): Promise<FaceCredential> {
    const kind = this.kinds[protocol];
    if (!kind) throw new SwitchboardError('invalid_parameter', `No credentials for ${protocol} yet: this server answers ${Object.keys(this.kinds).join(', ')}.`, { param: 'protocol' });
    const now = this.clock.now();
    const { key, secret } = kind.generate();
    const credential: FaceCredential = { id: newId('cred', now), accountId, protocol, name: input.name ?? null, key, secret, settings: kind.settings(input.settings), createdAt: now, revokedAt: null };
    await this.store.insertFaceCredential(credential);
    return credential;
  }

  list(accountId: string): Promise<FaceCredential[]> {
    return this.store.listFaceCredentials(accountId);
  }

  async revoke(accountId: string, id: string): Promise<void> {
    if (!(await this.store.revokeFaceCredential(accountId, id, this.clock.now()))) {
      throw new SwitchboardError('not_found', `No active credential ${id}.`, { param: 'credential' });
    }
  }

  /** The active credential named `key`, and its account; undefined when there is none such. Throws for an account disabled or blocked. */
  async authenticate(protocol: FaceProtocol, key: string): Promise<FaceCaller | undefined> {
    const found = await this.#lookup(protocol).push(key);
    if (!found) return undefined;
    refuseInactive(found.account);
    const { account, ...credential } = found;
    const { path, currency, prices, allowedSenders, trial, protocols, dailyQuota, refuseDeadNumbers, compliance, ipAllowlists, apiRate } = account;
    return { credential, payer: { accountId: credential.accountId, prices, allowedSenders, trial, protocols, dailyQuota, refuseDeadNumbers, compliance }, path, currency, ipAllowlists, apiRate };
  }

  #lookup(protocol: FaceProtocol): Batcher<string, (FaceCredential & { readonly account: KeyAccount }) | undefined> {
    let batcher = this.#lookups.get(protocol);
    if (!batcher) {
      batcher = new Batcher(async (keys) => {
        const found = new Map((await this.store.findFaceCredentials(protocol, [...new Set(keys)])).map((c) => [c.key, c]));
        return keys.map((k) => found.get(k));
      }, 500);
      this.#lookups.set(protocol, batcher);
    }
    return batcher;
  }

  /** A credential, revoked or not, by id: what signs the receipts of messages sent with it. */
  get(id: string): Promise<FaceCredential | undefined> {
    return this.store.getFaceCredential(id);
  }
}
