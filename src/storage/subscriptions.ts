/**
 * The event types each account's enabled endpoints take, read from their rows (`events` as
 * stored: comma-joined, `*` for every type). An event no endpoint takes, and that goes to no
 * callback URL, is not stored at all: no row, no copy of the message.
 */
export type Subscriptions = ReadonlyMap<string, ReadonlySet<string>>;

export function subscriptionsOf(rows: readonly { account_id: string; events: string }[]): Subscriptions {
  const map = new Map<string, Set<string>>();
  for (const r of rows) {
    const types = map.get(r.account_id) ?? new Set<string>();
    for (const type of r.events.split(',')) types.add(type);
    map.set(r.account_id, types);
  }
  return map;
}

export function subscribed(subscriptions: Subscriptions, accountId: string, type: string): boolean {
  const types = subscriptions.get(accountId);
  return types !== undefined && (types.has('*') || types.has(type));
}

/** The statement both stores read them with (SQLite all at once, kept until an endpoint changes; PostgreSQL narrowed to the accounts at hand). */
export const SUBSCRIPTIONS_SQL = 'SELECT account_id, events FROM webhook_endpoints WHERE disabled_at IS NULL';
