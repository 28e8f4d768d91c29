import { KEY_ACCOUNT_COLUMNS } from './account-sql.js';

/** What a compatible API's request runs to authenticate, exported so that a test can check its plan. */
export const CREDENTIAL_SQL = {
  /** Active credentials of a protocol ($1) by key ($2), each with its account as a request needs it. */
  findCredential: `SELECT c.*, ${KEY_ACCOUNT_COLUMNS} FROM face_credentials c JOIN accounts a ON a.id = c.account_id
     WHERE c.protocol = $1 AND c.key = ANY($2::text[]) AND c.revoked_at IS NULL`,
};
