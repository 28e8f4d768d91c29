import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CircuitBreaker } from './breaker.js';

test('opens after consecutive failures, probes once after the open spell, closes on success', () => {
  const b = new CircuitBreaker({ failures: 3, openMs: 1000, maxOpenMs: 5000 });
  b.failed(0);
  b.succeeded();
  b.failed(0);
  b.failed(0);
  assert.equal(b.state(0), 'closed');
  assert.equal(b.failed(0), true);
  assert.equal(b.state(500), 'open');
  assert.equal(b.allows(500), false);
  assert.equal(b.state(1000), 'half_open');
  assert.equal(b.allows(1000), true);
  b.started(1000);
  assert.equal(b.allows(1000), false, 'one probe at a time');
  b.succeeded();
  assert.equal(b.state(1000), 'closed');
});

test('a failed probe opens the circuit again, for twice as long', () => {
  const b = new CircuitBreaker({ failures: 1, openMs: 1000, maxOpenMs: 1500 });
  b.failed(0);
  b.started(1000);
  b.failed(1000);
  assert.equal(b.state(2400), 'open');
  assert.equal(b.state(2500), 'half_open', 'capped at maxOpenMs');
});

test('a throttled probe hands the probe back: the next message probes, the circuit stays half open', () => {
  const b = new CircuitBreaker({ failures: 2, openMs: 1000, maxOpenMs: 5000 });
  b.failed(0);
  b.failed(0);
  b.started(1000);
  assert.equal(b.allows(1000), false);
  b.inconclusive();
  assert.equal(b.state(1000), 'half_open');
  assert.equal(b.allows(1000), true, 'another message probes');
  b.started(1000);
  assert.equal(b.failed(1000), true, 'a failed probe after it opens the circuit again');
  assert.equal(b.state(2999), 'open', 'for twice as long');
});

test('throttling while closed neither counts as a failure nor clears the failures before it', () => {
  const b = new CircuitBreaker({ failures: 2, openMs: 1000, maxOpenMs: 5000 });
  b.failed(0);
  b.inconclusive();
  assert.equal(b.failed(0), true);
});
