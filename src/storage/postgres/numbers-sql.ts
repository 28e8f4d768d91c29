/**
 * Numbers and usage statements on PostgreSQL, by name, so the query-plan test checks each: the
 * owner of a number is one primary-key seek, and usage is read as one index range of the
 * account's days. Each database session adds to its own slot's counter rows (its backend's
 * process id modulo 16), so accepts and final statuses on several nodes do not queue on one row.
 */
export const NUMBERS_SQL = {
  owner: 'SELECT account_id FROM numbers WHERE number = $1',
  addUsage: `INSERT INTO usage_counts (account_id, day, country, connection, slot, messages, segments, delivered, failed, charged, cost)
    SELECT a, d, c, n, pg_backend_pid() % 16, m, s, dl, f, ch, co
      FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[])
        AS u(a, d, c, n, m, s, dl, f, ch, co)
    ON CONFLICT (account_id, day, country, connection, slot) DO UPDATE SET
      messages = usage_counts.messages + excluded.messages, segments = usage_counts.segments + excluded.segments,
      delivered = usage_counts.delivered + excluded.delivered, failed = usage_counts.failed + excluded.failed,
      charged = usage_counts.charged + excluded.charged, cost = usage_counts.cost + excluded.cost`,
  addHourly: `INSERT INTO hourly_counts (account_id, hour, connection, country, error_code, provider_code, slot, messages, delivered, failed, unknown, charged)
    SELECT a, h, n, c, e, p, pg_backend_pid() % 16, m, dl, f, u, ch
      FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[])
        AS x(a, h, n, c, e, p, m, dl, f, u, ch)
    ON CONFLICT (account_id, hour, connection, country, error_code, provider_code, slot) DO UPDATE SET
      messages = hourly_counts.messages + excluded.messages, delivered = hourly_counts.delivered + excluded.delivered,
      failed = hourly_counts.failed + excluded.failed, unknown = hourly_counts.unknown + excluded.unknown, charged = hourly_counts.charged + excluded.charged`,
  usage: `SELECT account_id, day, country, connection, sum(messages) AS messages, sum(segments) AS segments, sum(delivered) AS delivered, sum(failed) AS failed,
      sum(charged) AS charged, sum(cost) AS cost
    FROM usage_counts WHERE account_id = $1 AND day >= $2 AND day <= $3 GROUP BY account_id, day, country, connection ORDER BY day, country, connection`,
  /**
   * The same for the account at `path` and every account under it, each apart: the accounts of
   * the subtree, then each one's index range. LATERAL keeps that order whatever the statistics:
   * joined plainly, a planner that guessed the subtree large read the whole table instead.
   */
  usageUnder: `SELECT a.id AS account_id, u.day, u.country, u.connection, u.messages, u.segments, u.delivered, u.failed, u.charged, u.cost
    FROM accounts a CROSS JOIN LATERAL (
      SELECT day, country, connection, sum(messages) AS messages, sum(segments) AS segments, sum(delivered) AS delivered, sum(failed) AS failed,
        sum(charged) AS charged, sum(cost) AS cost
      FROM usage_counts WHERE account_id = a.id AND day >= $2 AND day <= $3 GROUP BY day, country, connection) u
    WHERE a.path COLLATE "C" >= $1 AND a.path COLLATE "C" < $1 || '0' AND (a.path = $1 OR a.path COLLATE "C" > $1 || '/')`,
} as const;
