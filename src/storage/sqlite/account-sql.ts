import { branchColumns, keyAccountColumns } from '../rows.js';

/** What the key look-up reads of the accounts above the key's (see branchColumns). */
export const KEY_BRANCH = branchColumns({
  // Account ids hold no quote: the path reads as a JSON array of them.
  ancestry: `p.id IN (SELECT value FROM json_each('["' || replace(a.path, '/', '","') || '"]'))`,
  inTrial: 'p.trial = 1',
  listsAsJson: 'json_group_array(p.ip_allowlist)',
});

/** What a key's or a credential's look-up reads of its account `a`. */
export const KEY_ACCOUNT_COLUMNS = keyAccountColumns(KEY_BRANCH, 'json_group_array(n.number)');

/** Statements run with an account's requests whatever the number of accounts, exported so that a test can check their plans. */
export const ACCOUNT_SQL = {
  /** The branch of one account, as every key look-up reads it. */
  branch: `SELECT ${KEY_BRANCH} FROM accounts a WHERE a.id = @id`,
  /** Which recipients of a send the account (in trial) has verified. */
  verified: 'SELECT number FROM verified_numbers WHERE account_id = @account AND number IN (SELECT value FROM json_each(@numbers)) AND verified_at IS NOT NULL',
};
