import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseRoute, nextConnection, orderTargets, type Route, type RouteTarget } from './router.js';

const target = (connection: string, extra: Partial<RouteTarget> = {}): RouteTarget => ({ connection, priority: 1, weight: 1, price: null, ...extra });
const route = (strategy: Route['strategy'], connections: RouteTarget[], match: Route['match'] = {}): Route => ({ name: 'r', match, strategy, connections, resendUnknown: false });
const names = (targets: RouteTarget[]) => targets.map((t) => t.connection);

test('priority: lower first, ties as listed', () => {
  assert.deepEqual(names(orderTargets(route('priority', [target('a', { priority: 2 }), target('b'), target('c')]), 0.5)), ['b', 'c', 'a']);
});

test('weighted: the first is drawn by weight among the best priority, the rest follow by priority', () => {
  const r = route('weighted', [target('a', { weight: 3 }), target('b', { weight: 1 }), target('backup', { priority: 5 })]);
  assert.deepEqual(names(orderTargets(r, 0)), ['a', 'b', 'backup']);
  assert.deepEqual(names(orderTargets(r, 0.74)), ['a', 'b', 'backup']);
  assert.deepEqual(names(orderTargets(r, 0.76)), ['b', 'a', 'backup']);
});

test('cheapest: by price per segment, unpriced last', () => {
  const r = route('cheapest', [target('free'), target('dear', { price: 0.08 }), target('cheap', { price: 0.02 })]);
  assert.deepEqual(names(orderTargets(r, 0)), ['cheap', 'dear', 'free']);
});

test('the first matching route wins; message type and sender narrow it', () => {
  const routes = [route('priority', [target('otp')], { types: ['otp'] }), route('priority', [target('brand')], { senders: ['Shop'] }), route('priority', [target('any')])];
  const input = { to: '+447700900000', from: 'Shop', accountId: 'acc', country: 'GB', type: undefined };
  assert.deepEqual(chooseRoute(routes, input, 0)?.chain, ['brand']);
  assert.deepEqual(chooseRoute(routes, { ...input, type: 'otp' }, 0)?.chain, ['otp']);
  assert.deepEqual(chooseRoute(routes, { ...input, from: 'Other' }, 0)?.chain, ['any']);
  assert.equal(chooseRoute([route('priority', [target('uk')], { countries: ['GB'] })], { ...input, country: 'FR' }, 0), undefined);
});

test('a network matches the numbers of its ranges only: an unknown network matches nothing', () => {
  const o2 = route('priority', [target('o2')], { networks: { '23410': ['+447700', '+447701'] } });
  const routes = [o2, route('priority', [target('any')])];
  const input = { to: '+447701123456', from: 'Shop', accountId: 'acc', country: 'GB', type: undefined };
  const decision = chooseRoute(routes, input, 0);
  assert.deepEqual(decision?.chain, ['o2']);
  assert.match(decision!.reason, /network in 23410/);
  assert.deepEqual(chooseRoute(routes, { ...input, to: '+447800123456' }, 0)?.chain, ['any']);
  assert.equal(chooseRoute([o2], { ...input, to: '+447800123456' }, 0), undefined);
});

test('failover walks the chain forward; a connection that is down may hand back to an earlier one', () => {
  const up = (c: string) => c !== 'b';
  assert.equal(nextConnection(['a', 'b', 'c'], 'a', up, false), 'c');
  assert.equal(nextConnection(['a', 'b', 'c'], 'c', up, false), undefined);
  assert.equal(nextConnection(['a', 'b', 'c'], 'c', up, true), 'a');
});
