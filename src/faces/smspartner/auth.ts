import type { FaceCaller, FaceCredentials } from '../../app/credentials.js';
import { SwitchboardError } from '../../core/errors.js';
import { sameSecret } from '../../providers/http/params.js';
import { KEY_ID_LENGTH } from './credential.js';

/** The caller of a request: its `apiKey` (query, form or JSON body), the account's SMSPartner credential. */
export async function authenticate(credentials: FaceCredentials, params: Readonly<Record<string, string>>): Promise<FaceCaller> {
  const apiKey = params.apiKey;
  if (!apiKey) throw new SwitchboardError('missing_api_key', 'The API key is required: give apiKey.', { param: 'apiKey' });
  const caller = apiKey.length > KEY_ID_LENGTH ? await credentials.authenticate('smspartner', apiKey.slice(0, KEY_ID_LENGTH)) : undefined;
  if (!caller || !sameSecret(apiKey, caller.credential.secret)) throw new SwitchboardError('invalid_api_key', 'Incorrect API key: it is unknown or revoked.', { param: 'apiKey' });
  return caller;
}
