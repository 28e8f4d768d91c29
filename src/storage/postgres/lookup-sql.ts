import { LOOKUP_COLUMNS } from '../lookup-rows.js';

/** Lookup statements on PostgreSQL, by name, so the query-plan test checks each: read by number through lookups_number. */
export const LOOKUP_SQL = {
  /** Fresh lookups of the numbers ($1), the account's ($3) or anyone's: newestPerNumber picks each number's newest. */
  latest: `SELECT ${LOOKUP_COLUMNS} FROM lookups WHERE number = ANY($1::text[]) AND at >= $2 AND ($3::text IS NULL OR account_id = $3)`,
  get: `SELECT ${LOOKUP_COLUMNS} FROM lookups WHERE id = $1 AND account_id = $2`,
} as const;
