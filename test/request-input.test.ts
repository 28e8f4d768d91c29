import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_ACCOUNT } from '../src/app/keys.js';
import { bearer, freePort, testNode, type TestNode } from './helpers.js';

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

/** Input the API must refuse, or take exactly as given, sent as raw bytes over real HTTP. */
describe('request input', () => {
  let node: TestNode;
  let port: number;
  before(async () => {
    node = await testNode();
    port = await freePort();
    await node.api.listen({ host: '127.0.0.1', port });
  });
  after(() => node.close());

  function call(method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          headers: { ...bearer(node.key), ...(bytes && { 'content-type': 'application/json', 'content-length': String(bytes.length) }), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(bytes);
    });
  }

  /** A send body with raw bytes in place of `@@`. */
  const bytesWith = (json: string, raw: number[]) => {
    const [head, tail] = json.split('@@') as [string, string];
    return Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(raw), Buffer.from(tail, 'utf8')]);
  };
  const messageCount = async () => (await node.store.listMessages('acct_default', {}, 1000)).length;
  const errorOf = (answer: Answer) => (JSON.parse(answer.body) as { error: { code: string; param?: string; message: string; type: string } }).error;

  describe('bytes that are not UTF-8', () => {
    const cases: [string, string, number[], string | undefined][] = [
      ['Latin-1 é in the text', '{"from":"A1","to":"+447700900000","text":"caf@@"}', [0xe9], 'text'],
      ['a truncated sequence in a recipient', '{"from":"A1","to":["+447700900000","+4477@@"],"text":"x"}', [0xe2, 0x82], 'to[1]'],
      ['an encoded surrogate (CESU-8) in client_ref', '{"from":"A1","to":"+447700900000","text":"x","client_ref":"r@@"}', [0xed, 0xa0, 0x80], 'client_ref'],
      ['a bad byte after a real U+FFFD', '{"from":"A1","to":"+447700900000","text":"\uFFFD ok","client_ref":"@@"}', [0xff], 'client_ref'],
      ['a bad byte in a key', '{"from":"A1","to":"+447700900000","text":"x","k@@":1}', [0xc0, 0xaf], undefined],
      ['a bad byte outside any string', '{"from":"A1","to":"+447700900000","text":"x"}@@', [0xfe], undefined],
    ];
    for (const [name, json, raw, param] of cases) {
      test(`${name}: 400 invalid_encoding${param ? `, param ${param}` : ''}, nothing stored`, async () => {
        const before = await messageCount();
        const answer = await call('POST', '/v1/messages', bytesWith(json, raw));
        assert.equal(answer.status, 400, answer.body);
        const error = errorOf(answer);
        assert.equal(error.code, 'invalid_encoding');
        assert.equal(error.type, 'invalid_request_error');
        assert.equal(error.param, param);
        assert.match(error.message, /not valid UTF-8/);
        assert.equal(await messageCount(), before);
      });
    }

    test('valid UTF-8, a real U+FFFD included, is stored exactly as sent', async () => {
      const text = 'Zürich € 😀 \uFFFD';
      const answer = await call('POST', '/v1/messages', JSON.stringify({ from: 'A1', to: '+447700900000', text }));
      assert.equal(answer.status, 202, answer.body);
      const [m] = (JSON.parse(answer.body) as { messages: { id: string }[] }).messages;
      assert.equal((await node.store.getMessage(DEFAULT_ACCOUNT, m!.id))?.text, text);
    });

    test('a byte order mark before the body is no part of it', async () => {
      const answer = await call('POST', '/v1/messages', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"from":"A1","to":"+447700900000","text":"x"}')]));
      assert.equal(answer.status, 202, answer.body);
    });
  });

  test('a lone surrogate written as a JSON escape is refused as invalid_encoding, naming the field', async () => {
    for (const [json, param] of [
      ['{"from":"A1","to":"+447700900000","text":"a\\ud800b"}', 'text'],
      ['{"from":"A1","to":"+447700900000","text":"x","client_ref":"\\udc00"}', 'client_ref'],
      ['{"from":"A1","to":["+447700900000","\\udbff"],"text":"x"}', 'to[1]'],
    ] as const) {
      const answer = await call('POST', '/v1/messages', json);
      assert.equal(answer.status, 400, json);
      assert.equal(errorOf(answer).code, 'invalid_encoding', json);
      assert.equal(errorOf(answer).param, param, json);
    }
    // A pair written as escapes is one character, taken.
    assert.equal((await call('POST', '/v1/messages', '{"from":"A1","to":"+447700900000","text":"\\ud83d\\ude00"}')).status, 202);
  });

  describe('text', () => {
    const send = (text: string) => call('POST', '/v1/messages', JSON.stringify({ from: 'A1', to: '+447700900000', text }));

    for (const [name, text] of [
      ['blank', ' \t '],
      ['only line breaks', '\r\n\n'],
    ] as const) {
      test(`${name} text is refused as missing_parameter`, async () => {
        const answer = await send(text);
        assert.equal(answer.status, 400);
        assert.equal(errorOf(answer).code, 'missing_parameter');
        assert.equal(errorOf(answer).param, 'text');
        assert.match(errorOf(answer).message, /blank/);
      });
    }

    for (const [name, text, shown] of [
      ['only NULs', '\u0000\u0000', 'U+0000 at character 1'],
      ['a NUL', 'Hi\u0000', 'U+0000 at character 3'],
      ['a tab', 'a\tb', 'U+0009 at character 2'],
      ['an escape', '\u001b[31mred', 'U+001B at character 1'],
      ['a DEL', 'ok\u007f', 'U+007F at character 3'],
      ['a C1 control', '😀 next\u0085line', 'U+0085 at character 7'],
    ] as const) {
      test(`text with ${name} is refused as invalid_characters, saying which and where`, async () => {
        const answer = await send(text);
        assert.equal(answer.status, 400);
        assert.equal(errorOf(answer).code, 'invalid_characters');
        assert.equal(errorOf(answer).param, 'text');
        assert.ok(errorOf(answer).message.includes(shown), errorOf(answer).message);
      });
    }

    test('line feed, carriage return and form feed are sent in GSM 7-bit; printable non-GSM characters in UCS-2', async () => {
      for (const [text, encoding] of [
        ['Line 1\r\nLine 2\n', 'GSM-7'],
        ['Page 1\fPage 2', 'GSM-7'],
        ['👩‍💻 ok\u200f', 'UCS-2'],
      ] as const) {
        const answer = await send(text);
        assert.equal(answer.status, 202, answer.body);
        const [m] = (JSON.parse(answer.body) as { messages: { id: string; encoding: string }[] }).messages;
        assert.equal(m!.encoding, encoding, JSON.stringify(text));
        assert.equal((await node.store.getMessage(DEFAULT_ACCOUNT, m!.id))?.text, text);
      }
    });
  });

  test('a __proto__ key, or constructor.prototype, is refused as invalid_parameter naming it, not as bad JSON', async () => {
    for (const [path, json, param] of [
      ['/v1/messages', '{"from":"A1","to":"+447700900000","text":"x","__proto__":{"admin":true}}', '__proto__'],
      ['/v1/routes', '{"routes":[{"name":"a","connections":["default"],"constructor":{"prototype":{"x":1}}}]}', 'routes[0].constructor'],
    ] as const) {
      const answer = await call(path === '/v1/routes' ? 'PUT' : 'POST', path, json);
      assert.equal(answer.status, 400, json);
      const error = errorOf(answer);
      assert.equal(error.code, 'invalid_parameter');
      assert.equal(error.param, param);
      assert.match(error.message, /__proto__/);
    }
  });

  test('a body nested a hundred thousand deep is read like any other', async () => {
    const deep = `${'['.repeat(100_000)}"\\ud800"${']'.repeat(100_000)}`;
    const answer = await call('POST', '/v1/messages', `{"from":"A1","to":"+447700900000","text":"x","deep":${deep}}`);
    assert.equal(answer.status, 400, answer.body);
    assert.equal(errorOf(answer).code, 'invalid_encoding');
    assert.equal(errorOf(answer).param, `deep${'[0]'.repeat(100_000)}`);
  });

  test('a body over the limit answers 413 saying the limit', async () => {
    const answer = await node.api.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { ...bearer(node.key), 'content-type': 'application/json' },
      payload: JSON.stringify({ from: 'A1', to: '+447700900000', text: 'x'.repeat(1024 * 1024) }),
    });
    assert.equal(answer.statusCode, 413);
    assert.equal(answer.json().error.code, 'payload_too_large');
    assert.match(answer.json().error.message, /1 MiB \(1048576 bytes\)/);
  });

  describe('POST /v1/opt-outs', () => {
    for (const sender of ['\n\r', '[]', 'A'.repeat(28), ' Shop', '']) {
      test(`refuses the sender ${JSON.stringify(sender)} as invalid_sender`, async () => {
        const answer = await call('POST', '/v1/opt-outs', JSON.stringify({ sender, number: '+447700900100' }));
        assert.equal(answer.status, 400);
        assert.equal(errorOf(answer).code, 'invalid_sender');
        assert.equal(errorOf(answer).param, 'sender');
      });
    }

    test('takes what a message may be sent from, and "*"', async () => {
      for (const sender of ['MY SHOP 24', '12345', '+447911123456', '*']) {
        const answer = await call('POST', '/v1/opt-outs', JSON.stringify({ sender, number: '+447700900101' }));
        assert.equal(answer.status, 201, sender);
        assert.equal((JSON.parse(answer.body) as { sender: string }).sender, sender);
      }
    });
  });

  describe('GET /docs/errors/{unknown}', () => {
    test('a browser gets a readable 404 page', async () => {
      const answer = await call('GET', '/docs/errors/no_such_error', undefined, { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });
      assert.equal(answer.status, 404);
      assert.match(answer.type, /^text\/html/);
      assert.match(answer.body, /No error is named <code>no_such_error<\/code>/);
      assert.match(answer.body, /href="\/docs\/errors"/);
    });

    test('an API client gets the canonical JSON error', async () => {
      for (const accept of [undefined, '*/*', 'application/json', 'application/json, text/html;q=0.5']) {
        const answer = await call('GET', '/docs/errors/no_such_error', undefined, accept === undefined ? {} : { accept });
        assert.equal(answer.status, 404, accept);
        assert.match(answer.type, /^application\/json/);
        assert.equal(errorOf(answer).code, 'not_found');
      }
    });

    test('the page escapes what the URL carries', async () => {
      const answer = await call('GET', '/docs/errors/%3Cscript%3E', undefined, { accept: 'text/html' });
      assert.equal(answer.status, 404);
      assert.ok(!answer.body.includes('<script>'));
      assert.match(answer.body, /&lt;script&gt;/);
    });
  });
});
