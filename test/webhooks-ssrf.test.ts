import assert from 'node:assert/strict';
import { test } from 'node:test';
import { standardWebhookPost } from '../src/webhooks/post.js';
import { isPrivateAddress, UrlGuard } from '../src/webhooks/url-guard.js';
import { Receiver } from './webhook-receiver.js';

// One address inside (and, where a neighbour is public, one just outside) each blocked range.
const PRIVATE: [string, string][] = [
  ['"this network"', '0.0.0.0'],
  ['"this network"', '0.255.1.2'],
  ['private', '10.1.2.3'],
  ['carrier-grade NAT', '100.64.0.1'],
  ['carrier-grade NAT', '100.127.255.254'],
  ['loopback', '127.0.0.1'],
  ['link-local (cloud metadata)', '169.254.169.254'],
  ['private', '172.16.0.1'],
  ['private', '172.31.255.254'],
  ['private', '192.168.1.1'],
  ['benchmarking', '198.18.0.1'],
  ['benchmarking', '198.19.255.254'],
  ['multicast', '224.0.0.1'],
  ['multicast', '239.255.255.250'],
  ['reserved', '240.0.0.1'],
  ['broadcast', '255.255.255.255'],
  ['unspecified', '::'],
  ['loopback', '::1'],
  ['unique-local', 'fc00::1'],
  ['unique-local', 'fd12:3456::1'],
  ['link-local', 'fe80::1'],
  ['site-local', 'fec0::1'],
  ['site-local', 'feff::1'],
  ['multicast', 'ff02::1'],
  ['local-use NAT64', '64:ff9b:1::a00:1'],
  ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
  ['IPv4-mapped loopback, hex', '::ffff:7f00:1'],
  ['IPv4-mapped private', '::ffff:192.168.0.1'],
  ['IPv4-compatible loopback', '::127.0.0.1'],
  ['IPv4-compatible private', '::a00:1'],
  ['NAT64 of loopback', '64:ff9b::127.0.0.1'],
  ['NAT64 of link-local', '64:ff9b::a9fe:a9fe'],
];

const PUBLIC = ['8.8.8.8', '1.1.1.1', '100.128.0.1', '172.32.0.1', '198.20.0.1', '223.255.255.254', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808'];

test('the guard blocks every loopback, private, link-local, NAT, multicast and reserved range, IPv4 carried in IPv6 judged as IPv4', async () => {
  const guard = new UrlGuard(false);
  for (const [range, address] of PRIVATE) {
    assert.equal(isPrivateAddress(address), true, `${address} (${range})`);
    const url = `http://${address.includes(':') ? `[${address}]` : address}/hooks`;
    await assert.rejects(guard.check(url, 'url'), { code: 'invalid_callback_url', message: /private/ }, url);
  }
  for (const address of PUBLIC) assert.equal(isPrivateAddress(address), false, address);
});

test('every address a name resolves to is checked: one private answer among public ones refuses it', async () => {
  const guard = new UrlGuard(false, async () => [
    { address: '93.184.215.14', family: 4 },
    { address: '::ffff:10.0.0.1', family: 6 },
  ]);
  await assert.rejects(guard.check('https://hooks.example/', 'url'), { code: 'invalid_callback_url', param: 'url' });
  const unresolved = new UrlGuard(false, async () => []);
  await assert.rejects(unresolved.check('https://hooks.example/', 'url'), { message: /does not resolve/ });
  const allowed = new UrlGuard(true, async () => [{ address: '127.0.0.1', family: 4 }]);
  assert.deepEqual(await allowed.addresses(new URL('http://hooks.example/'), 'url'), [{ address: '127.0.0.1', family: 4 }]);
});

test("a host's answer is used for its deliveries for 5 s, then asked again; a failed answer is not kept", async () => {
  let now = 0;
  const asked: string[] = [];
  let failing = false;
  const guard = new UrlGuard(false, async (host) => {
    asked.push(host);
    if (failing) throw new Error('ENOTFOUND');
    return [{ address: '93.184.216.34', family: 4 }];
  }, 5000, () => now);
  const url = new URL('https://hooks.example/a');
  for (let i = 0; i < 100; i++) await guard.addresses(url, 'url');
  assert.deepEqual(asked, ['hooks.example'], 'one DNS query for 100 deliveries');
  now = 4999;
  await guard.addresses(new URL('https://hooks.example/other-path'), 'url');
  assert.equal(asked.length, 1);
  now = 5000;
  failing = true;
  await assert.rejects(guard.addresses(url, 'url'), { message: /does not resolve/ });
  await assert.rejects(guard.addresses(url, 'url'), { message: /does not resolve/ });
  assert.equal(asked.length, 3, 'a failure is asked again at the next delivery');
});

test('a delivery connects to the addresses checked, never to a second DNS answer (no DNS rebinding)', async () => {
  const receiver = await new Receiver(['hang']).listen();
  try {
    const port = new URL(receiver.url).port;
    const event = { id: 'evt_1', timestamp: new Date(), body: '{"type":"message.sent"}', secret: `whsec_${Buffer.from('a secret for the test').toString('base64')}` };
    // The first answer is the receiver; any later one would be an address nothing listens on.
    let asked = 0;
    const rebinding = async () => [{ address: asked++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    let now = 0;
    const dev = standardWebhookPost(new UrlGuard(true, rebinding, 5000, () => now), 300);
    assert.deepEqual(await dev({ url: `http://hooks.test:${port}/hooks`, ...event }), { error: 'no answer within 300 ms' }, 'held open by the receiver, until the timeout');
    assert.equal(asked, 1, 'resolved once, for the check; the connection used that answer');
    now = 5000;
    assert.deepEqual(await dev({ url: `http://hooks.test:${port}/hooks`, ...event }), { error: 'ECONNREFUSED' }, 'a delivery after the answer expired checks again, and goes where that check said');
    assert.equal(receiver.verified(event.secret).length, 1);

    const strict = standardWebhookPost(new UrlGuard(false, async () => [{ address: '127.0.0.1', family: 4 }]), 300);
    const refused = await strict({ url: `http://hooks.test:${port}/hooks`, ...event });
    assert.match('error' in refused ? refused.error : '', /private/);
    assert.equal(receiver.requests.length, 1, 'nothing was sent');
  } finally {
    await receiver.close();
  }
});
