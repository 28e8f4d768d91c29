import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import { Agent } from 'undici';
import { requestWithin } from './request.js';

async function listen(server: Server): Promise<URL> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/path?q=1`);
}

test('a request still waiting for its connection at the deadline ends then, and is never sent', async () => {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.end('late');
  });
  const url = await listen(server);
  // A connection that opens only after the deadline.
  const slow = new Agent({
    connect: (_options, callback) =>
      void setTimeout(() => {
        const socket = connect(Number(url.port), '127.0.0.1');
        socket.once('connect', () => callback(null, socket));
      }, 300),
  });
  try {
    const answer = await requestWithin(slow, url, { method: 'POST', headers: {}, body: 'x' }, 50);
    assert.ok('error' in answer);
    assert.deepEqual({ timedOut: answer.timedOut, started: answer.started, message: answer.error.message }, { timedOut: true, started: false, message: 'no answer within 50 ms' });
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(requests, 0);
  } finally {
    await slow.close();
    server.close();
  }
});

test("an answer's status, headers and text, its text kept up to `keep` bytes, its path and query sent as given", async () => {
  let seen = '';
  const server = createServer((req, res) => {
    seen = `${req.method} ${req.url}`;
    res.writeHead(201, { 'retry-after': '5' });
    res.write('a'.repeat(3000));
    res.end('b'.repeat(3000));
  });
  const url = await listen(server);
  const agent = new Agent();
  try {
    const whole = await requestWithin(agent, url, { method: 'GET', headers: {} }, 5000);
    assert.ok('text' in whole);
    assert.deepEqual({ status: whole.status, retryAfter: whole.headers['retry-after'], length: whole.text.length }, { status: 201, retryAfter: '5', length: 6000 });
    assert.equal(seen, 'GET /path?q=1');
    const kept = await requestWithin(agent, url, { method: 'GET', headers: {} }, 5000, 100);
    assert.ok('text' in kept);
    assert.ok(kept.text.length >= 100 && kept.text.length < 6000, `${kept.text.length} bytes kept`);
  } finally {
    await agent.close();
    server.close();
  }
});
