import { createHash, randomBytes } from 'node:crypto';
import { roleScopes, type Role } from '../core/access/roles.js';
import { SwitchboardError } from '../core/errors.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import { callerOf, refuseInactive, type Caller } from './keys.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';
import { SignInThrottle } from './sign-in-throttle.js';
import type { SessionRecord, Store, UserRecord } from './store.js';

/** A session lasts a working day; signing in again starts a new one. */
export const SESSION_MS = 12 * 3_600_000;
const MIN_PASSWORD_LENGTH = 12;

/** A signed-in person, as a request sees them: who, their role's scopes as a Caller, and the CSRF token their writes must carry. */
export interface SessionCaller {
  readonly user: UserRecord;
  readonly caller: Caller;
  readonly csrf: string;
  readonly hash: string;
}

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * People who sign in to the dashboard. Passwords are kept as scrypt hashes; sessions as the
 * SHA-256 of a random token (the cookie), looked up in the store on every request, so signing
 * out (or everywhere) takes effect on every node at once, as revoking a key does.
 */
export class Users {
  readonly #throttle: SignInThrottle;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** The operator's account: its admins hold the `admin` scope. */
    private readonly operatorAccount: string,
  ) {
    this.#throttle = new SignInThrottle(store, clock);
  }

  async create(accountId: string, input: { email: string; password: string; role: Role; name?: string | null }): Promise<UserRecord> {
    const email = input.email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new SwitchboardError('invalid_parameter', 'email must be an email address.', { param: 'email' });
    if ([...input.password].length < MIN_PASSWORD_LENGTH) {
      throw new SwitchboardError('invalid_parameter', `password must be at least ${MIN_PASSWORD_LENGTH} characters.`, { param: 'password' });
    }
    const now = this.clock.now();
    const user = { id: newId('usr', now), accountId, email, name: input.name ?? null, role: input.role, createdAt: now };
    const stored = { ...user, passwordHash: await hashPassword(input.password), failedAttempts: 0, lockedUntil: null };
    if (!(await this.store.insertUser(stored))) throw new SwitchboardError('invalid_parameter', `A user with the email ${email} exists already.`, { param: 'email' });
    return user;
  }

  isOperator(accountId: string): boolean {
    return accountId === this.operatorAccount;
  }

  list(accountId: string): Promise<UserRecord[]> {
    return this.store.listUsers(accountId);
  }

  /**
   * Signs in from the client `address`: a new session's token (for the cookie) and CSRF token. A
   * wrong email and a wrong password answer alike, after the same work; an address that failed
   * too often is refused before any password is checked, a user locked out from it whatever the
   * password (see SignInThrottle).
   */
  async signIn(email: string, password: string, address: string): Promise<{ token: string; session: SessionRecord; user: UserRecord }> {
    await this.#throttle.checkAddress(address);
    const user = await this.store.findUserByEmail(email.trim().toLowerCase());
    const now = this.clock.now();
    const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (user) await this.#throttle.checkUser(user.id, user.lockedUntil, address);
    if (!user || !matches) {
      await this.#throttle.failed(address, user?.id);
      throw new SwitchboardError('invalid_credentials', 'Wrong email or password.');
    }
    await this.#throttle.succeeded(user.id, address);
    const token = randomBytes(32).toString('base64url');
    const session = { hash: sha256(token), userId: user.id, csrf: randomBytes(24).toString('base64url'), createdAt: now, expiresAt: now + SESSION_MS };
    await this.store.insertSession(session);
    const { passwordHash: _hash, failedAttempts: _failed, lockedUntil: _locked, ...record } = user;
    return { token, session, user: record };
  }

  /** The person a session cookie speaks for; `invalid_credentials` for one unknown, expired or signed out. */
  async authenticate(token: string): Promise<SessionCaller> {
    const hash = sha256(token);
    const found = await this.store.findSession(hash, this.clock.now());
    if (!found) throw new SwitchboardError('invalid_credentials', 'The session has expired or was signed out: sign in again.');
    refuseInactive(found.account);
    const { user, account, session } = found;
    const caller = callerOf(`session:${user.id}`, user.accountId, roleScopes(user.role, this.isOperator(user.accountId)), account);
    return { user, caller, csrf: session.csrf, hash };
  }

  /**
   * Deletes a user of the account, and with them every session of theirs. Nobody removes a user
   * who may do more than they may (as nobody makes one), nor themselves.
   */
  async remove(caller: Caller, id: string, callerUserId: string | undefined): Promise<void> {
    const user = (await this.store.listUsers(caller.accountId)).find((u) => u.id === id);
    if (!user) throw new SwitchboardError('not_found', `No user ${JSON.stringify(id)} in this account.`, { param: 'id' });
    if (id === callerUserId) throw new SwitchboardError('invalid_parameter', 'A user cannot delete themselves: ask another admin of the account.', { param: 'id' });
    this.refuseBeyond(caller, user.role, 'id');
    if (!(await this.store.deleteUser(caller.accountId, id))) throw new SwitchboardError('not_found', `No user ${JSON.stringify(id)} in this account.`, { param: 'id' });
  }

  /** Nobody makes, or removes, a user who may do more than they may: no escalation through another user. */
  refuseBeyond(caller: Caller, role: Role, param: string): void {
    const beyond = roleScopes(role, this.isOperator(caller.accountId)).filter((s) => !caller.scopes.includes(s));
    if (beyond.length > 0) throw new SwitchboardError('insufficient_scope', `A ${role} holds ${beyond.join(', ')}, which this caller does not.`, { param });
  }

  signOut(hash: string): Promise<void> {
    return this.store.deleteSession(hash);
  }

  signOutEverywhere(userId: string): Promise<number> {
    return this.store.deleteUserSessions(userId);
  }
}
