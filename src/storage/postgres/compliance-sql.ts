/**
 * The compliance counters' statements (duplicate guard, frequency caps), exported so that a test
 * can check their plans: each reaches its one row by the primary key. $1 account, $2 key, $3 the
 * window's end if a new one starts, $4 now, $5 the mark's limit.
 */
export const COMPLIANCE_SQL = {
  /** Counts one message against a mark: a new window when the last has ended; no row returned when it is full. */
  takeMark: `INSERT INTO compliance_marks (account_id, key, window_end, count) VALUES ($1, $2, $3, 1)
     ON CONFLICT (account_id, key) DO UPDATE SET
       count = CASE WHEN compliance_marks.window_end <= $4 THEN 1 ELSE compliance_marks.count + 1 END,
       window_end = CASE WHEN compliance_marks.window_end <= $4 THEN excluded.window_end ELSE compliance_marks.window_end END
     WHERE compliance_marks.window_end <= $4 OR compliance_marks.count < $5
     RETURNING count`,
  /** A request's counts given back in the transaction that took them ($2: its keys). */
  giveBack: `UPDATE compliance_marks SET count = count - 1 WHERE account_id = $1 AND key = ANY($2::text[])`,
  peekMark: `SELECT count FROM compliance_marks WHERE account_id = $1 AND key = $2 AND window_end > $3`,
} as const;
