import { LATENCY_COLUMNS } from '../quality.js';

const COUNTS = ['submits', 'segments', 'delivered', 'undelivered', 'unknown', 'cost', ...LATENCY_COLUMNS];
const KEY = 'hour, connection, country, network';
const sums = COUNTS.map((c) => `sum(${c}) AS ${c}`).join(', ');

/**
 * Quality statements on PostgreSQL, by name, so the query-plan test checks each. Counters are added
 * to in one statement per transaction, each session in its own slot's rows (its backend's process
 * id modulo 16) so that nodes recording outcomes at once do not queue on one row; they are read as
 * one index range of the hours asked for.
 */
export const QUALITY_SQL = {
  /** $1 hours, $2-$4 connection, country, network, then one array per counter in COUNTS order. */
  add: `INSERT INTO quality_counts (${KEY}, slot, ${COUNTS.join(', ')})
    SELECT h, n, c, w, pg_backend_pid() % 16, ${COUNTS.map((_, i) => `v${i}`).join(', ')}
      FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], ${COUNTS.map((_, i) => `$${i + 5}::bigint[]`).join(', ')})
        AS u(h, n, c, w, ${COUNTS.map((_, i) => `v${i}`).join(', ')})
    ON CONFLICT (${KEY}, slot) DO UPDATE SET ${COUNTS.map((c) => `${c} = quality_counts.${c} + excluded.${c}`).join(', ')}`,
  addErrors: `INSERT INTO quality_errors (${KEY}, code, slot, count)
    SELECT h, n, c, w, code, pg_backend_pid() % 16, k FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]) AS u(h, n, c, w, code, k)
    ON CONFLICT (${KEY}, code, slot) DO UPDATE SET count = quality_errors.count + excluded.count`,
  totals: `SELECT connection, country, network, ${sums} FROM quality_counts
    WHERE hour >= $1 AND ($3::int IS NULL OR hour < $3) AND ($2::text IS NULL OR connection = $2) GROUP BY connection, country, network`,
  errors: `SELECT connection, country, network, code, sum(count) AS count FROM quality_errors
    WHERE hour >= $1 AND ($3::int IS NULL OR hour < $3) AND ($2::text IS NULL OR connection = $2) GROUP BY connection, country, network, code`,
  degradations: 'SELECT connection, country, reason, detail, since FROM degradations',
  degrade: 'INSERT INTO degradations (connection, country, reason, detail, since) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
  recover: 'DELETE FROM degradations WHERE connection = $1 AND country = $2',
} as const;

/** The counter columns, in the order `add` takes their arrays. */
export const QUALITY_COUNTS = COUNTS;
