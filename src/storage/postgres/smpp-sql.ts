/** The SMPP outbox's statements, exported so that a test can check their plans: each reaches its rows by the account's index. */
export const SMPP_SQL = {
  /** Receipts owed, in the transaction of the messages' final changes. */
  owe: `INSERT INTO smpp_outbox (account_id, kind, ref, expires_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])`,
  /** A message sent in, owed only to an account that has an SMPP credential. */
  oweInbound: `INSERT INTO smpp_outbox (account_id, kind, ref, expires_at)
     SELECT $1, 'mo', $2, $3 WHERE EXISTS (SELECT 1 FROM face_credentials WHERE account_id = $1 AND protocol = 'smpp' AND revoked_at IS NULL)`,
  /** The account's oldest rows not out now, in order, leased at once; rows another node is leasing are left to it. */
  claim: `UPDATE smpp_outbox SET lease_until = $3
     WHERE seq = ANY(ARRAY(SELECT seq FROM smpp_outbox WHERE account_id = $1 AND (lease_until IS NULL OR lease_until <= $2) ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED))
     RETURNING seq, kind, ref, expires_at, attempts`,
  finish: `DELETE FROM smpp_outbox WHERE seq = ANY($1::bigint[])`,
  retry: `UPDATE smpp_outbox SET lease_until = $2, attempts = attempts + 1 WHERE seq = ANY($1::bigint[])`,
  messages: `SELECT * FROM messages WHERE id = ANY($1::text[])`,
  inbound: `SELECT * FROM inbound_messages WHERE id = ANY($1::text[])`,
} as const;
