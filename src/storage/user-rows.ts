import { isRole } from '../core/access/roles.js';
import type { SessionRecord, StoredUser, UserRecord } from '../app/store.js';

/** Users and sessions as both stores read and write them; `$n` placeholders, which SQLite reads as numbered parameters too. */
export const USER_COLUMNS = 'u.id, u.account_id, u.email, u.name, u.role, u.created_at, u.password_hash, u.failed_attempts, u.locked_until';

export const USER_SQL = {
  insert: `INSERT INTO users (id, account_id, email, name, role, created_at, password_hash, failed_attempts, locked_until)
    VALUES ($1, $2, $3, $4, $5, $6, $7, 0, NULL) ON CONFLICT (email) DO NOTHING`,
  byEmail: `SELECT ${USER_COLUMNS} FROM users u WHERE u.email = $1`,
  list: `SELECT ${USER_COLUMNS} FROM users u WHERE u.account_id = $1 ORDER BY u.created_at, u.id`,
  failure: `UPDATE users SET
      locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $3 ELSE locked_until END,
      failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END
    WHERE id = $1`,
  success: 'UPDATE users SET failed_attempts = 0 WHERE id = $1',
  delete: 'DELETE FROM users WHERE account_id = $1 AND id = $2',
  /** Failed sign-ins under a key, in a window not ended. ($1 key, $2 now) */
  failures: 'SELECT failures, window_end FROM sign_in_failures WHERE key = $1 AND window_end > $2',
  /** One more failed sign-in: a window ended starts again; the `max`-th moves the end a window ahead. ($1 key, $2 max, $3 now, $4 end) */
  countFailure: `INSERT INTO sign_in_failures (key, failures, window_end) VALUES ($1, 1, $4)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN sign_in_failures.window_end <= $3 THEN 1 ELSE sign_in_failures.failures + 1 END,
      window_end = CASE WHEN sign_in_failures.window_end <= $3 OR sign_in_failures.failures + 1 >= $2 THEN $4 ELSE sign_in_failures.window_end END`,
  /** A few windows that ended, oldest first, through their index (one renewed meanwhile stays). ($1 now) */
  pruneFailures: 'DELETE FROM sign_in_failures WHERE window_end <= $1 AND key IN (SELECT key FROM sign_in_failures WHERE window_end <= $1 ORDER BY window_end LIMIT 10)',
  clearFailures: 'DELETE FROM sign_in_failures WHERE key = $1',
  insertSession: 'INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
  deleteSession: 'DELETE FROM sessions WHERE hash = $1',
  deleteUserSessions: 'DELETE FROM sessions WHERE user_id = $1',
  /** The session, its user and the user's account (`keyAccount`: the store's KEY_ACCOUNT_COLUMNS). */
  find: (keyAccount: string) => `SELECT s.hash, s.user_id, s.csrf, s.created_at AS session_created_at, s.expires_at, ${USER_COLUMNS}, ${keyAccount}
    FROM sessions s JOIN users u ON u.id = s.user_id JOIN accounts a ON a.id = u.account_id WHERE s.hash = $1 AND s.expires_at > $2`,
};

export interface UserRow {
  id: string;
  account_id: string;
  email: string;
  name: string | null;
  role: string;
  created_at: number | string;
  password_hash: string;
  failed_attempts: number;
  locked_until: number | string | null;
}

export interface SessionRow {
  hash: string;
  user_id: string;
  csrf: string;
  session_created_at: number | string;
  expires_at: number | string;
}

/** A role this version does not know (written by a newer one) reads as viewer: it grants least. */
export function userOf(r: UserRow): StoredUser {
  return {
    id: r.id,
    accountId: r.account_id,
    email: r.email,
    name: r.name,
    role: isRole(r.role) ? r.role : 'viewer',
    createdAt: Number(r.created_at),
    passwordHash: r.password_hash,
    failedAttempts: Number(r.failed_attempts),
    lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
  };
}

export function publicUser({ id, accountId, email, name, role, createdAt }: StoredUser): UserRecord {
  return { id, accountId, email, name, role, createdAt };
}

export function sessionOf(r: SessionRow): SessionRecord {
  return { hash: r.hash, userId: r.user_id, csrf: r.csrf, createdAt: Number(r.session_created_at), expiresAt: Number(r.expires_at) };
}

export function userValues(u: StoredUser): unknown[] {
  return [u.id, u.accountId, u.email, u.name, u.role, u.createdAt, u.passwordHash];
}

export function sessionValues(s: SessionRecord): unknown[] {
  return [s.hash, s.userId, s.csrf, s.createdAt, s.expiresAt];
}
