import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../src/app/clock.js';
import { infobipPlugin } from '../src/providers/infobip/plugin.js';
import { webexConnectPlugin } from '../src/providers/webex-connect/plugin.js';
import { testNode, type TestNode } from './helpers.js';

const BASE = 'http://127.0.0.1:9';
const TOKEN = 'malformed-payload-token';

/** Malformed receipts posted to the receipts route: a 400 canonical error, never a 500. */
describe('malformed provider payloads at the receipts route', () => {
  let node: TestNode;
  before(async () => {
    const context = { clock: systemClock, publicUrl: BASE };
    node = await testNode({
      connectors: [
        infobipPlugin.create({ name: 'ib', provider: 'infobip', api_key: 'k', base_url: BASE, receipt_token: TOKEN }, context),
        webexConnectPlugin.create({ name: 'wx', provider: 'webex-connect', service_key: 'k', base_url: BASE, receipt_token: TOKEN }, context),
      ],
      env: { SWITCHBOARD_PUBLIC_URL: BASE },
    });
  });
  after(() => node.close());

  const post = (path: string, payload: string) =>
    node.api.inject({ method: 'POST', url: `${path}?token=${TOKEN}`, headers: { 'content-type': 'application/json' }, payload });

  test('null where the provider sends an object answers 400 invalid_parameter', async () => {
    for (const [path, payload] of [
      ['/v1/providers/infobip/ib/receipts', '{"results":[null]}'],
      ['/v1/providers/infobip/ib/receipts', 'null'],
      ['/v1/providers/webex-connect/wx/receipts', '[null]'],
      ['/v1/providers/webex-connect/wx/receipts', '{"deliveryInfoNotification":{"transid":"t","deliveryInfo":null}}'],
    ] as const) {
      const res = await post(path, payload);
      assert.equal(res.statusCode, 400, `${path} ${payload}: ${res.body}`);
      const { error } = res.json();
      assert.equal(error.code, 'invalid_parameter');
      assert.equal(error.type, 'invalid_request_error');
      assert.ok(error.message.length > 0);
    }
  });
});
