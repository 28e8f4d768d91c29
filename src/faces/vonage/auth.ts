import type { Clock } from '../../app/clock.js';
import type { FaceCaller, FaceCredentials } from '../../app/credentials.js';
import { SwitchboardError } from '../../core/errors.js';
import { sameSecret } from '../../providers/http/params.js';
import { verifyVonageSignature } from '../../providers/vonage/signature.js';
import { vonageSettings } from './credential.js';
import { basicCredentials } from '../params.js';

/** How long a signed request's `timestamp` stays good, either way: Vonage's five minutes. */
const SIGNATURE_TOLERANCE_SECONDS = 300;

const SIGNATURE_REFUSALS = {
  missing: 'The request carries no sig.',
  stale: 'The timestamp of the signed request is missing or more than 5 minutes from now.',
  invalid: 'The signature supplied could not be verified.',
} as const;

/**
 * The caller of an SMS API request, by Vonage's three ways: `api_key` and `api_secret` in the
 * query or body, the same as HTTP Basic, or `api_key`, `timestamp` and `sig` signed with the
 * credential's signature secret and method. A signed request may not also carry `api_secret`.
 */
export async function authenticate(credentials: FaceCredentials, clock: Clock, params: Readonly<Record<string, string>>, authorization: string | undefined): Promise<FaceCaller> {
  const basic = basicCredentials(authorization);
  const key = params.api_key ?? basic?.key;
  if (!key) throw new SwitchboardError('missing_parameter', 'Missing api_key: give api_key with api_secret (or sig), or HTTP Basic credentials.', { param: 'api_key' });
  if (params.sig !== undefined && params.api_secret !== undefined) {
    throw new SwitchboardError('invalid_parameter', 'A signed request may not also present an api_secret.', { param: 'api_secret' });
  }
  const secret = params.api_secret ?? (params.sig === undefined ? basic?.secret : undefined);
  if (params.sig === undefined && secret === undefined) throw new SwitchboardError('missing_parameter', 'Missing api_secret (or sig).', { param: 'api_secret' });
  const caller = await credentials.authenticate('vonage', key);
  if (!caller) throw new SwitchboardError('invalid_api_key', 'Bad Credentials: the api_key is unknown or revoked.');
  if (secret !== undefined) {
    if (!sameSecret(secret, caller.credential.secret)) throw new SwitchboardError('invalid_api_key', 'Bad Credentials: the api_secret does not match the api_key.');
    return caller;
  }
  const { signatureSecret, signatureMethod } = vonageSettings(caller.credential.settings);
  const verdict = verifyVonageSignature(params, signatureSecret, signatureMethod, clock.now(), SIGNATURE_TOLERANCE_SECONDS);
  if (verdict !== 'ok') throw new SwitchboardError('invalid_signature', SIGNATURE_REFUSALS[verdict]);
  return caller;
}
