import { randomBytes } from 'node:crypto';
import type { CredentialKind } from '../../app/credentials.js';

/**
 * Twilio's credentials as its SDKs check them: an Account SID (`AC` and 32 hex digits) and an
 * Auth Token of 32 hex digits, which also signs the status callbacks (`X-Twilio-Signature`).
 */
export const twilioCredential: CredentialKind = {
  generate: () => ({ key: `AC${randomBytes(16).toString('hex')}`, secret: randomBytes(16).toString('hex') }),
  settings: () => ({}),
};
