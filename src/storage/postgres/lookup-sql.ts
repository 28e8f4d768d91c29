import { LOOKUP_COLUMNS } from '../lookup-rows.js';

/** Lookup statements on PostgreSQL, by name, so the query-plan test checks each: read by number through lookups_number. */
export const LOOKUP_SQL = {
  /** Fresh lookups of the numbers ($1), the account's ($3) or anyone's: newestPerNumber picks each number's newest. */
  latest: `SELECT ${LOOKUP_COLUMNS} FROM lookups WHERE number = ANY($1::text[]) AND at >= $2 AND ($3::text IS NULL OR account_id = $3)`,
  get: `SELECT ${LOOKUP_COLUMNS} FROM lookups WHERE id = $1 AND account_id = $2`,
  /** A provider's later answer ($3...$8), into the pending lookups of the number ($2) through the connection ($1). */
  complete: `UPDATE lookups SET reachability = $3, network = $4, ported = $5, roaming = $6, error = $7, raw = $8
    WHERE number = $2 AND connection = $1 AND reachability = 'pending' RETURNING ${LOOKUP_COLUMNS}`,
} as const;
