import assert from 'node:assert/strict';
import { test } from 'node:test';
import { segmentPrice, type PriceList } from './prices.js';

const list: PriceList = {
  default: 80,
  entries: [
    { country: 'GB', price: 35 },
    { country: 'GB', price: 99 },
    { prefix: '+447700', price: 30 },
    { network: '23410', ranges: ['+447701', '+4477029'], price: 28 },
    { prefix: '+447701', price: 31 },
    { prefix: '+4477029', price: 27 },
  ],
};

test('the most specific entry wins: longer prefix, then a network over a prefix of its length, then the country, then the default', () => {
  assert.equal(segmentPrice(list, '+447700900000', 'GB'), 30);
  assert.equal(segmentPrice(list, '+447701900000', 'GB'), 28, 'a network range over a prefix of the same length');
  assert.equal(segmentPrice(list, '+447702900000', 'GB'), 28, 'a longer range beats everything shorter');
  assert.equal(segmentPrice(list, '+447999900000', 'GB'), 35, 'the first of two entries for a country');
  assert.equal(segmentPrice(list, '+33612345678', 'FR'), 80);
  assert.equal(segmentPrice({ entries: [{ prefix: '+44', price: 5 }] }, '+33612345678', 'FR'), undefined, 'no match and no default: no price');
});

test('a 10,000-entry list prices as the linear reading of it would', () => {
  const entries = Array.from({ length: 10_000 }, (_, i) => ({ prefix: `+44${String(i).padStart(4, '0')}`, price: i + 1 }));
  const big: PriceList = { entries: [...entries, { country: 'GB', price: 1 }] };
  assert.equal(segmentPrice(big, '+447700900000', 'GB'), 7701);
  assert.equal(segmentPrice(big, '+44012', 'GB'), 1, 'shorter than every prefix');
});
