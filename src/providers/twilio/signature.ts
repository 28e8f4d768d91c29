import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * X-Twilio-Signature: Base64 of the HMAC-SHA1, keyed with the auth token, of the full URL Twilio
 * called followed by every POST parameter, sorted by name, as name then value.
 */
export function twilioSignature(authToken: string, url: string, params: ReadonlyMap<string, string[]>): string {
  let data = url;
  for (const name of [...params.keys()].sort()) for (const value of params.get(name)!) data += name + value;
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function verifyTwilioSignature(authToken: string, url: string, params: ReadonlyMap<string, string[]>, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Form parameters with every value of repeated names kept, in order. */
export function formParams(body: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) params.set(name, [...(params.get(name) ?? []), value]);
  return params;
}
