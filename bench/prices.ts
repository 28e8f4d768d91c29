import { segmentPrice, type PriceList } from '../src/core/accounts/prices.js';

const COUNTRIES = ['GB', 'FR', 'DE', 'US', 'ES', 'IT', 'NL', 'BE', 'PT', 'IE'];

/**
 * Pricing one 1,000-recipient request against a 10,000-entry price list, in-process: the list is
 * a fresh object each time (as read with a key), so its index is built every time too.
 */
export async function pricesSection(): Promise<void> {
  const entries = [...Array.from({ length: 9_990 }, (_, i) => ({ prefix: `+${100_000 + i * 7}`, price: i + 1 })), ...COUNTRIES.map((country) => ({ country, price: 5 }))];
  const recipients = Array.from({ length: 1000 }, (_, i) => `+4479111${10_000 + i}`);
  const times: number[] = [];
  for (let run = 0; run < 21; run++) {
    const list: PriceList = { entries: [...entries], default: 9 };
    const started = performance.now();
    for (const to of recipients) segmentPrice(list, to, 'GB');
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log('\nPricing 1,000 recipients against a 10,000-entry price list (index built each time), 21 runs');
  console.log(`  median ${times[10]!.toFixed(1)} ms   min ${times[0]!.toFixed(1)} ms   max ${times[20]!.toFixed(1)} ms`);
}
