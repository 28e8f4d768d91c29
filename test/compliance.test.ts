import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bearer, eventually, STORES, testNodeOn, twoNodes, type TestNode } from './helpers.js';
import type { Json } from './webhook-receiver.js';

/** The wall clock in London at `at`, in minutes since midnight. */
function londonMinute(at: number): number {
  const [h, m] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at).split(':').map(Number) as [number, number];
  return h * 60 + m;
}
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const everyDay = (window: string) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, window]));

for (const storeName of STORES) {
  describe(`compliance policies on ${storeName}`, () => {
    let node: TestNode;
    let shop: { id: string; key: string };
    const call = async (key: string, method: string, url: string, payload?: object) => {
      const res = await node.api.inject({ method: method as 'GET', url, headers: bearer(key), ...(payload && { payload }) });
      return { status: res.statusCode, body: res.json() as Json };
    };
    const policy = async (compliance: object | null) => {
      const changed = await call(node.key, 'PATCH', `/v1/accounts/${shop.id}`, { compliance });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      return changed.body.compliance;
    };
    const send = (body: object) => call(shop.key, 'POST', '/v1/messages', { from: 'Shop', to: '+447700900001', text: 'Sale today', type: 'marketing', ...body });
    const refusal = (res: { status: number; body: Json }) => [res.status, res.body.error?.code, res.body.error?.param, res.body.error?.rule];

    before(async () => {
      node = await testNodeOn(storeName, {});
      const created = await call(node.key, 'POST', '/v1/accounts', { name: 'Shop' });
      shop = { id: created.body.id, key: (await call(node.key, 'POST', `/v1/accounts/${created.body.id}/keys`, {})).body.key };
    });
    after(() => node.close());

    test('a policy is stored as given, and a window that ends before it starts names its field', async () => {
      const given = { marketing: { windows: { mon: '08:00-22:00', sat: '10:00-18:00' }, holidays: true, outside: 'refuse', caps: { day: 3 } } };
      assert.deepEqual(await policy(given), given);
      assert.deepEqual((await call(node.key, 'GET', `/v1/accounts/${shop.id}`)).body.compliance, given);
      const bad = await call(node.key, 'PATCH', `/v1/accounts/${shop.id}`, { compliance: { marketing: { windows: { mon: '22:00-08:00' } } } });
      assert.deepEqual([bad.status, bad.body.error.code, bad.body.error.param], [400, 'invalid_parameter', 'compliance.marketing.windows.mon']);
      assert.equal(await policy(null), null);
    });

    test('outside the window a refusing policy answers outside_sending_hours naming the rule; other types are not held', async () => {
      const start = (londonMinute(node.clock.now()) + 120) % 1440;
      const from = start > 1380 ? 60 : start;
      await policy({ marketing: { windows: everyDay(`${hhmm(from)}-${hhmm(from + 30)}`), outside: 'refuse' } });
      assert.deepEqual(refusal(await send({})), [422, 'outside_sending_hours', 'to', 'marketing.windows']);
      assert.deepEqual(refusal(await send({ to: ['+447700900002', '+447700900003'] })).slice(0, 3), [422, 'outside_sending_hours', 'to[0]']);
      assert.equal((await send({ type: 'otp' })).status, 202);
    });

    test('a deferring policy schedules the message at the window\'s start, with the rule, and it goes out then', async () => {
      const now = node.clock.now();
      const start = (londonMinute(now) + 120) % 1440;
      const from = start > 1380 ? 60 : start;
      await policy({ marketing: { windows: everyDay(`${hhmm(from)}-${hhmm(from + 30)}`) } });
      const sent = await send({ to: '+447700900010' });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      const id = sent.body.messages[0].id as string;
      const held = (await call(shop.key, 'GET', `/v1/messages/${id}`)).body;
      assert.equal(held.status, 'scheduled');
      const sendAt = Date.parse(held.send_at);
      assert.ok(sendAt > now && londonMinute(sendAt) === from, held.send_at);
      assert.deepEqual(held.events[0].detail.held, { rule: 'marketing.windows', reason: 'outside_sending_hours' });
      node.clock.advance(sendAt - now + 1000);
      const done = await eventually(async () => {
        const m = (await call(shop.key, 'GET', `/v1/messages/${id}`)).body;
        return m.status === 'delivered' ? m : undefined;
      });
      assert.deepEqual(done.events.map((e: Json) => e.type).slice(0, 3), ['scheduled', 'queued', 'sending']);
      assert.ok(Date.parse(done.events[1].at) >= sendAt, 'not before the window opens');
      node.clock.offset = 0;
    });

    test('on Christmas in France a message defers to the next day\'s window; on a Sunday without one, a refusing policy names the day', async () => {
      const monToSat = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, '08:00-22:00']));
      await policy({ marketing: { windows: monToSat, holidays: true, opt_out: 'footer', footers: { FR: 'STOP au 36111' } } });
      node.clock.offset = Date.parse('2026-12-25T10:00:00Z') - Date.now();
      const sent = await send({ to: '+33612345679' });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      const held = (await call(shop.key, 'GET', `/v1/messages/${sent.body.messages[0].id}`)).body;
      assert.deepEqual([held.status, held.send_at], ['scheduled', '2026-12-26T07:00:00.000Z']);
      assert.deepEqual(held.events[0].detail.held, { rule: 'marketing.holidays', reason: 'outside_sending_days' });
      await policy({ marketing: { windows: monToSat, outside: 'refuse' } });
      node.clock.offset = Date.parse('2026-12-27T10:00:00Z') - Date.now();
      assert.deepEqual(refusal(await send({ to: '+33612345679' })), [422, 'outside_sending_days', 'to', 'marketing.windows']);
      node.clock.offset = 0;
    });

    test('the duplicate guard refuses the same text to the same number, unless the request allows it', async () => {
      await policy({ marketing: { duplicate_window: 600 } });
      assert.equal((await send({ to: '+447700900020' })).status, 202);
      assert.deepEqual(refusal(await send({ to: '+447700900020' })), [409, 'duplicate_message', 'to', 'marketing.duplicates']);
      assert.equal((await send({ to: '+447700900020', text: 'Another sale' })).status, 202);
      assert.equal((await send({ to: '+447700900020', allow_duplicate: true })).status, 202);
      node.clock.advance(601_000);
      assert.equal((await send({ to: '+447700900020' })).status, 202, 'the window has passed');
      node.clock.offset = 0;
    });

    test('a frequency cap refuses the message past it, the whole request, naming the recipient', async () => {
      await policy({ marketing: { caps: { hour: 2 } } });
      assert.equal((await send({ to: '+447700900030', text: 'One' })).status, 202);
      assert.equal((await send({ to: ['+447700900031', '+447700900030'], text: 'Two' })).status, 202);
      assert.deepEqual(refusal(await send({ to: ['+447700900031', '+447700900030'], text: 'Three' })), [429, 'flood_protection', 'to[1]', 'marketing.caps']);
      assert.equal((await send({ to: '+447700900031', text: 'Three' })).status, 202, 'nothing of the refused request was counted');
      assert.equal((await send({ to: '+447700900030', text: 'Four', type: 'otp' })).status, 202, 'another type, another cap');
    });

    test('opt-out instructions: refused without them, or the footer is appended and counted', async () => {
      await policy({ marketing: { opt_out: 'refuse' } });
      assert.deepEqual(refusal(await send({ to: '+33612345678' })), [422, 'opt_out_instructions_missing', 'to', 'marketing.opt_out']);
      assert.equal((await send({ to: '+447700900040' })).status, 202, 'no rule for the United Kingdom');
      await policy({ marketing: { opt_out: 'footer', footers: { FR: 'STOP au 36111' } } });
      const sent = await send({ to: '+33612345678', text: 'x'.repeat(150) });
      assert.equal(sent.status, 202);
      assert.equal(sent.body.messages[0].text, `${'x'.repeat(150)}\nSTOP au 36111`);
      assert.equal(sent.body.messages[0].segments, 2);
    });

    test('content and sender rules refuse before anything is stored, or send from the account\'s number', async () => {
      await policy({ marketing: { blocked_words: ['casino'], blocked_domains: ['bit.ly'], sender_rules: true } });
      assert.deepEqual(refusal(await send({ text: 'Casino night!' })), [400, 'content_rejected', 'to', 'marketing.content']);
      assert.deepEqual(refusal(await send({ text: 'See bit.ly/x' })), [400, 'content_rejected', 'to', 'marketing.content']);
      assert.deepEqual(refusal(await send({ to: '+12125551234' })), [422, 'alphanumeric_sender_not_allowed', 'to', 'marketing.sender']);
      await policy({ marketing: { sender_rules: true, numbers: { US: '+12025550123' } } });
      const sent = await send({ to: '+12125551234' });
      assert.equal(sent.status, 202);
      assert.equal(sent.body.messages[0].from, '+12025550123');
      await policy(null);
    });

    test('the check endpoint tells what each rule would do and when the message would go, storing nothing', async () => {
      await policy({ marketing: { windows: everyDay('00:00-24:00'), opt_out: 'footer', footers: { FR: 'STOP au 36111' }, blocked_words: ['casino'], caps: { day: 1 } } });
      const before = (await call(shop.key, 'GET', '/v1/messages?limit=100')).body.messages.length;
      const checked = await call(shop.key, 'POST', '/v1/messages/check', { from: 'Shop', to: ['+33612345670', '+447700900050'], text: 'Sale', type: 'marketing' });
      assert.equal(checked.status, 200, JSON.stringify(checked.body));
      const [fr, gb] = checked.body.recipients;
      assert.deepEqual([fr.outcome, fr.policy, fr.country, fr.text, fr.segments], ['send', 'marketing', 'FR', 'Sale\nSTOP au 36111', 1]);
      assert.deepEqual(fr.rules.map((r: Json) => [r.rule, r.action]), [['marketing.content', 'pass'], ['marketing.opt_out', 'rewrite'], ['marketing.windows', 'pass']]);
      assert.equal(Date.parse(gb.send_at) <= node.clock.now(), true);
      assert.equal((await send({ to: '+447700900050', text: 'Sale' })).status, 202);
      const capped = (await call(shop.key, 'POST', '/v1/messages/check', { from: 'Shop', to: '+447700900050', text: 'Casino', type: 'marketing' })).body.recipients[0];
      assert.deepEqual([capped.outcome, capped.send_at], ['refuse', null]);
      assert.deepEqual(capped.rules.filter((r: Json) => r.action === 'refuse').map((r: Json) => [r.rule, r.code]), [['marketing.content', 'content_rejected'], ['marketing.caps', 'flood_protection']]);
      assert.equal((await call(shop.key, 'GET', '/v1/messages?limit=100')).body.messages.length, before + 1, 'checks stored nothing');
      const bad = await call(shop.key, 'POST', '/v1/messages/check', { from: 'Shop', to: ['+447700900050', '12'], text: 'Sale' });
      assert.deepEqual([bad.status, bad.body.error.param], [400, 'to[1]']);
      await policy(null);
    });

    test('`switchboard check` answers on the store with the file\'s operator policies, storing nothing', { skip: storeName !== 'SQLite' && 'the CLI test reads the SQLite node\'s folder' }, async () => {
      const file = join(node.dir, 'switchboard.yaml');
      writeFileSync(file, 'connections:\n  - { name: sandbox, provider: sandbox }\nroutes:\n  - { name: all, connections: [sandbox] }\ncompliance:\n  marketing:\n    opt_out: refuse\n');
      const env = { ...process.env, SWITCHBOARD_DATA_DIR: node.dir, SWITCHBOARD_CONFIG: file, LOG_LEVEL: 'silent' };
      const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'check', ...args], { env, encoding: 'utf8' });
      const json = run('--from', 'Shop', '--to', '+33612345678,+447700900060', '--text', 'Sale', '--type', 'marketing', '--account', shop.id, '--json');
      assert.equal(json.status, 0, json.stderr);
      const [fr, gb] = (JSON.parse(json.stdout) as Json).recipients;
      assert.deepEqual([fr.outcome, fr.rules[0].rule, fr.rules[0].code, gb.outcome], ['refuse', 'marketing.opt_out', 'opt_out_instructions_missing', 'send']);
      assert.match(run('--from', 'Shop', '--to', '+33612345678', '--text', 'Sale', '--type', 'marketing').stdout, /^\+33612345678 \(FR, policy marketing\): refuse\n  marketing\.opt_out: refuse \(opt_out_instructions_missing\)/);
      assert.equal(run('--to', '+33612345678').status, 2);
    });

    test('a do-not-contact list of thousands imports in one call beside the STOP list, and exports as CSV', async () => {
      const numbers = Array.from({ length: 3000 }, (_, i) => `+44740${String(i).padStart(7, '0')}`);
      const csv = ['number,sender', ...numbers.map((n, i) => (i === 0 ? `${n},Shop` : n))].join('\n');
      const upload = (body: string) => node.api.inject({ method: 'POST', url: '/v1/opt-outs/import', headers: { ...bearer(shop.key), 'content-type': 'text/csv' }, payload: body });
      const imported = await upload(csv);
      assert.deepEqual([imported.statusCode, imported.json()], [200, { added: 3000, entries: 3000 }]);
      assert.deepEqual((await upload(csv)).json(), { added: 0, entries: 3000 }, 'an import again adds nothing');
      const bad = await upload('+447700900000\n07700 900000');
      assert.deepEqual([bad.statusCode, bad.json().error.code, bad.json().error.param], [400, 'invalid_parameter', 'body']);
      assert.match(bad.json().error.message, /^Line 2:/);
      assert.deepEqual(refusal(await send({ to: numbers[2], type: 'transactional' })).slice(0, 2), [403, 'destination_opted_out'], '"*": every sender');
      assert.equal((await send({ to: numbers[0], from: 'Other' })).status, 202, 'an entry for one sender holds that sender only');
      const exported = await node.api.inject({ method: 'GET', url: '/v1/opt-outs?limit=100000', headers: { ...bearer(shop.key), accept: 'text/csv' } });
      assert.match(exported.headers['content-type'] as string, /^text\/csv/);
      const lines = exported.body.trim().split('\r\n');
      assert.equal(lines[0], 'number,sender,source,created_at');
      assert.equal(lines.length, 3001);
      assert.ok(lines.some((l) => l.startsWith(`${numbers[0]},Shop,import,`)), 'numbers as they are, in E.164');
      assert.deepEqual((await upload(exported.body)).json(), { added: 0, entries: 3000 }, 'an export imports back as it is');
    });
  });
}

describe('compliance counters across nodes', () => {
  test('the duplicate guard and a cap hold exactly for requests spread over two nodes sharing a database', async () => {
    const nodes = await twoNodes('compliance');
    const { a, b } = nodes;
    try {
      const admin = a.key || b.key;
      const call = async (node: TestNode, key: string, url: string, method: string, payload: object) => {
        const res = await node.api.inject({ method: method as 'POST', url, headers: bearer(key), payload });
        return { status: res.statusCode, body: res.json() as Json };
      };
      const shop = (await call(a, admin, '/v1/accounts', 'POST', { name: 'Shop' })).body;
      await call(b, admin, `/v1/accounts/${shop.id}`, 'PATCH', { compliance: { marketing: { duplicate_window: 600, caps: { day: 3 } } } });
      const key = (await call(a, admin, `/v1/accounts/${shop.id}/keys`, 'POST', {})).body.key as string;
      const nodes = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b));
      const same = await Promise.all(nodes.map((n) => call(n, key, '/v1/messages', 'POST', { from: 'Shop', to: '+447700900070', text: 'Once', type: 'marketing' })));
      assert.deepEqual(same.map((r) => r.status).sort(), [202, ...Array<number>(9).fill(409)], 'one of ten identical requests');
      const capped = await Promise.all(nodes.map((n, i) => call(n, key, '/v1/messages', 'POST', { from: 'Shop', to: '+447700900071', text: `Text ${i}`, type: 'marketing' })));
      assert.deepEqual(capped.map((r) => r.status).sort(), [202, 202, 202, ...Array<number>(7).fill(429)], 'three a day to one number');
    } finally {
      await nodes.close();
    }
  });
});
