/**
 * The face kept on a message sent over SMPP: `smpp` when it asked for no receipt, else
 * `smpp:<receipt mode>:<credential>`, followed by `:<id>` when its receipt carries another
 * message's id (a destination of a submit_multi, whose answer gave one id for them all).
 */
export function smppFace(receipt: number, credentialId: string, receiptId?: string): string {
  return receipt === 0 ? 'smpp' : `smpp:${receipt}:${credentialId}${receiptId === undefined ? '' : `:${receiptId}`}`;
}

/** registered_delivery's receipt mode a message was sent with (0 when it asked for none). */
export function receiptMode(face: string | undefined): number {
  return Number(/^smpp:(\d):/.exec(face ?? '')?.[1] ?? 0);
}

/** The SMPP message id a message's receipt carries, when it is not the message's own. */
export function sharedReceiptId(face: string | undefined): string | undefined {
  return /^smpp:\d:[^:]+:([0-9A-Z]+)$/.exec(face ?? '')?.[1];
}
