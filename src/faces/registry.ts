import type { CredentialKind } from '../app/credentials.js';
import type { FaceProtocol } from '../core/access/protocols.js';
import { smppCredential } from './smpp/credential.js';
import { smspartnerCredential } from './smspartner/credential.js';
import { twilioCredential } from './twilio/credential.js';
import { vonageCredential } from './vonage/credential.js';

/** The compatible APIs this server answers, by protocol: each brings its own kind of credential. */
export const FACE_CREDENTIALS: Readonly<Partial<Record<FaceProtocol, CredentialKind>>> = {
  vonage: vonageCredential,
  twilio: twilioCredential,
  smspartner: smspartnerCredential,
  smpp: smppCredential,
};
