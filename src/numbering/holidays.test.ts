import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DateHolidaysCalendar } from './holidays.js';

test('public holidays of a country, by its local date; other days and unknown countries are not', () => {
  const calendar = new DateHolidaysCalendar();
  assert.equal(calendar.isHoliday('FR', '2026-07-14'), true);
  assert.equal(calendar.isHoliday('FR', '2026-12-25'), true);
  assert.equal(calendar.isHoliday('FR', '2026-12-24'), false);
  assert.equal(calendar.isHoliday('US', '2026-07-14'), false);
  assert.equal(calendar.isHoliday('ZZ', '2026-12-25'), false);
});
