/**
 * The dispatcher's and the receipt path's statements, and the message log's, exported so that a
 * test can check their query plans: each reaches its rows through an index, whatever the backlog.
 */
export const DISPATCH_SQL = {
  /** Due messages of a connection, soonest first. */
  claimDue: `SELECT id, status FROM messages WHERE connection = @connection AND due_at <= @now ORDER BY due_at LIMIT +@limit`,
  /**
   * While a connection cannot send, only messages past their validity are taken (to expire): found
   * by validity, not by walking every due message of a connection that may hold a large backlog.
   */
  claimExpired: `SELECT id, status FROM messages INDEXED BY messages_expiring
      WHERE connection = @connection AND expires_at <= @now AND due_at IS NOT NULL AND due_at <= @now ORDER BY expires_at LIMIT +@limit`,
  /** One statement leases them all and starts those ready to send. */
  leaseClaimed: `UPDATE messages SET lease_owner = @owner, due_at = @leaseUntil,
       attempts = attempts + (CASE WHEN @send AND status IN ('queued', 'scheduled') AND expires_at > @now THEN 1 ELSE 0 END),
       updated_at = CASE WHEN @send AND status IN ('queued', 'scheduled') AND expires_at > @now THEN @now ELSE updated_at END,
       status = CASE WHEN @send AND status IN ('queued', 'scheduled') AND expires_at > @now THEN 'sending' ELSE status END
     WHERE id IN (SELECT value FROM json_each(@ids)) RETURNING *`,
  /** A submit mark (see SubmitMark): only under a claim whose lease runs past `heldUntil`. */
  mark: `UPDATE messages SET submitted_attempt = @attempt
     WHERE id = @id AND status = 'sending' AND lease_owner = @owner AND attempts = @attempt AND due_at > @heldUntil`,
  /** A message whole, by id. */
  message: 'SELECT * FROM messages WHERE id = @id',
  /** The message a receipt's provider id belongs to. */
  findProviderIds: 'SELECT provider_message_id, message_id, part, parts FROM provider_ids WHERE connection = @connection AND provider_message_id IN (SELECT value FROM json_each(@ids))',
} as const;
