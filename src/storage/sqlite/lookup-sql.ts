import { LOOKUP_COLUMNS } from '../lookup-rows.js';

/** Lookup statements on SQLite, by name, so the query-plan test checks each: read by number through lookups_number. */
export const LOOKUP_SQL = {
  /** Fresh lookups of the numbers (a JSON array), the account's or anyone's: newestPerNumber picks each number's newest. */
  latest: `SELECT ${LOOKUP_COLUMNS} FROM lookups WHERE number IN (SELECT value FROM json_each(@numbers)) AND at >= @since AND (@account IS NULL OR account_id = @account)`,
  get: `SELECT ${LOOKUP_COLUMNS} FROM lookups WHERE id = @id AND account_id = @account`,
  /** A provider's later answer, into the pending lookups of the number through the connection. */
  complete: `UPDATE lookups SET reachability = @reachability, network = @network, ported = @ported, roaming = @roaming, error = @error, raw = @raw
    WHERE number = @number AND connection = @connection AND reachability = 'pending' RETURNING ${LOOKUP_COLUMNS}`,
} as const;
