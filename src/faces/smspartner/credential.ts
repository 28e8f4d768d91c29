import { randomBytes } from 'node:crypto';
import type { CredentialKind } from '../../app/credentials.js';

/** How much of an apiKey is its public half: what lists show, and what a request's key is looked up by. */
export const KEY_ID_LENGTH = 12;

/**
 * SMSPartner authenticates with one `apiKey` and nothing else: 40 hex digits, as SMSPartner's
 * keys look. The credential's key is its first twelve digits (shown in lists, to tell keys
 * apart); its secret is the whole apiKey, shown once.
 */
export const smspartnerCredential: CredentialKind = {
  generate: () => {
    const apiKey = randomBytes(20).toString('hex');
    return { key: apiKey.slice(0, KEY_ID_LENGTH), secret: apiKey };
  },
  settings: () => ({}),
};
