import type { NumberLookups } from '../../app/connector.js';
import { behaviourFor } from './numbers.js';

/** What the sandbox's HLR says: its unknown and absent subscribers as such; every other number is reachable. */
const SAID = new Set(['UNKNOWN_SUBSCRIBER', 'ABSENT_SUBSCRIBER']);

/** Live lookups on the simulated carrier, answered at once, so that a first lookup works without a provider. */
export const sandboxLookups: NumberLookups = {
  batch: 1000,
  async lookup(numbers) {
    return {
      kind: 'answered',
      reports: numbers.map((number) => {
        const receipt = behaviourFor(number).receipt;
        const code = receipt !== null && SAID.has(receipt) ? receipt : 'DELIVERED';
        return { number, status: { provider: 'sandbox', context: 'receipt', code }, raw: { number, status: code } };
      }),
    };
  },
};
