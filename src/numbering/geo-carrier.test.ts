import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GeoCarrierPlan } from './geo-carrier.js';

const plan = new GeoCarrierPlan();

test('a mobile number: its country, type, range carrier and zone', () => {
  assert.deepEqual(plan.facts('+33612345678'), {
    e164: '+33612345678',
    valid: true,
    type: 'mobile',
    country: 'FR',
    carrier: 'SFR',
    timeZones: ['Europe/Paris'],
  });
});

test('a geographic prefix names its own zone; a country-wide range names every zone it may be in', () => {
  assert.deepEqual(plan.facts('+12125551234').timeZones, ['America/New_York']);
  assert.deepEqual(plan.facts('+19075550123').timeZones, ['America/Adak', 'America/Anchorage']);
  assert.deepEqual(plan.timeZones('+19075550123'), ['America/Adak', 'America/Anchorage'], 'the zones alone, as facts gives them');
  assert.deepEqual(plan.timeZones('+33612345678'), ['Europe/Paris']);
});

test('an invalid number is said invalid, with what is known of it', () => {
  const facts = plan.facts('+3300000');
  assert.equal(facts.valid, false);
  assert.equal(facts.type, undefined);
  assert.equal(facts.carrier, undefined);
});

test('a calling code without carrier data has no carrier, and no error', () => {
  assert.equal(plan.facts('+882355501234').carrier, undefined);
});
