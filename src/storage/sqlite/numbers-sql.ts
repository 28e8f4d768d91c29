/**
 * Numbers and usage statements on SQLite, by name, so the query-plan test checks each: the owner
 * of a number is one primary-key seek, and usage is read as one index range of the account's days.
 */
export const NUMBERS_SQL = {
  owner: 'SELECT account_id FROM numbers WHERE number = @number',
  addUsage: `INSERT INTO usage_counts (account_id, day, country, connection, slot, messages, segments, delivered, failed, charged, cost)
    VALUES (@accountId, @day, @country, @connection, 0, @messages, @segments, @delivered, @failed, @charged, @cost)
    ON CONFLICT (account_id, day, country, connection, slot) DO UPDATE SET
      messages = messages + excluded.messages, segments = segments + excluded.segments, delivered = delivered + excluded.delivered,
      failed = failed + excluded.failed, charged = charged + excluded.charged, cost = cost + excluded.cost`,
  addHourly: `INSERT INTO hourly_counts (account_id, hour, connection, country, error_code, provider_code, slot, messages, delivered, failed, unknown, charged)
    VALUES (@accountId, @hour, @connection, @country, @errorCode, @providerCode, 0, @messages, @delivered, @failed, @unknown, @charged)
    ON CONFLICT (account_id, hour, connection, country, error_code, provider_code, slot) DO UPDATE SET
      messages = messages + excluded.messages, delivered = delivered + excluded.delivered, failed = failed + excluded.failed,
      unknown = unknown + excluded.unknown, charged = charged + excluded.charged`,
  usage: `SELECT account_id, day, country, connection, sum(messages) AS messages, sum(segments) AS segments, sum(delivered) AS delivered, sum(failed) AS failed,
      sum(charged) AS charged, sum(cost) AS cost
    FROM usage_counts WHERE account_id = @account AND day >= @from AND day <= @to GROUP BY day, country, connection ORDER BY day, country, connection`,
  /** The same for the account at `path` and every account under it, each apart: the accounts of the subtree, then each one's index range. */
  usageUnder: `SELECT u.account_id, u.day, u.country, u.connection, sum(u.messages) AS messages, sum(u.segments) AS segments, sum(u.delivered) AS delivered,
      sum(u.failed) AS failed, sum(u.charged) AS charged, sum(u.cost) AS cost
    FROM accounts a JOIN usage_counts u ON u.account_id = a.id AND u.day >= @from AND u.day <= @to
    WHERE a.path >= @path AND a.path < @path || '0' AND (a.path = @path OR a.path > @path || '/')
    GROUP BY u.account_id, u.day, u.country, u.connection`,
} as const;
