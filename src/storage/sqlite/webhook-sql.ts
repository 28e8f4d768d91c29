/**
 * The statements webhook delivery runs for every event, exported so that a test can check
 * their query plans: each one reaches its rows through an index, whatever the backlog.
 */
export const WEBHOOK_SQL = {
  /** An account's enabled endpoints, which the store keeps until one changes: its events are fanned out without reading them. */
  endpoints: `SELECT id, url, events, secret, batch_max_events, batch_max_wait_ms FROM webhook_endpoints WHERE account_id = @accountId AND disabled_at IS NULL`,
  /** Whether an earlier event of the message still waits for the target: a new one is due only at the head of its chain. */
  chained: `SELECT 1 FROM webhook_deliveries WHERE message_id = @messageId AND target = @target AND status = 'pending' LIMIT 1`,
  /** What decides whether a new head is leased as it is made (see SqliteStore's queueing); no row: nothing in flight yet. */
  targetState: `SELECT failures, active_at, in_flight FROM webhook_targets WHERE target = @target`,
  /**
   * A delivery, made whole by the store: with plain values, as an INSERT ... SELECT with its
   * look-ups cost three times as much. Its id is time-ordered, so its index grows at one end.
   */
  insert: `INSERT INTO webhook_deliveries (id, event_id, account_id, message_id, endpoint_id, target, url, status, due_at, lease_owner, created_at)
     VALUES (@id, @eventId, @accountId, @messageId, @endpointId, @target, @url, 'pending', @dueAt, @leaseOwner, @at)`,
  /**
   * Counts a new delivery on its target (in flight, when leased as it was made) and, when it is
   * due and waits for a claim, wakes the target (unless it is backing off).
   */
  touchTarget: `INSERT INTO webhook_targets (target, endpoint_id, pending, in_flight, active_at, version) VALUES (@target, @endpointId, 1, @leased, @due, 1)
     ON CONFLICT (target) DO UPDATE SET pending = pending + 1, in_flight = in_flight + @leased, version = version + (@due IS NOT NULL),
       active_at = CASE WHEN @due IS NULL THEN active_at WHEN active_at IS NULL THEN @due WHEN failures > 0 THEN active_at ELSE min(active_at, @due) END`,
  /** Posts whose lease lapsed (their node died): taken over, already counted in flight on their target. */
  lapsed: `SELECT seq FROM webhook_deliveries WHERE status = 'pending' AND lease_owner IS NOT NULL AND due_at <= @now ORDER BY due_at LIMIT +@limit`,
  /**
   * Targets with something due and room for another post: one delivery at a time while failing;
   * an endpoint that batches holds `perTarget` posts of its batch size.
   */
  activeTargets: `SELECT t.target, t.in_flight, t.failures, t.version, w.disabled_at, w.disabled_reason,
       CASE WHEN t.failures > 0 THEN 1 ELSE @perTarget * COALESCE(w.batch_max_events, 1) END AS cap FROM webhook_targets t
      LEFT JOIN webhook_endpoints w ON w.id = t.endpoint_id
     WHERE t.active_at <= @now AND t.in_flight < (CASE WHEN t.failures > 0 THEN 1 ELSE @perTarget * COALESCE(w.batch_max_events, 1) END)
     ORDER BY t.active_at LIMIT +@limit`,
  /** A target's due deliveries, oldest due first. */
  readyOfTarget: `SELECT seq, message_id FROM webhook_deliveries WHERE target = @target AND status = 'pending' AND lease_owner IS NULL AND due_at <= @now ORDER BY due_at LIMIT +@limit`,
  /**
   * A target claimed from sleeps until its earliest waiting delivery is due (none: until one
   * comes), unless one came due meanwhile; while it sleeps, its new events are leased as made.
   */
  parkTarget: `UPDATE webhook_targets SET active_at = (
       SELECT min(due_at) FROM webhook_deliveries WHERE target = @target AND status = 'pending' AND lease_owner IS NULL AND due_at IS NOT NULL)
     WHERE target = @target AND version = @version`,
  lease: `UPDATE webhook_deliveries SET due_at = @leaseUntil, lease_owner = @owner WHERE seq IN (SELECT value FROM json_each(@seqs))`,
  addInFlight: `UPDATE webhook_targets SET in_flight = in_flight + @n WHERE target = @target`,
  claimed: `SELECT d.*, e.type AS event_type, e.created_at AS event_created_at, e.data AS event_data, COALESCE(w.secret, c.secret) AS secret, COALESCE(t.failures, 0) AS target_failures,
       w.batch_max_events, w.batch_max_wait_ms
       FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
       LEFT JOIN webhook_endpoints w ON w.id = d.endpoint_id LEFT JOIN callback_secrets c ON c.account_id = d.account_id
       LEFT JOIN webhook_targets t ON t.target = d.target
      WHERE d.seq IN (SELECT value FROM json_each(@seqs)) ORDER BY d.seq`,
  /** What still waits for an endpoint disabled since, due or not: given up, with the reason. */
  waitingOfTarget: `SELECT seq FROM webhook_deliveries WHERE target = @target AND endpoint_id IS NOT NULL AND status = 'pending' AND lease_owner IS NULL ORDER BY seq LIMIT +@limit`,
  drop: `UPDATE webhook_deliveries SET status = 'failed', due_at = NULL, last_error = @reason WHERE seq = @seq`,
  dropped: `UPDATE webhook_targets SET pending = pending - 1, failed = failed + 1 WHERE target = @target`,
  /** The answer of the lease holder; anyone else's is too late. */
  record: `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = @at, last_status_code = @statusCode, last_error = @error,
       status = @status, due_at = @retryAt, lease_owner = NULL WHERE id = @id AND status = 'pending' AND lease_owner = @owner
     RETURNING message_id, target`,
  /**
   * Posts answered (folded per target: see foldAnswers): their slots free; a failure holds the
   * whole target until `retryAt` (then one probe); a success lets it go at full pace again, and
   * the next events of their messages (`@promoted`) are due. A target already waiting keeps its
   * time, or wakes at `@wakeAt` if earlier (a failure a later success reset is still to be tried
   * again); one with nothing that came due stays asleep (a claim would find nothing).
   */
  answered: `UPDATE webhook_targets SET in_flight = max(in_flight - @n, 0), failures = CASE WHEN @reset THEN @failures ELSE max(failures, @failures) END,
       pending = pending - @ended, delivered = delivered + @ok, failed = failed + (@ended - @ok),
       active_at = CASE WHEN @retryAt IS NOT NULL THEN @retryAt WHEN failures > 0 THEN @at WHEN @promoted > 0 THEN min(COALESCE(active_at, @at), @at)
         WHEN @wakeAt IS NOT NULL THEN min(COALESCE(active_at, @wakeAt), @wakeAt) ELSE active_at END,
       version = version + 1
     WHERE target = @target`,
  /** Since when the endpoint fails, or null: it answers (written only when that changes). */
  failing: `UPDATE webhook_endpoints SET failing_since = CASE WHEN @reset THEN @failingSince ELSE COALESCE(failing_since, @failingSince) END
     WHERE id = @id AND failing_since IS NOT (CASE WHEN @reset THEN @failingSince ELSE COALESCE(failing_since, @failingSince) END)`,
  attempt: `INSERT INTO webhook_attempts (delivery_id, at, status_code, error, latency_ms, response_excerpt) VALUES (@id, @at, @statusCode, @error, @latencyMs, @excerpt)`,
  /** The head of a chain ended: the next event of the same message to the same target becomes due. */
  promote: `UPDATE webhook_deliveries SET due_at = @at WHERE seq = (
       SELECT seq FROM webhook_deliveries WHERE message_id = @messageId AND target = @target AND status = 'pending' ORDER BY seq LIMIT 1) AND due_at IS NULL`,
  /** Endpoints' targets, read for metrics and the endpoints API (a table of one row per target). */
  targets: `SELECT t.*, (SELECT d.created_at FROM webhook_deliveries d WHERE d.target = t.target AND d.endpoint_id IS NOT NULL AND d.status = 'pending' ORDER BY d.seq LIMIT 1) AS oldest
     FROM webhook_targets t WHERE t.endpoint_id IS NOT NULL AND (@ids IS NULL OR t.target IN (SELECT value FROM json_each(@ids)))`,
  /** A disabled endpoint's target is looked at at once, so what waits for it is dropped. */
  wake: `UPDATE webhook_targets SET active_at = @at WHERE target = @target`,
  /** A delivery to queue again, with its endpoint as it is now (none: deleted). */
  resendOf: `SELECT d.*, w.id AS endpoint_found, w.url AS endpoint_url, w.disabled_at AS endpoint_disabled_at
       FROM webhook_deliveries d LEFT JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.account_id = @accountId AND d.id = @deliveryId`,
  /** The resend: a new delivery of the same event to the same target, due only at the head of its chain. */
  resend: `INSERT INTO webhook_deliveries (id, event_id, account_id, message_id, endpoint_id, target, url, status, due_at, created_at, resend_of)
     VALUES (@id, @eventId, @accountId, @messageId, @endpointId, @target, @url, 'pending',
            CASE WHEN EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.message_id = @messageId AND p.target = @target AND p.status = 'pending') THEN NULL ELSE @at END, @at, @resendOf)
     RETURNING *`,
  /** The webhook log in the order it was made, from a position on: what its retention looks at (see Store.pruneWebhookLog). */
  logAfter: `SELECT seq, id, event_id, status, created_at FROM webhook_deliveries WHERE seq > @after ORDER BY seq LIMIT +@limit`,
  pruneAttempts: `DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT value FROM json_each(@ids))`,
  pruneDeliveries: `DELETE FROM webhook_deliveries WHERE seq IN (SELECT value FROM json_each(@seqs))`,
  /** Events of deliveries deleted, once none of theirs is left (a resend of one is made later). */
  pruneEvents: `DELETE FROM webhook_events WHERE id IN (SELECT value FROM json_each(@events)) AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)`,
  /** An endpoint deleted: what was on its way there goes with it. */
  dropTarget: `UPDATE webhook_deliveries SET status = 'failed', due_at = NULL, lease_owner = NULL, last_error = 'endpoint deleted' WHERE target = @target AND endpoint_id IS NOT NULL AND status = 'pending'`,
} as const;
