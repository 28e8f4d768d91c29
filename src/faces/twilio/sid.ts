/**
 * Twilio's SIDs for Switchboard's ids. A message id is `msg_` and a ULID: 128 bits, which are
 * exactly a SID's 32 hex digits, so a Message SID (`SM...`) is the id itself, re-spelled, and
 * read back without a look-up table.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function messageSid(id: string): string {
  let bits = 0n;
  for (const c of id.slice('msg_'.length)) bits = (bits << 5n) | BigInt(CROCKFORD.indexOf(c));
  return `SM${bits.toString(16).padStart(32, '0')}`;
}

/** The message id a Message SID names; undefined for anything that is not one. */
export function messageIdOf(sid: string): string | undefined {
  if (!/^SM[0-9a-f]{32}$/i.test(sid)) return undefined;
  let bits = BigInt(`0x${sid.slice(2)}`);
  let ulid = '';
  for (let i = 0; i < 26; i++) {
    ulid = CROCKFORD[Number(bits & 31n)]! + ulid;
    bits >>= 5n;
  }
  return `msg_${ulid}`;
}
