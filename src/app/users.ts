import { createHash, randomBytes } from 'node:crypto';
import { roleScopes, type Role } from '../core/access/roles.js';
import { SwitchboardError } from '../core/errors.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import { callerOf, refuseInactive, type Caller } from './keys.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';
import type { SessionRecord, Store, UserRecord } from './store.js';

/** Wrong passwords in a row that lock a user out, and for how long: a guesser gets 5 tries per 15 minutes. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MS = 15 * 60_000;
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
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** The operator's account: its admins hold the `admin` scope. */
    private readonly operatorAccount: string,
  ) {}

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
   * Signs in: a new session's token (for the cookie) and CSRF token. A wrong email and a wrong
   * password answer alike, after the same work; a locked user is refused whatever the password.
   */
  async signIn(email: string, password: string): Promise<{ token: string; session: SessionRecord; user: UserRecord }> {
    const user = await this.store.findUserByEmail(email.trim().toLowerCase());
    const now = this.clock.now();
    const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (user && user.lockedUntil !== null && user.lockedUntil > now) {
      const seconds = Math.ceil((user.lockedUntil - now) / 1000);
      throw new SwitchboardError('rate_limit_exceeded', `Too many wrong passwords: this user is locked out for ${Math.ceil(seconds / 60)} more minutes.`, { retryAfterSeconds: seconds });
    }
    if (!user || !matches) {
      if (user) await this.store.recordSignInFailure(user.id, MAX_FAILED_SIGN_INS, now + LOCKOUT_MS);
      throw new SwitchboardError('invalid_credentials', 'Wrong email or password.');
    }
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

  signOut(hash: string): Promise<void> {
    return this.store.deleteSession(hash);
  }

  signOutEverywhere(userId: string): Promise<number> {
    return this.store.deleteUserSessions(userId);
  }
}
