/**
 * What an API key may do. A route declares the scope it needs; a key carries a set of them.
 * `admin` manages what every account shares (connections, routes, keys, metrics); the others are
 * an account's own business, and `accounts` manages the account's sub-accounts (their keys,
 * status, prices, transfers to them). Later scopes are added here, nowhere else.
 */
export const SCOPES = ['send', 'read', 'webhooks', 'opt_outs', 'lookups', 'accounts', 'admin'] as const;

export type Scope = (typeof SCOPES)[number];

/** An ordinary key: everything but admin and accounts. `lookups` makes live lookups, which spend money as sends do. */
export const DEFAULT_SCOPES: readonly Scope[] = ['send', 'read', 'webhooks', 'opt_outs', 'lookups'];

/** An admin key (the first start's, or `keys create --admin`): every scope. */
export const ADMIN_SCOPES: readonly Scope[] = SCOPES;

/**
 * Who may call a route: `public` (no key: health, documents, provider callbacks that carry the
 * provider's own signature), `key` (any valid key, e.g. reading the catalogue) or one scope.
 */
export type Access = 'public' | 'key' | Scope;

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Whether a key holding `scopes` may call a route declared `access`. */
export function allows(scopes: readonly Scope[], access: Access): boolean {
  // An admin key made before a scope existed holds it too.
  return access === 'public' || access === 'key' || scopes.includes(access) || scopes.includes('admin');
}
