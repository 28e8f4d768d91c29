import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CANONICAL_ERRORS } from '../src/core/catalogue/canonical.js';
import { Catalogue } from '../src/core/catalogue/catalogue.js';
import { PROVIDER_TABLES } from '../src/providers/tables.js';
import { seedRows, seedsAbsent, slug } from './seeds.js';

const catalogue = new Catalogue(PROVIDER_TABLES, 'http://127.0.0.1:8080');
// Read only where the seeds are; elsewhere the tests that need them are reported as skipped.
const rows = seedsAbsent ? [] : seedRows();
const withSeeds = { skip: seedsAbsent };

test('the seeds are read: every document yields its coded rows', withSeeds, () => {
  const per = (p: string) => rows.filter((r) => r.provider === p).length;
  // Lower bounds, so that a parser that silently reads nothing fails here.
  assert.ok(per('vonage') >= 20, `vonage ${per('vonage')}`);
  assert.ok(per('smspartner') >= 220, `smspartner ${per('smspartner')}`);
  assert.ok(per('sms-log') >= 18, `sms-log ${per('sms-log')}`);
  assert.ok(per('webex-connect') >= 360, `webex-connect ${per('webex-connect')}`);
  assert.ok(per('chirp') >= 8, `chirp ${per('chirp')}`);
});

test('every coded row of every seed is mapped in its context', withSeeds, () => {
  const missing = rows.filter((r) => catalogue.lookup(r.provider, r.code, r.context).length === 0);
  assert.deepEqual(
    missing.map((r) => `${r.provider} ${r.context} ${r.code} (line ${r.line})`),
    [],
  );
});

test('a code listed twice in one seed section keeps both rows', withSeeds, () => {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(`${r.provider}|${r.context}|${r.code}`, (counts.get(`${r.provider}|${r.context}|${r.code}`) ?? 0) + 1);
  for (const [key, n] of counts) {
    if (n < 2) continue;
    const [provider, context, code] = key.split('|') as [string, string, string];
    const found = catalogue.lookup(provider, code, context).filter((m) => m.row.code === code);
    assert.ok(found.length >= n, `${key}: ${n} rows in the seed, ${found.length} in the table`);
  }
});

test('the same number means different things in different Webex Connect channels', () => {
  const sms = catalogue.explain('webex-connect', '7302', 'sms');
  assert.equal(sms.canonical?.code, 'rate_limit_exceeded');
  assert.equal(sms.state, 'undelivered');
  const all = catalogue.explain('webex-connect', '7302');
  assert.ok((all.matches?.length ?? 0) >= 3, 'ambiguous without a context');
  assert.equal(catalogue.explain('webex-connect', '7203', 'sms').canonical?.code, 'unknown_subscriber');
  assert.equal(catalogue.explain('webex-connect', '7500', 'sms').state, 'delivered');
  assert.equal(catalogue.explain('webex-connect', '7500', 'sms').canonical, null);
});

test('seed faults are handled: the duplicated 2053 and the garbled 508/509 row', () => {
  const dup = catalogue.lookup('smspartner', '2053', 'user-errors-errorgrpid-2');
  assert.deepEqual(dup.map((m) => m.row.name).sort(), ['EC_BLACKLISTED_SENDERADDRESS', 'EC_SOURCE_ADDRESS_BLACKLISTED']);
  const handset = 'handset-errors-errorgrpid-1';
  assert.equal(catalogue.explain('smspartner', '508', handset).provider_name, 'EC_NOT_SUPPORTED_SERVICE');
  assert.equal(catalogue.explain('smspartner', '509', handset).provider_name, 'EC_DUPLICATED_INVOKE_ID');
  assert.ok(catalogue.explain('smspartner', '508', handset).note);
});

test('provider facts are kept: message, group, permanent flag, state', () => {
  const e = catalogue.explain('smspartner', '1', 'handset-errors-errorgrpid-1');
  assert.equal(e.provider_name, 'EC_UNKNOWN_SUBSCRIBER');
  assert.equal(e.provider_permanent, true);
  assert.match(e.provider_group ?? '', /HANDSET_ERRORS/);
  assert.equal(e.canonical?.code, 'unknown_subscriber');
  assert.equal(e.canonical?.permanent, true);
  assert.equal(catalogue.explain('smspartner', '14', 'sending-sms').canonical?.code, 'destination_opted_out');
});

test('every canonical error is complete and actionable', () => {
  const codes = new Set<string>();
  for (const e of CANONICAL_ERRORS) {
    assert.match(e.code, /^[a-z][a-z0-9_]*$/);
    assert.ok(!codes.has(e.code), `duplicate ${e.code}`);
    codes.add(e.code);
    assert.ok(e.title.length > 0 && e.description.length > 20 && e.resolution.length > 20, e.code);
    assert.ok(e.http_status >= 400 && e.http_status < 600, e.code);
  }
});

test('contexts are slugs and aliases name one context each', () => {
  for (const provider of catalogue.providers()) {
    const seen = new Set<string>();
    for (const t of catalogue.tables(provider)) {
      assert.equal(t.context, slug(t.context), `${provider} ${t.context}`);
      for (const name of [t.context, ...(t.aliases ?? [])]) {
        assert.ok(!seen.has(name), `${provider}: ${name} names two contexts`);
        seen.add(name);
      }
    }
  }
});
