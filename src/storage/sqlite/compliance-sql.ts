/**
 * The compliance counters' statements (duplicate guard, frequency caps) and the opt-out check of
 * every accept, exported so that a test can check their plans: each reaches its rows by the
 * primary key.
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
  prune: `DELETE FROM compliance_marks WHERE (account_id, key) IN (SELECT account_id, key FROM compliance_marks WHERE window_end <= @now LIMIT +@limit)`,
  peekMark: `SELECT count FROM compliance_marks WHERE account_id = @accountId AND key = @key AND window_end > @now`,
  /** Which of a request's recipients opted out of the sender (or of the whole account). */
  optedOut: `SELECT number FROM opt_outs WHERE account_id = @accountId AND sender IN (@sender, '*') AND number IN (SELECT value FROM json_each(@numbers))`,
  /** The same for one recipient (most sends): no JSON to write and read back. */
  optedOutOne: `SELECT number FROM opt_outs WHERE account_id = @accountId AND sender IN (@sender, '*') AND number = @number`,
} as const;
