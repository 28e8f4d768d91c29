import { branchColumns, branchStatus, keyAccountColumns } from '../rows.js';

/** An account `p` in the path of account `a` (itself included), each found by its key. */
const ANCESTRY = "p.id = ANY(string_to_array(a.path, '/'))";

/** What the key look-up reads of the accounts above the key's (see branchColumns). */
export const KEY_BRANCH = branchColumns({ ancestry: ANCESTRY, inTrial: 'p.trial', listsAsJson: 'json_agg(p.ip_allowlist)::text' });

/** What a key's or a credential's look-up reads of its account `a`. */
export const KEY_ACCOUNT_COLUMNS = keyAccountColumns(KEY_BRANCH, 'json_agg(n.number)');

/** Statements run with an account's requests whatever the number of accounts, exported so that a test can check their plans. */
export const ACCOUNT_SQL = {
  /** The branch of one account, as every key look-up reads it. */
  branch: `SELECT ${KEY_BRANCH} FROM accounts a WHERE a.id = $1`,
  /** Which recipients of a send the account (in trial) has verified. */
  verified: 'SELECT number FROM verified_numbers WHERE account_id = $1 AND number = ANY($2::text[]) AND verified_at IS NOT NULL',
  /** The accounts of claimed messages that may not send now (see Store.inactiveAccounts). */
  inactive: `SELECT id, status FROM (SELECT a.id, ${branchStatus(ANCESTRY)} AS status FROM accounts a WHERE a.id = ANY($1::text[])) s WHERE status <> 'active'`,
};
