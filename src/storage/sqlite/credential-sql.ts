import { KEY_ACCOUNT_COLUMNS } from './account-sql.js';

/** What a compatible API's request runs to authenticate, exported so that a test can check its plan. */
export const CREDENTIAL_SQL = {
  /** Active credentials of a protocol by key (@keys a JSON array), each with its account as a request needs it. */
  findCredential: `SELECT face_credentials.*, ${KEY_ACCOUNT_COLUMNS} FROM face_credentials JOIN accounts a ON a.id = face_credentials.account_id
     WHERE face_credentials.protocol = @protocol AND face_credentials.key IN (SELECT value FROM json_each(@keys)) AND face_credentials.revoked_at IS NULL`,
};
