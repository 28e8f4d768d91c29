/**
 * The ways an account may send: Switchboard's own API, each compatible API (a "face": a
 * provider's API answered by Switchboard), and SMPP. An account's `protocols` lists those it may
 * use; null (the default) allows every one.
 */
export const PROTOCOLS = ['api', 'vonage', 'twilio', 'smspartner', 'smpp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** The protocols that authenticate with a credential of their own rather than an API key. */
export type FaceProtocol = Exclude<Protocol, 'api'>;

export function allowsProtocol(protocols: readonly Protocol[] | null, protocol: Protocol): boolean {
  return protocols === null || protocols.includes(protocol);
}
