import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type VonageSignatureMethod = 'md5hash' | 'md5' | 'sha1' | 'sha256' | 'sha512';

/**
 * Vonage's request and webhook signature (`sig`): every parameter but `sig`, sorted by name, as
 * `&name=value` with `&` and `=` in values replaced by `_`; then for `md5hash` the MD5 of that
 * string followed by the secret, and for the others the HMAC of the string keyed with the secret.
 */
export function vonageSignature(params: Readonly<Record<string, string>>, secret: string, method: VonageSignatureMethod): string {
  let data = '';
  for (const name of Object.keys(params).sort()) {
    if (name === 'sig') continue;
    data += `&${name}=${params[name]!.replace(/[&=]/g, '_')}`;
  }
  if (method === 'md5hash') return createHash('md5').update(data + secret).digest('hex');
  return createHmac(method, secret).update(data).digest('hex');
}

/** Checks `sig` (hex, either case) and that `timestamp` is within `toleranceSeconds` of now. */
export function verifyVonageSignature(
  params: Readonly<Record<string, string>>,
  secret: string,
  method: VonageSignatureMethod,
  nowMs: number,
  toleranceSeconds = 300,
): 'ok' | 'missing' | 'stale' | 'invalid' {
  const sig = params.sig;
  if (!sig) return 'missing';
  const timestamp = Number(params.timestamp);
  if (!Number.isFinite(timestamp) || Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return 'stale';
  const expected = Buffer.from(vonageSignature(params, secret, method).toLowerCase());
  const given = Buffer.from(sig.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'invalid';
}
