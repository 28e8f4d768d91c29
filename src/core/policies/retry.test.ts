import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalError, type CanonicalCode } from '../catalogue/canonical.js';
import type { MessageError } from '../message.js';
import { afterFailure, decideRetry, resendUnknownTo, type FailureInput, type RetryPolicy } from './retry.js';

const POLICY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 60_000 };
const FAR = Number.MAX_SAFE_INTEGER;

function error(code: CanonicalCode): MessageError {
  const def = canonicalError(code);
  return { type: def.type, code: def.code, message: def.code, doc_url: '', permanent: def.permanent, retry: def.retry };
}

const delay = (attempts: number, random: number, policy = POLICY, retryAfterMs?: number) => {
  const d = decideRetry(error('absent_subscriber'), attempts, 0, FAR, policy, random, retryAfterMs);
  assert.ok(d.retry, JSON.stringify(d));
  return d.at;
};

test('delays double with each attempt, each in [ceiling / 2, ceiling]: half fixed, half drawn', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => delay(n, 0)), [500, 1000, 2000, 4000, 8000, 16_000]);
  for (let n = 1; n <= 6; n++) {
    const ceiling = 1000 * 2 ** (n - 1);
    assert.equal(delay(n, 0.5), (ceiling * 3) / 4);
    assert.equal(delay(n, 0.999_999), ceiling);
  }
});

test('no delay is past the ceiling, and a Retry-After the provider gave is a floor', () => {
  assert.equal(delay(9, 0.999_999), 60_000);
  assert.equal(delay(9, 0), 30_000);
  assert.equal(delay(1, 0, POLICY, 7000), 7000);
  assert.equal(delay(6, 0, POLICY, 7000), 16_000);
});

test('never past the validity, and not more than the most attempts', () => {
  const late = decideRetry(error('absent_subscriber'), 3, 10_000, 12_000, POLICY, 0);
  assert.deepEqual(late, { retry: false, why: 'the next attempt would fall after the message expires' });
  assert.deepEqual(decideRetry(error('absent_subscriber'), 3, 10_000, 12_001, POLICY, 0), { retry: true, at: 12_000 });
  assert.deepEqual(decideRetry(error('absent_subscriber'), 10, 0, FAR, POLICY, 0), { retry: false, why: 'gave up after 10 attempts' });
});

test('a permanent error is never tried again', () => {
  for (const code of ['unknown_subscriber', 'destination_opted_out', 'destination_barred'] as const) {
    const d = decideRetry(error(code), 1, 0, FAR, POLICY, 0);
    assert.equal(d.retry, false, code);
  }
});

const failure = (code: CanonicalCode, extra: Partial<FailureInput> = {}): FailureInput => ({
  error: error(code),
  failover: canonicalError(code).failover,
  attempts: 1,
  now: 0,
  expiresAt: FAR,
  policy: POLICY,
  random: 0,
  chain: ['a', 'b', 'c'],
  current: 'a',
  available: (c) => c !== 'b',
  ...extra,
});

test('a failure of the connection goes at once to the next available connection of the chain', () => {
  assert.deepEqual(afterFailure(failure('provider_unavailable')), { action: 'failover', connection: 'c' });
  // At the end of the chain it waits and goes again on the same connection.
  assert.deepEqual(afterFailure(failure('provider_unavailable', { current: 'c' })), { action: 'retry', at: 500 });
  // The handset's fault is no connection's: it is retried where it was, or given up.
  assert.deepEqual(afterFailure(failure('absent_subscriber')), { action: 'retry', at: 500 });
  assert.equal(afterFailure(failure('unknown_subscriber')).action, 'give_up');
});

test('an unknown submit outcome is not sent again unless the route says so', () => {
  const route = { name: 'r', chain: ['a', 'b', 'c'], resendUnknown: false };
  const up = (c: string) => c !== 'b';
  assert.equal(resendUnknownTo(route, 'a', up), undefined);
  assert.equal(resendUnknownTo(null, 'a', up), undefined);
  assert.equal(resendUnknownTo({ ...route, resendUnknown: true }, 'a', up), 'c');
  assert.equal(resendUnknownTo({ ...route, resendUnknown: true }, 'c', up), undefined);
});
