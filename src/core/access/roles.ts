import { ADMIN_SCOPES, DEFAULT_SCOPES, type Scope } from './scopes.js';

/**
 * What a person signed in to the dashboard may do, as a role of their account: `admin` runs the
 * account (and, on the operator's account, the gateway), `developer` sends and integrates,
 * `viewer` only reads. A session's role maps to the scopes a key would hold, so the API checks a
 * person exactly as it checks a key.
 */
export const ROLES = ['admin', 'developer', 'viewer'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * The scopes of a role. Only the operator's admins hold `admin` (connections, routes, keys): an
 * account's own admin holds what a sub-account key may hold at most, as POST /v1/accounts/{id}/keys
 * never hands out `admin`.
 */
export function roleScopes(role: Role, operator: boolean): readonly Scope[] {
  if (role === 'viewer') return ['read'];
  if (role === 'developer') return DEFAULT_SCOPES;
  return operator ? ADMIN_SCOPES : ADMIN_SCOPES.filter((s) => s !== 'admin');
}
