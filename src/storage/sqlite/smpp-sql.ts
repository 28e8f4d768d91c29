/** The SMPP outbox's statements, exported so that a test can check their plans: each reaches its rows by the account's index. */
export const SMPP_SQL = {
  /** A receipt owed, in the transaction of the message's final change. */
  owe: `INSERT INTO smpp_outbox (account_id, kind, ref, expires_at) VALUES (@accountId, @kind, @ref, @expiresAt)`,
  /** A message sent in, owed only to an account that has an SMPP credential. */
  oweInbound: `INSERT INTO smpp_outbox (account_id, kind, ref, expires_at)
     SELECT @accountId, 'mo', @ref, @expiresAt WHERE EXISTS (SELECT 1 FROM face_credentials WHERE account_id = @accountId AND protocol = 'smpp' AND revoked_at IS NULL)`,
  /** The account's oldest rows not out now, in order. */
  due: `SELECT seq, kind, ref, expires_at, attempts FROM smpp_outbox
     WHERE account_id = @accountId AND (lease_until IS NULL OR lease_until <= @now) ORDER BY seq LIMIT +@limit`,
  lease: `UPDATE smpp_outbox SET lease_until = @leaseUntil WHERE seq IN (SELECT value FROM json_each(@seqs))`,
  finish: `DELETE FROM smpp_outbox WHERE seq IN (SELECT value FROM json_each(@seqs))`,
  retry: `UPDATE smpp_outbox SET lease_until = @at, attempts = attempts + 1 WHERE seq IN (SELECT value FROM json_each(@seqs))`,
  messages: `SELECT * FROM messages WHERE id IN (SELECT value FROM json_each(@ids))`,
  inbound: `SELECT * FROM inbound_messages WHERE id IN (SELECT value FROM json_each(@ids))`,
} as const;
