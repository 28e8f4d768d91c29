/**
 * The statements webhook delivery runs for every event, exported so that a test can check
 * their query plans: each one reaches its rows through an index, whatever the backlog.
 *
 * Locks: a claim never waits (targets and deliveries it takes are SKIP LOCKED); an answer locks
 * its delivery, then the next of its chain, then its target; queuing locks the pending heads of
 * its chains (FOR SHARE: an answer ending one either promotes the new delivery or is seen to have
 * ended it), and touches its targets, in their order, as the last statement of its transaction.
 * Targets are always taken last: no cycle.
 */
export const WEBHOOK_SQL = {
  /**
   * Fans events out ($1..$6: id, account, message, type, at, callback URL) to the accounts'
   * endpoints and callback URLs. A delivery is due only at the head of its (message, target) chain.
   */
  emit: `WITH ev AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[]) WITH ORDINALITY AS ev(id, account_id, message_id, type, at, callback_url, n)),
     fan AS (
       SELECT ev.id, ev.account_id, ev.message_id, ev.at, ev.n, w.id AS endpoint_id, w.id AS target, w.url FROM ev
         JOIN webhook_endpoints w ON w.account_id = ev.account_id AND w.disabled_at IS NULL
          AND (w.events = '*' OR position(',' || ev.type || ',' in ',' || w.events || ',') > 0)
       UNION ALL
       SELECT ev.id, ev.account_id, ev.message_id, ev.at, ev.n, NULL, 'callback:' || ev.callback_url, ev.callback_url FROM ev WHERE ev.callback_url IS NOT NULL),
     heads AS (
       SELECT p.message_id, p.target FROM (SELECT DISTINCT message_id, target FROM fan) f
         JOIN webhook_deliveries p ON p.message_id = f.message_id AND p.target = f.target AND p.status = 'pending' FOR SHARE OF p),
     ranked AS (
       SELECT fan.*, row_number() OVER (PARTITION BY fan.message_id, fan.target ORDER BY fan.n) AS k FROM fan),
     made AS (
       INSERT INTO webhook_deliveries (id, event_id, account_id, message_id, endpoint_id, target, url, status, due_at, created_at)
       SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), r.id, r.account_id, r.message_id, r.endpoint_id, r.target, r.url, 'pending',
              CASE WHEN r.k = 1 AND NOT EXISTS (SELECT 1 FROM heads h WHERE h.message_id = r.message_id AND h.target = r.target) THEN r.at END, r.at
         FROM ranked r ORDER BY r.n, r.target
       RETURNING target, endpoint_id, due_at)
     SELECT * FROM made`,
  /**
   * Counts new deliveries on their targets ($1..$5: target, endpoint, how many, earliest due,
   * how many due, in target order) and wakes the targets with one due (unless backing off).
   * The last statement of its transaction: a target's row is held until commit, and nothing
   * else is waited for while holding it.
   */
  touchTargets: `INSERT INTO webhook_targets AS t (target, endpoint_id, pending, active_at, version)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::int[])
     ON CONFLICT (target) DO UPDATE SET pending = t.pending + excluded.pending, version = t.version + excluded.version,
       active_at = CASE WHEN excluded.active_at IS NULL THEN t.active_at WHEN t.active_at IS NULL THEN excluded.active_at
                        WHEN t.failures > 0 THEN t.active_at ELSE LEAST(t.active_at, excluded.active_at) END`,
  /** Posts whose lease lapsed (their node died): taken over, already counted in flight on their target. ($1 now, $2 limit, $3 lease until, $4 owner) */
  lapsed: `WITH r AS (
       SELECT seq FROM webhook_deliveries WHERE status = 'pending' AND lease_owner IS NOT NULL AND due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE webhook_deliveries d SET due_at = $3, lease_owner = $4 FROM r WHERE d.seq = r.seq RETURNING d.seq`,
  /** Targets with something due and room for another post (one at a time while failing); one node claims from a target at a time. ($1 now, $2 per target, $3 limit) */
  activeTargets: `SELECT t.target, t.in_flight, t.failures, t.version, w.disabled_at, w.disabled_reason FROM webhook_targets t
       LEFT JOIN webhook_endpoints w ON w.id = t.endpoint_id
      WHERE t.active_at <= $1 AND t.in_flight < (CASE WHEN t.failures > 0 THEN 1 ELSE $2 END)
      ORDER BY t.active_at LIMIT $3 FOR UPDATE OF t SKIP LOCKED`,
  /** Leases a target's due deliveries, oldest due first. ($1 target, $2 now, $3 limit, $4 lease until, $5 owner) */
  leaseReady: `WITH r AS (
       SELECT seq FROM webhook_deliveries WHERE target = $1 AND status = 'pending' AND lease_owner IS NULL AND due_at <= $2 ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE webhook_deliveries d SET due_at = $4, lease_owner = $5 FROM r WHERE d.seq = r.seq RETURNING d.seq`,
  /** What still waits for an endpoint disabled since, due or not: given up, with the reason. ($1 target, $2 limit, $3 reason) */
  dropWaiting: `WITH r AS (
       SELECT seq FROM webhook_deliveries WHERE target = $1 AND status = 'pending' AND lease_owner IS NULL ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE webhook_deliveries d SET status = 'failed', due_at = NULL, last_error = $3 FROM r WHERE d.seq = r.seq RETURNING d.seq`,
  dropped: `UPDATE webhook_targets SET pending = pending - $2, failed = failed + $2 WHERE target = $1`,
  /** A target with nothing due sleeps until its next due delivery, unless one came due meanwhile. ($1 target, $2 now, $3 version) */
  parkTarget: `UPDATE webhook_targets SET active_at = (
       SELECT min(due_at) FROM webhook_deliveries WHERE target = $1 AND status = 'pending' AND lease_owner IS NULL AND due_at > $2)
     WHERE target = $1 AND version = $3`,
  addInFlight: `UPDATE webhook_targets SET in_flight = in_flight + $2 WHERE target = $1`,
  claimed: `SELECT d.*, e.type AS event_type, e.created_at AS event_created_at, e.data AS event_data, COALESCE(w.secret, s.secret) AS secret, COALESCE(t.failures, 0) AS target_failures
       FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
       LEFT JOIN webhook_endpoints w ON w.id = d.endpoint_id LEFT JOIN callback_secrets s ON s.account_id = d.account_id
       LEFT JOIN webhook_targets t ON t.target = d.target
      WHERE d.seq = ANY($1::bigint[]) ORDER BY d.seq`,
  /** The answer of the lease holder; anyone else's is too late. ($1 at, $2 status code, $3 error, $4 status, $5 retry at, $6 id, $7 owner) */
  record: `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = $1, last_status_code = $2, last_error = $3,
       status = $4, due_at = $5, lease_owner = NULL WHERE id = $6 AND status = 'pending' AND lease_owner = $7
     RETURNING message_id, target`,
  /** The head of a chain ended: the next event of the same message to the same target becomes due. ($1 at, $2 message, $3 target) */
  promote: `UPDATE webhook_deliveries SET due_at = $1 WHERE seq = (
       SELECT seq FROM webhook_deliveries WHERE message_id = $2 AND target = $3 AND status = 'pending' ORDER BY seq LIMIT 1) AND due_at IS NULL`,
  /**
   * A post answered: its slot frees; a failure holds the whole target until its retry time (then
   * one probe); a success lets it go at full pace again. ($1 target, $2 ok, $3 ended, $4 retry at, $5 at)
   */
  answered: `UPDATE webhook_targets SET in_flight = GREATEST(in_flight - 1, 0), failures = CASE WHEN $2::int = 1 THEN 0 ELSE failures + 1 END,
       pending = pending - $3::int, delivered = delivered + $2::int, failed = failed + ($3::int - $2::int),
       active_at = CASE WHEN $4::bigint IS NOT NULL THEN $4::bigint WHEN failures > 0 OR active_at IS NULL THEN $5::bigint ELSE LEAST(active_at, $5::bigint) END, version = version + 1
     WHERE target = $1`,
  /** Endpoints' targets, read for metrics and the endpoints API (a table of one row per target). ($1 ids or null) */
  targets: `SELECT t.*, (SELECT d.created_at FROM webhook_deliveries d WHERE d.target = t.target AND d.status = 'pending' ORDER BY d.seq LIMIT 1) AS oldest
     FROM webhook_targets t WHERE t.endpoint_id IS NOT NULL AND ($1::text[] IS NULL OR t.target = ANY($1::text[]))`,
  /** A disabled endpoint's target is looked at at once, so what waits for it is dropped. ($1 target, $2 at) */
  wake: `UPDATE webhook_targets SET active_at = $2 WHERE target = $1`,
  /** An endpoint deleted: what was on its way there goes with it. */
  dropTarget: `UPDATE webhook_deliveries SET status = 'failed', due_at = NULL, lease_owner = NULL, last_error = 'endpoint deleted' WHERE target = $1 AND status = 'pending'`,
} as const;
