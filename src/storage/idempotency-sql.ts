/**
 * The Idempotency-Key statements of both stores (`$n` placeholders; SQLite reads them numbered),
 * exported so that a test can check their plans.
 */
export const IDEMPOTENCY_SQL = {
  /** The key's first answer, if made at $3 or later. */
  find: 'SELECT request_hash, status_code, response FROM idempotency_keys WHERE account_id = $1 AND key = $2 AND created_at >= $3',
  /** A key found is answered before this: one written here is new, or an expired one replaced. */
  save: `INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (account_id, key) DO UPDATE SET request_hash = excluded.request_hash, status_code = excluded.status_code, response = excluded.response, created_at = excluded.created_at`,
  /** At most $2 keys made before $1, oldest first. */
  prune: 'DELETE FROM idempotency_keys WHERE (account_id, key) IN (SELECT account_id, key FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2)',
} as const;
