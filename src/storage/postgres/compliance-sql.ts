/**
 * The compliance counters' statements (duplicate guard, frequency caps), exported so that a test
 * can check their plans: each reaches its rows by the primary key.
 */
export const COMPLIANCE_SQL = {
  /**
   * Counts a request against all its marks in one statement ($2 keys, distinct and sorted so that
   * concurrent requests lock in one order; $3 each window's end if a new one starts; $4 how many
   * of its messages count against each; $5 now): a new window where the last has ended. Returns
   * each count after; the caller compares them with the limits.
   */
  takeMarks: `INSERT INTO compliance_marks (account_id, key, window_end, count)
       SELECT $1, k, e, n FROM unnest($2::text[], $3::bigint[], $4::int[]) AS t(k, e, n)
     ON CONFLICT (account_id, key) DO UPDATE SET
       count = CASE WHEN compliance_marks.window_end <= $5 THEN excluded.count ELSE compliance_marks.count + excluded.count END,
       window_end = CASE WHEN compliance_marks.window_end <= $5 THEN excluded.window_end ELSE compliance_marks.window_end END
     RETURNING key, count`,
  /** A request's counts given back in the transaction that took them ($2 its keys, $3 how many each). */
  giveBack: `UPDATE compliance_marks m SET count = m.count - t.n FROM unnest($2::text[], $3::int[]) AS t(k, n) WHERE m.account_id = $1 AND m.key = t.k`,
  /**
   * Up to $2 counters whose window has ended ($1 now): the table keeps only what can still refuse.
   * The outer condition is checked again on a row a concurrent accept has just renewed: kept.
   */
  prune: `DELETE FROM compliance_marks WHERE window_end <= $1
     AND (account_id, key) IN (SELECT account_id, key FROM compliance_marks WHERE window_end <= $1 LIMIT $2)`,
  peekMark: `SELECT count FROM compliance_marks WHERE account_id = $1 AND key = $2 AND window_end > $3`,
} as const;
