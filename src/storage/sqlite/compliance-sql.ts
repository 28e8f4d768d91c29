/**
 * The compliance counters' statements (duplicate guard, frequency caps), exported so that a test
 * can check their plans: each reaches its one row by the primary key.
 */
export const COMPLIANCE_SQL = {
  /** Counts one message against a mark: a new window when the last has ended; no row returned when it is full. */
  takeMark: `INSERT INTO compliance_marks (account_id, key, window_end, count) VALUES (@accountId, @key, @windowEnd, 1)
     ON CONFLICT (account_id, key) DO UPDATE SET
       count = CASE WHEN compliance_marks.window_end <= @now THEN 1 ELSE compliance_marks.count + 1 END,
       window_end = CASE WHEN compliance_marks.window_end <= @now THEN excluded.window_end ELSE compliance_marks.window_end END
     WHERE compliance_marks.window_end <= @now OR compliance_marks.count < @limit
     RETURNING count`,
  /** Up to @limit counters whose window has ended: the table keeps only what can still refuse. */
  prune: `DELETE FROM compliance_marks WHERE (account_id, key) IN (SELECT account_id, key FROM compliance_marks WHERE window_end <= @now LIMIT @limit)`,
  peekMark: `SELECT count FROM compliance_marks WHERE account_id = @accountId AND key = @key AND window_end > @now`,
} as const;
