/**
 * The sandbox's magic numbers, in the range Ofcom reserves for drama (+44 7700 900000-900999):
 * no real subscriber can have one. Any other number of the range, like any valid number, is
 * delivered. The SMSC simulator answers the same table.
 */
export interface SandboxBehaviour {
  readonly outcome: string;
  /** The submit answer (a code of the sandbox's `submit` table); ACCEPTED when absent. */
  readonly submit?: string;
  /** Refuse the first attempt with this code, accept the next. */
  readonly firstSubmit?: string;
  /** The final receipt (a code of the `receipt` table); none when null. */
  readonly receipt: string | null;
}

export const MAGIC_NUMBERS: Readonly<Record<string, SandboxBehaviour>> = {
  '+447700900000': { outcome: 'delivered', receipt: 'DELIVERED' },
  '+447700900001': { outcome: 'undelivered: unknown subscriber (permanent)', receipt: 'UNKNOWN_SUBSCRIBER' },
  '+447700900002': { outcome: 'undelivered: absent subscriber (temporary)', receipt: 'ABSENT_SUBSCRIBER' },
  '+447700900003': { outcome: 'undelivered: rejected by the carrier as spam (permanent)', receipt: 'SPAM_REJECTED' },
  '+447700900004': { outcome: 'no final receipt: expires after its validity', receipt: null },
  '+447700900005': { outcome: 'refused at submit: destination barred', submit: 'BARRED', receipt: null },
  '+447700900006': { outcome: 'throttled once at submit, then delivered', firstSubmit: 'THROTTLED', receipt: 'DELIVERED' },
  '+447700900007': { outcome: 'undelivered: handset memory full (temporary)', receipt: 'MEMORY_FULL' },
  '+447700900008': { outcome: 'refused at submit: provider platform error, every time (retried, then failed)', submit: 'PLATFORM_ERROR', receipt: null },
  '+447700900009': { outcome: 'refused at submit: sender not authorized', submit: 'SENDER_REFUSED', receipt: null },
};

export const DEFAULT_BEHAVIOUR: SandboxBehaviour = { outcome: 'delivered', receipt: 'DELIVERED' };

const RESERVED = /^\+447700900\d{3}$/;

export function isReservedNumber(e164: string): boolean {
  return RESERVED.test(e164);
}

export function behaviourFor(e164: string): SandboxBehaviour {
  return MAGIC_NUMBERS[e164] ?? DEFAULT_BEHAVIOUR;
}
