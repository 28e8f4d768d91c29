import { LATENCY_COLUMNS } from '../quality.js';

const added = (cols: readonly string[]) => cols.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
const COUNTS = ['submits', 'segments', 'delivered', 'undelivered', 'unknown', 'cost', ...LATENCY_COLUMNS];

/**
 * Quality statements on SQLite, by name, so the query-plan test checks each: counters are added to
 * by primary key, and read as one index range of the hours asked for.
 */
export const QUALITY_SQL = {
  add: `INSERT INTO quality_counts (hour, connection, country, network, slot, ${COUNTS.join(', ')})
    VALUES (@hour, @connection, @country, @network, 0, ${COUNTS.map((c) => `@${c}`).join(', ')})
    ON CONFLICT (hour, connection, country, network, slot) DO UPDATE SET ${added(COUNTS)}`,
  addError: `INSERT INTO quality_errors (hour, connection, country, network, code, slot, count) VALUES (@hour, @connection, @country, @network, @code, 0, @count)
    ON CONFLICT (hour, connection, country, network, code, slot) DO UPDATE SET count = count + excluded.count`,
  totals: `SELECT connection, country, network, ${COUNTS.map((c) => `sum(${c}) AS ${c}`).join(', ')}
    FROM quality_counts WHERE hour >= @since AND (@until IS NULL OR hour < @until) AND (@connection IS NULL OR connection = @connection) GROUP BY connection, country, network`,
  errors: `SELECT connection, country, network, code, sum(count) AS count
    FROM quality_errors WHERE hour >= @since AND (@until IS NULL OR hour < @until) AND (@connection IS NULL OR connection = @connection) GROUP BY connection, country, network, code`,
  degradations: 'SELECT connection, country, reason, detail, since FROM degradations',
  degrade: `INSERT INTO degradations (connection, country, reason, detail, since) VALUES (@connection, @country, @reason, @detail, @since) ON CONFLICT DO NOTHING`,
  recover: 'DELETE FROM degradations WHERE connection = @connection AND country = @country',
} as const;
