import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bearer, eventually, freePort, tempDir, testNode, type TestNode } from '../helpers.js';

/** A regional provider's plain-text API, as Kannel's generic SMSC meets them: `OK <id>` or `ERR <reason>`. */
function regionalProvider(seen: URLSearchParams[]): Server {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      seen.push(form);
      const to = form.get('dst');
      const answer = to === '447400000001' ? 'ERR 12 INVALID NUMBER' : to === '447400000002' ? 'ERR 5 THROTTLED, try later' : `OK ${1000 + seen.length}`;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(answer);
    });
  });
}

describe('a provider added by configuration alone (generic-http)', () => {
  const seen: URLSearchParams[] = [];
  const provider = regionalProvider(seen);
  let node: TestNode;
  let base: string;
  const token = 'a-long-shared-token-0123';
  before(async () => {
    await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
    const providerUrl = `http://127.0.0.1:${(provider.address() as { port: number }).port}`;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const dir = tempDir();
    const file = join(dir, 'switchboard.yaml');
    writeFileSync(
      file,
      `connections:
  - name: regional
    provider: generic-http
    request:
      method: POST
      url: ${providerUrl}/send
      headers: { content-type: application/x-www-form-urlencoded, authorization: "Basic dXNlcjpwYXNz" }
      body: "dst={{to_digits}}&src={{from|url}}&msg={{text|url}}&coding={{data_coding}}&dlr={{callback_url|url}}"
    response:
      success: "^OK "
      permanent_failure: "^ERR (12|13) "
      temporary_failure: "THROTTLED"
      message_id: { regex: "^OK (\\\\d+)" }
      permanent_error: invalid_phone_number
      temporary_error: rate_limit_exceeded
    receipts:
      id: msgid
      status: stat
      token: ${token}
      statuses:
        DELIVRD: { state: delivered }
        UNDELIV: { state: undelivered, error: delivery_failed }
        ABSENT: { state: undelivered, error: absent_subscriber }
routes:
  - name: all
    connections: [regional]
`,
    );
    node = await testNode({ dir, env: { SWITCHBOARD_CONFIG: file, SWITCHBOARD_PUBLIC_URL: base } });
    await node.api.listen({ host: '127.0.0.1', port });
  });
  after(async () => {
    await node.close();
    provider.close();
  });

  const send = async (to: string) => {
    const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'My Shop', to, text: 'Code: 12&34' } });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().messages[0].id as string;
  };
  const get = async (id: string) => (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
  const until = (id: string, status: string) => eventually(async () => ((await get(id)).status === status ? get(id) : undefined));

  test('the request is built from the template and the id read from the answer', async () => {
    const m = await until(await send('+447400123456'), 'sent');
    const form = seen.at(-1)!;
    assert.equal(form.get('dst'), '447400123456');
    assert.equal(form.get('src'), 'My Shop');
    assert.equal(form.get('msg'), 'Code: 12&34');
    assert.equal(form.get('coding'), '0');
    assert.equal(form.get('dlr'), `${base}/v1/providers/generic-http/regional/receipts?token=${token}`);
    assert.match(m.provider_message_id, /^\d+$/);

    const receipt = await fetch(`${form.get('dlr')}&msgid=${m.provider_message_id}&stat=ABSENT`);
    assert.equal(receipt.status, 200);
    // Absent subscriber is transient: the message goes again.
    const again = await eventually(async () => {
      const r = await get(m.id);
      return r.status === 'sent' && r.attempts === 2 ? r : undefined;
    });
    const retry = again.events.find((e: { type: string }) => e.type === 'retry_scheduled');
    assert.equal(retry.error.code, 'absent_subscriber');
    assert.equal(retry.error.provider.source, 'generic-http');
  });

  test('the failure patterns decide: permanent refused, temporary retried', async () => {
    const invalid = await until(await send('+447400000001'), 'rejected');
    assert.equal(invalid.error.code, 'invalid_phone_number');
    const id = await send('+447400000002');
    const m = await eventually(async () => {
      const r = await get(id);
      return r.events.some((e: { type: string }) => e.type === 'retry_scheduled') ? r : undefined;
    });
    assert.equal(m.events.find((e: { type: string }) => e.type === 'retry_scheduled').error.code, 'rate_limit_exceeded');
  });

  test('a receipt without the token is refused', async () => {
    const res = await fetch(`${base}/v1/providers/generic-http/regional/receipts?msgid=1&stat=DELIVRD`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_signature');
  });
});
