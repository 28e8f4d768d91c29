/**
 * What countries require of messages, as data. Sources: France's CNIL and the FFT's SMS+ code
 * (marketing must say "STOP au 36111"), the CTIA's Messaging Principles for the United States and
 * Canada (tell how to opt out; replies go to numbers, so alphanumeric senders are not carried).
 */

/** Marketing to these countries must carry opt-out instructions: what they must contain, and an example. */
export const OPT_OUT_INSTRUCTIONS: Readonly<Record<string, { readonly pattern: RegExp; readonly example: string }>> = {
  FR: { pattern: /\bSTOP\s+(?:au|AU|Au)\s+36111\b/u, example: 'STOP au 36111' },
  US: { pattern: /\bSTOP\b/iu, example: 'Reply STOP to opt out' },
  CA: { pattern: /\bSTOP\b/iu, example: 'Reply STOP to opt out' },
};

/** Countries whose carriers do not take alphanumeric senders. */
export const NO_ALPHANUMERIC_SENDERS: ReadonlySet<string> = new Set(['US', 'CA', 'PR']);
