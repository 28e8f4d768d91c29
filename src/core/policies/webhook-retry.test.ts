import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextWebhookAttempt, WEBHOOK_RETRY_WINDOW_MS } from './webhook-retry.js';

test('backs off from 5 seconds to 8 hours, and gives up a day after the event', () => {
  assert.equal(nextWebhookAttempt(1, 0, 0, 0), 5_000);
  assert.equal(nextWebhookAttempt(2, 0, 5_000, 0), 35_000);
  assert.equal(nextWebhookAttempt(20, 0, 3_600_000, 0), 3_600_000 + 28_800_000);
  assert.equal(nextWebhookAttempt(20, 0, WEBHOOK_RETRY_WINDOW_MS - 1000, 0), null);
  assert.ok(nextWebhookAttempt(1, 0, 0, 0.99)! <= 5_500);
});
