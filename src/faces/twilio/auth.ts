import type { FaceCaller, FaceCredentials } from '../../app/credentials.js';
import { SwitchboardError } from '../../core/errors.js';
import { sameSecret } from '../../providers/http/params.js';
import { basicCredentials } from '../params.js';

/**
 * The caller of a Messages API request: HTTP Basic with the Account SID and Auth Token, and the
 * SID in the path the one authenticated (an account reads and sends under its own SID only).
 */
export async function authenticate(credentials: FaceCredentials, pathSid: string, authorization: string | undefined): Promise<FaceCaller> {
  const basic = basicCredentials(authorization);
  if (!basic) throw new SwitchboardError('missing_api_key', 'Authenticate with HTTP Basic: your Account SID and Auth Token.');
  const caller = await credentials.authenticate('twilio', basic.key);
  if (!caller || !sameSecret(basic.secret, caller.credential.secret)) throw new SwitchboardError('invalid_api_key', 'Authenticate: the Account SID and Auth Token do not match.');
  if (pathSid !== caller.credential.key) throw new SwitchboardError('invalid_api_key', `Authenticate: the credentials are not those of ${pathSid}.`);
  return caller;
}
