import { SUBSCRIPTIONS_SQL } from '../subscriptions.js';

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
  /** What the enabled endpoints of the accounts at hand ($1) take: an event none takes is not stored. */
  subscriptions: `${SUBSCRIPTIONS_SQL} AND account_id = ANY($1::text[])`,
  /**
   * Fans events out ($1..$6: id, account, message, type, at, callback URL) to the accounts'
   * endpoints and callback URLs. A delivery is due only at the head of its (message, target) chain.
   * Its id is its event's (time-ordered) and a random suffix: the index grows at one end.
   * With an owner ($7), up to $10 heads are leased to it until $8 as they are made, where their
   * target has nothing waiting, no failures, and fewer than $9 (times its batch size) posts in
   * flight, counting those leased before them here; the targets are read, not locked (they are
   * locked last, by touchTargets), so nodes emitting at once may overshoot a target's share by
   * a few. A leased delivery comes back whole, with what signs it.
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
     headed AS (
       SELECT r.*, r.k = 1 AND NOT EXISTS (SELECT 1 FROM heads h WHERE h.message_id = r.message_id AND h.target = r.target) AS head,
              $7::text IS NOT NULL AND COALESCE(t.failures, 0) = 0 AND t.active_at IS NULL AS open,
              COALESCE(t.in_flight, 0) AS in_flight, $9::int * COALESCE(w.batch_max_events, 1) AS cap
         FROM ranked r LEFT JOIN webhook_targets t ON t.target = r.target LEFT JOIN webhook_endpoints w ON w.id = r.endpoint_id),
     fitting AS (
       SELECT h.*, h.head AND h.open AND h.in_flight + row_number() OVER (PARTITION BY h.target, h.head AND h.open ORDER BY h.n) <= h.cap AS fits FROM headed h),
     taken AS (
       SELECT f.*, f.fits AND row_number() OVER (PARTITION BY f.fits ORDER BY f.n) <= $10::int AS leased FROM fitting f),
     made AS (
       INSERT INTO webhook_deliveries (id, event_id, account_id, message_id, endpoint_id, target, url, status, due_at, lease_owner, created_at)
       SELECT 'whd_' || substr(r.id, 5) || lpad(to_hex((random() * 16777215)::int), 6, '0'), r.id, r.account_id, r.message_id, r.endpoint_id, r.target, r.url, 'pending',
              CASE WHEN r.leased THEN $8::bigint WHEN r.head THEN r.at END, CASE WHEN r.leased THEN $7::text END, r.at
         FROM taken r ORDER BY r.n, r.target
       RETURNING *)
     SELECT m.*, COALESCE(w.secret, s.secret) AS secret, w.batch_max_events, w.batch_max_wait_ms FROM made m
       LEFT JOIN webhook_endpoints w ON m.lease_owner IS NOT NULL AND w.id = m.endpoint_id
       LEFT JOIN callback_secrets s ON m.lease_owner IS NOT NULL AND m.endpoint_id IS NULL AND s.account_id = m.account_id`,
  /**
   * Counts new deliveries on their targets ($1..$6: target, endpoint, how many, earliest due,
   * how many due, how many leased as made, in target order) and wakes the targets with one due
   * and waiting for a claim (unless backing off).
   * The last statement of its transaction: a target's row is held until commit, and nothing
   * else is waited for while holding it.
   */
  touchTargets: `INSERT INTO webhook_targets AS t (target, endpoint_id, pending, active_at, version, in_flight)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::int[], $6::int[])
     ON CONFLICT (target) DO UPDATE SET pending = t.pending + excluded.pending, version = t.version + excluded.version, in_flight = t.in_flight + excluded.in_flight,
       active_at = CASE WHEN excluded.active_at IS NULL THEN t.active_at WHEN t.active_at IS NULL THEN excluded.active_at
                        WHEN t.failures > 0 THEN t.active_at ELSE LEAST(t.active_at, excluded.active_at) END`,
  /** Posts whose lease lapsed (their node died): taken over, already counted in flight on their target. ($1 now, $2 limit, $3 lease until, $4 owner) */
  lapsed: `WITH r AS (
       SELECT seq FROM webhook_deliveries WHERE status = 'pending' AND lease_owner IS NOT NULL AND due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE webhook_deliveries d SET due_at = $3, lease_owner = $4 FROM r WHERE d.seq = r.seq RETURNING d.seq`,
  /**
   * Targets with something due and room for another post (one delivery at a time while failing;
   * an endpoint that batches holds `perTarget` posts of its batch size); one node claims from a
   * target at a time. ($1 now, $2 per target, $3 limit)
   */
  activeTargets: `SELECT t.target, t.in_flight, t.failures, t.version, w.disabled_at, w.disabled_reason,
       CASE WHEN t.failures > 0 THEN 1 ELSE $2 * COALESCE(w.batch_max_events, 1) END AS cap FROM webhook_targets t
       LEFT JOIN webhook_endpoints w ON w.id = t.endpoint_id
      WHERE t.active_at <= $1 AND t.in_flight < (CASE WHEN t.failures > 0 THEN 1 ELSE $2 * COALESCE(w.batch_max_events, 1) END)
      ORDER BY t.active_at LIMIT $3 FOR UPDATE OF t SKIP LOCKED`,
  /** Leases a target's due deliveries, oldest due first. ($1 target, $2 now, $3 limit, $4 lease until, $5 owner) */
  leaseReady: `WITH r AS (
       SELECT seq FROM webhook_deliveries WHERE target = $1 AND status = 'pending' AND lease_owner IS NULL AND due_at <= $2 ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE webhook_deliveries d SET due_at = $4, lease_owner = $5 FROM r WHERE d.seq = r.seq RETURNING d.seq`,
  /** What still waits for an endpoint disabled since, due or not: given up, with the reason. ($1 target, $2 limit, $3 reason) */
  dropWaiting: `WITH r AS (
       SELECT seq FROM webhook_deliveries WHERE target = $1 AND endpoint_id IS NOT NULL AND status = 'pending' AND lease_owner IS NULL ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE webhook_deliveries d SET status = 'failed', due_at = NULL, last_error = $3 FROM r WHERE d.seq = r.seq RETURNING d.seq`,
  dropped: `UPDATE webhook_targets SET pending = pending - $2, failed = failed + $2 WHERE target = $1`,
  /**
   * A target claimed from sleeps until its earliest waiting delivery is due (none: until one
   * comes), unless one came due meanwhile; while it sleeps, its new events are leased as made.
   * That one may be due already: it was skipped because an emit holds it as the head of its
   * chain (FOR SHARE), or the claim had no room for it; it is looked at again at the next claim.
   * ($1 target, $2 version)
   */
  parkTarget: `UPDATE webhook_targets SET active_at = (
       SELECT min(due_at) FROM webhook_deliveries WHERE target = $1 AND status = 'pending' AND lease_owner IS NULL AND due_at IS NOT NULL)
     WHERE target = $1 AND version = $2`,
  addInFlight: `UPDATE webhook_targets SET in_flight = in_flight + $2 WHERE target = $1`,
  claimed: `SELECT d.*, e.type AS event_type, e.created_at AS event_created_at, e.data AS event_data, COALESCE(w.secret, s.secret) AS secret, COALESCE(t.failures, 0) AS target_failures,
       w.batch_max_events, w.batch_max_wait_ms
       FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
       LEFT JOIN webhook_endpoints w ON w.id = d.endpoint_id LEFT JOIN callback_secrets s ON s.account_id = d.account_id
       LEFT JOIN webhook_targets t ON t.target = d.target
      WHERE d.seq = ANY($1::bigint[]) ORDER BY d.seq`,
  /**
   * The answers of the lease holders, one row each; anyone else's is too late. ($1 ids, $2 owners,
   * $3 at, $4 status codes, $5 errors, $6 statuses, $7 retry times)
   */
  record: `UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_attempt_at = o.at, last_status_code = o.status_code, last_error = o.error,
       status = o.status, due_at = o.retry_at, lease_owner = NULL
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[], $5::text[], $6::text[], $7::bigint[]) AS o(id, owner, at, status_code, error, status, retry_at)
      WHERE d.id = o.id AND d.status = 'pending' AND d.lease_owner = o.owner
     RETURNING d.id, d.message_id, d.target`,
  /** Every attempt of the recorded answers. ($1 ids, $2 at, $3 status codes, $4 errors, $5 latencies, $6 excerpts) */
  attempts: `INSERT INTO webhook_attempts (delivery_id, at, status_code, error, latency_ms, response_excerpt)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[], $5::int[], $6::text[])`,
  /** Heads of chains ended: the next event of each message to the same target becomes due. ($1 at, $2 messages, $3 targets) */
  promote: `UPDATE webhook_deliveries d SET due_at = h.at FROM (
       SELECT u.at, (SELECT p.seq FROM webhook_deliveries p WHERE p.message_id = u.message_id AND p.target = u.target AND p.status = 'pending' ORDER BY p.seq LIMIT 1) AS seq
         FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(at, message_id, target)) h
      WHERE d.seq = h.seq AND d.due_at IS NULL
     RETURNING d.message_id, d.target`,
  /**
   * Posts answered (folded per target: see foldAnswers): their slots free; a failure holds the
   * whole target until its retry time (then one probe); a success lets it go at full pace again,
   * and the next events of their messages ($9 of them) are due. A target already waiting keeps
   * its time, or wakes at $10 if earlier (a failure a later success reset is still to be tried
   * again); one with nothing that came due stays asleep (a claim would find nothing).
   * ($1 target, $2 posts, $3 ok, $4 ended, $5 reset, $6 failures, $7 retry at, $8 at, $9 promoted, $10 wake at)
   */
  answered: `UPDATE webhook_targets SET in_flight = GREATEST(in_flight - $2::int, 0), failures = CASE WHEN $5::boolean THEN $6::int ELSE GREATEST(failures, $6::int) END,
       pending = pending - $4::int, delivered = delivered + $3::int, failed = failed + ($4::int - $3::int),
       active_at = CASE WHEN $7::bigint IS NOT NULL THEN $7::bigint WHEN failures > 0 THEN $8::bigint WHEN $9::int > 0 THEN LEAST(COALESCE(active_at, $8::bigint), $8::bigint)
         WHEN $10::bigint IS NOT NULL THEN LEAST(COALESCE(active_at, $10::bigint), $10::bigint) ELSE active_at END,
       version = version + 1
     WHERE target = $1`,
  /** Since when the endpoint fails, or null: it answers (written only when that changes). ($1 id, $2 reset, $3 failing since) */
  failing: `UPDATE webhook_endpoints SET failing_since = CASE WHEN $2::boolean THEN $3::bigint ELSE COALESCE(failing_since, $3::bigint) END
     WHERE id = $1 AND failing_since IS DISTINCT FROM (CASE WHEN $2::boolean THEN $3::bigint ELSE COALESCE(failing_since, $3::bigint) END)`,
  /** Endpoints' targets, read for metrics and the endpoints API (a table of one row per target). ($1 ids or null) */
  targets: `SELECT t.*, (SELECT d.created_at FROM webhook_deliveries d WHERE d.target = t.target AND d.endpoint_id IS NOT NULL AND d.status = 'pending' ORDER BY d.seq LIMIT 1) AS oldest
     FROM webhook_targets t WHERE t.endpoint_id IS NOT NULL AND ($1::text[] IS NULL OR t.target = ANY($1::text[]))`,
  /** A disabled endpoint's target is looked at at once, so what waits for it is dropped. ($1 target, $2 at) */
  wake: `UPDATE webhook_targets SET active_at = $2 WHERE target = $1`,
  /** A delivery to queue again, with its endpoint as it is now (none: deleted). ($1 account, $2 delivery) */
  resendOf: `SELECT d.*, w.id AS endpoint_found, w.url AS endpoint_url, w.disabled_at AS endpoint_disabled_at
       FROM webhook_deliveries d
       -- A lookup by key for the one delivery (LIMIT keeps the planner from merging the whole table in).
       LEFT JOIN LATERAL (SELECT id, url, disabled_at FROM webhook_endpoints WHERE id = d.endpoint_id LIMIT 1) w ON true
      WHERE d.account_id = $1 AND d.id = $2`,
  /**
   * The resend: a new delivery of the same event to the same target, due only at the head of its
   * chain; the chain's pending deliveries are held (FOR SHARE) as an emit holds them.
   * ($1 id, $2 event, $3 account, $4 message, $5 endpoint, $6 target, $7 url, $8 at, $9 resent delivery)
   */
  resend: `WITH heads AS (
       SELECT p.seq FROM webhook_deliveries p WHERE p.message_id = $4 AND p.target = $6 AND p.status = 'pending' FOR SHARE OF p)
     INSERT INTO webhook_deliveries (id, event_id, account_id, message_id, endpoint_id, target, url, status, due_at, created_at, resend_of)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', CASE WHEN EXISTS (SELECT 1 FROM heads) THEN NULL ELSE $8::bigint END, $8, $9)
     RETURNING *`,
  /** The webhook log in the order it was made, from a position on: what its retention looks at (see Store.pruneWebhookLog). ($1 after, $2 limit) */
  logAfter: `SELECT seq, id, event_id, status, created_at FROM webhook_deliveries WHERE seq > $1 ORDER BY seq LIMIT $2`,
  /**
   * Deletes deliveries ($1 seqs, $2 ids) with their attempts, and their events ($3) once none of
   * theirs is left (a resend of one is made later): one snapshot, so the deliveries deleted here
   * still show and are left out by name.
   */
  prune: `WITH attempts AS (DELETE FROM webhook_attempts WHERE delivery_id = ANY($2::text[])),
       gone AS (DELETE FROM webhook_deliveries WHERE seq = ANY($1::bigint[]))
     DELETE FROM webhook_events e WHERE e.id = ANY($3::text[]) AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.seq <> ALL($1::bigint[]))`,
  /** An endpoint deleted: what was on its way there goes with it. */
  dropTarget: `UPDATE webhook_deliveries SET status = 'failed', due_at = NULL, lease_owner = NULL, last_error = 'endpoint deleted' WHERE target = $1 AND endpoint_id IS NOT NULL AND status = 'pending'`,
} as const;
