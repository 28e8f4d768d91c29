import { branchColumns, branchStatus, keyAccountColumns } from '../rows.js';

/** An account `p` in the path of account `a` (itself included); ids hold no quote, so the path reads as a JSON array. */
const ANCESTRY = `p.id IN (SELECT value FROM json_each('["' || replace(a.path, '/', '","') || '"]'))`;

/** What the key look-up reads of the accounts above the key's (see branchColumns). */
export const KEY_BRANCH = branchColumns({
  ancestry: ANCESTRY,
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
  /** The accounts of claimed messages that may not send now (see Store.inactiveAccounts). */
  inactive: `SELECT id, status FROM (SELECT a.id, ${branchStatus(ANCESTRY)} AS status FROM accounts a WHERE a.id IN (SELECT value FROM json_each(@ids))) WHERE status <> 'active'`,
};
