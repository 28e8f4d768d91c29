/** Type of number (5.2.5): unknown, international, national, network specific, subscriber, alphanumeric, abbreviated. */
const TON = { unknown: 0, international: 1, alphanumeric: 5 } as const;

/**
 * An SMPP address as Switchboard reads a number: digits with an international (or unknown)
 * type of number are E.164 (a leading `+` or `00` dropped); an alphanumeric sender, a short code
 * or anything else is kept as given, for validation to judge.
 */
export function readAddress(value: string, ton: number): string {
  const digits = /^(?:\+|00)?(\d{8,15})$/.exec(value)?.[1];
  return digits && (ton === TON.international || ton === TON.unknown) ? `+${digits}` : value;
}

/** A number or sender as an SMPP address: E.164 without its `+` (international), else as it is. */
export function writeAddress(value: string): { ton: number; npi: number; addr: string } {
  if (/^\+\d+$/.test(value)) return { ton: TON.international, npi: 1, addr: value.slice(1) };
  if (/^\d+$/.test(value)) return { ton: TON.unknown, npi: 1, addr: value };
  return { ton: TON.alphanumeric, npi: 0, addr: value };
}
