import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalError } from '../src/core/catalogue/canonical.js';
import { Catalogue } from '../src/core/catalogue/catalogue.js';
import { interpret } from '../src/core/catalogue/interpret.js';
import type { ProviderCodeRow, ProviderCodeTable } from '../src/core/catalogue/types.js';
import { PROVIDER_TABLES } from '../src/providers/tables.js';

// Rules every provider's tables follow, checked over all of them: a rule, not a code, is what
// keeps the next table added from misreading the same class of answer.

const catalogue = new Catalogue(PROVIDER_TABLES, 'http://127.0.0.1:8080');
const rows = PROVIDER_TABLES.flatMap((table) => table.rows.map((row) => ({ table, row })));
const where = ({ table, row }: { table: ProviderCodeTable; row: ProviderCodeRow }) => `${table.provider}/${table.context} ${row.code}${row.name ? ` (${row.name})` : ''}`;
/** What a row says of itself: its code, symbolic name and message. */
const says = (row: ProviderCodeRow) => [row.code, row.name ?? '', row.message].join(' | ');

test('no status that reached only the operator, the network or the next hop reads as delivered', () => {
  const nextHop = /\bto[ _](the[ _])?(upstream[ _])?(operator|network|carrier|smsc|next instance)\b|\benroute\b|\ben route\b|\bacceptd\b|\baccepted\b|\bbuffered\b|\bsubmitted\b/i;
  const wrong = rows.filter(({ row }) => row.state === 'delivered' && nextHop.test(says(row)));
  assert.deepEqual(wrong.map(where), []);
  // The ones that say so are there (the rule is not vacuous), and read as sent.
  const hops = rows.filter(({ row }) => row.state !== undefined && row.canonical === null && nextHop.test(says(row)));
  assert.ok(hops.length >= 15, `${hops.length} next-hop statuses`);
  for (const r of hops) assert.equal(r.row.state, 'sent', where(r));
});

test('a final status saying nobody knows the outcome reads as unknown: never a failure, never retried', () => {
  const nobodyKnows = /no useful information|unconfirmed|report\b.*\bnot (been )?recogni[sz]ed|invalid state|unknown status|dlr_unknown|^unknown \|/i;
  const stated = rows.filter(({ row }) => row.state !== undefined && nobodyKnows.test(says(row)));
  assert.ok(stated.length >= 8, `${stated.length} statuses nobody knows`);
  for (const r of stated) assert.equal(r.row.state, 'unknown', where(r));
  for (const r of rows.filter(({ row }) => row.state === 'unknown' || row.canonical === 'delivery_unknown')) {
    assert.equal(r.row.canonical, 'delivery_unknown', where(r));
    if (r.row.state !== undefined) assert.equal(r.row.state, 'unknown', where(r));
  }
  assert.equal(canonicalError('delivery_unknown').retry, 'never');
  assert.equal(canonicalError('delivery_unknown').failover, false);
  // An error code beside such a status does not make it a failure (Vonage sends err-code 1 with it).
  const { state, error } = interpret(catalogue, { provider: 'vonage', context: 'dlr', code: 'unknown' }, { provider: 'vonage', context: 'err-code', code: '1' });
  assert.equal(state, 'unknown');
  assert.equal(error?.code, 'delivery_unknown');
  const absent = interpret(catalogue, { provider: 'smpp', context: 'stat', code: 'UNKNOWN' }, { provider: 'smpp', context: 'map', code: '27' });
  assert.equal(absent.error?.retry, 'never');
});

test('a read status reads as read, after delivered', () => {
  const reads = rows.filter(({ row }) => row.state !== undefined && /^read$/i.test(row.code === 'read' ? row.code : row.message));
  assert.ok(reads.length >= 7, `${reads.length} read statuses`);
  for (const r of reads) assert.equal(r.row.state, 'read', where(r));
  for (const r of rows.filter(({ row }) => row.state === 'read')) assert.ok(reads.includes(r), `${where(r)} is read but does not say so`);
});

test('every code a provider flags permanent or temporary carries the flag, with its source', () => {
  const flagged = /\bpermanent(ly)?\b|\btemporar(y|ily)\b/i;
  // A description listing kinds (Amazon SES's permanent and transient bounces) flags none of them.
  const flags = (row: ProviderCodeRow) => flagged.test(says(row)) || (flagged.test(row.description ?? '') && !/transient/i.test(row.description ?? ''));
  const unflagged = rows.filter(({ row }) => row.permanent === undefined && flags(row));
  assert.deepEqual(unflagged.map(where), []);
  const sourceless = rows.filter(({ table, row }) => row.permanent !== undefined && !(row.permanent_source ?? table.permanent_source));
  assert.deepEqual(sourceless.map(where), []);
});

test("the provider's own permanence wins for its code, in explanations and in the errors messages carry", () => {
  let differing = 0;
  for (const r of rows.filter(({ row }) => row.permanent !== undefined && row.canonical !== null)) {
    const { table, row } = r;
    if (canonicalError(row.canonical!).permanent !== row.permanent) differing++;
    const explained = catalogue.explain(table.provider, row.code, table.context);
    const mine = explained.matches?.find((m) => m.provider_name === row.name) ?? explained;
    assert.equal(mine.canonical?.permanent, row.permanent, where(r));
    const { error } = interpret(catalogue, { provider: table.provider, context: table.context, code: row.name ?? row.code });
    assert.equal(error?.permanent, row.permanent, where(r));
    // A temporary failure is tried again after a delay; a permanent one never after a mere delay.
    assert.equal(error?.retry === 'after_delay', !row.permanent, where(r));
  }
  assert.ok(differing >= 10, `${differing} codes whose provider's flag differs from the canonical error's`);
  // The same condition, two providers' flags: SMSPartner's EC_CALL_BARRED is temporary, Vonage's
  // "Call Barred by User" permanent.
  assert.equal(interpret(catalogue, { provider: 'smspartner', context: 'handset-errors-errorgrpid-1', code: '13' }).error?.permanent, false);
  assert.equal(interpret(catalogue, { provider: 'vonage', context: 'delivery-receipt-errors', code: '4' }).error?.permanent, true);
  // Where no provider flag exists, the canonical error decides.
  assert.equal(interpret(catalogue, { provider: 'sandbox', context: 'receipt', code: 'UNKNOWN_SUBSCRIBER' }).error?.permanent, true);
});

test('the canonical codes the tables needed exist, and the rows that mean them use them', () => {
  const uses = (code: string) => rows.filter(({ row }) => row.canonical === code).map(where);
  assert.deepEqual(uses('conversation_window_closed').length >= 3, true);
  assert.ok(uses('conversation_window_closed').includes('webex-connect/whatsapp 7710'));
  assert.ok(uses('regulatory_rejected').includes('vonage/delivery-receipt-errors 54'));
  assert.deepEqual(uses('traffic_fraud_blocked').sort(), ['telnyx/10dlc-specific-errors 40020', 'twilio/error-codes 30450']);
  assert.ok(uses('sender_unhealthy').includes('telnyx/profile-configuration-errors 40315'));
  for (const code of ['conversation_window_closed', 'regulatory_rejected', 'traffic_fraud_blocked', 'sender_unhealthy'] as const) {
    const def = canonicalError(code);
    assert.equal(def.type, 'compliance_error', code);
    assert.ok(def.description.length > 60 && def.resolution.length > 60, code);
  }
});
