/**
 * The dispatcher's and the receipt path's statements, exported so that a test can check their
 * query plans: each reaches its rows through an index, whatever the backlog.
 */
const claim = (pick: string) => `WITH picked AS (${pick})
     UPDATE messages m SET lease_owner = $4, due_at = $5,
       attempts = m.attempts + (CASE WHEN $6 AND m.status IN ('queued', 'scheduled') AND m.expires_at > $2 THEN 1 ELSE 0 END),
       updated_at = CASE WHEN $6 AND m.status IN ('queued', 'scheduled') AND m.expires_at > $2 THEN $2 ELSE m.updated_at END,
       status = CASE WHEN $6 AND m.status IN ('queued', 'scheduled') AND m.expires_at > $2 THEN 'sending' ELSE m.status END
     FROM picked WHERE m.id = picked.id
     RETURNING m.*, picked.status AS claimed_from`;

export const DISPATCH_SQL = {
  /**
   * Leases a connection's due messages, soonest first, and starts those ready to send ($1
   * connection, $2 now, $3 limit, $4 owner, $5 lease until, $6 send). SKIP LOCKED: rows another
   * node is claiming right now are left to it, not waited for.
   */
  claimDue: claim(`SELECT id, status FROM messages WHERE connection = $1 AND due_at <= $2 ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED`),
  /**
   * While a connection cannot send, only messages past their validity are taken (to expire): found
   * by validity, not by walking every due message of a connection that may hold a large backlog.
   */
  claimExpired: claim(
    `SELECT id, status FROM messages WHERE connection = $1 AND expires_at <= $2 AND due_at IS NOT NULL AND due_at <= $2 ORDER BY expires_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
  ),
  /** Submit marks (see SubmitMark): each only under a claim whose lease runs past its `heldUntil` ($1 ids, $2 owners, $3 attempts, $4 held until). */
  mark: `UPDATE messages m SET submitted_attempt = w.attempt
     FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[]) AS w(id, owner, attempt, held_until)
     WHERE m.id = w.id AND m.status = 'sending' AND m.lease_owner = w.owner AND m.attempts = w.attempt AND m.due_at > w.held_until
     RETURNING m.id`,
  /** The message a receipt's provider id belongs to. */
  findProviderIds: 'SELECT provider_message_id, message_id, part, parts FROM provider_ids WHERE connection = $1 AND provider_message_id = ANY($2::text[])',
} as const;
