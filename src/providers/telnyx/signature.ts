import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo: what Node needs around Telnyx's raw 32-byte key. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Telnyx's webhook public key (base64 of the raw 32-byte Ed25519 key, as the portal shows it). */
export function telnyxPublicKey(base64: string): KeyObject {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length !== 32) throw new Error('a Telnyx public key is 32 bytes, base64-encoded');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/**
 * Telnyx signs `<telnyx-timestamp>|<raw body>` with Ed25519; the signature comes base64 in
 * telnyx-signature-ed25519. A timestamp further than `toleranceSeconds` from now is refused, so a
 * captured call cannot be replayed later.
 */
export function verifyTelnyxSignature(
  key: KeyObject,
  body: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  nowMs: number,
  toleranceSeconds = 300,
): 'ok' | 'missing' | 'stale' | 'invalid' {
  if (!timestamp || !signature) return 'missing';
  const seconds = Number(timestamp);
  if (!Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > toleranceSeconds) return 'stale';
  const signed = Buffer.concat([Buffer.from(`${timestamp}|`), body]);
  return verify(null, signed, key, Buffer.from(signature, 'base64')) ? 'ok' : 'invalid';
}
