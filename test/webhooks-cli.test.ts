import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { eventually, freePort } from './helpers.js';

/** `switchboard webhooks listen` on a free port, once it says it listens; its output as it comes. */
async function listen(args: string[]) {
  const port = await freePort();
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'webhooks', 'listen', '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SWITCHBOARD_WEBHOOK_SECRET: '' } });
  const output = { out: '', err: '' };
  child.stdout.on('data', (d) => (output.out += d));
  child.stderr.on('data', (d) => (output.err += d));
  // A listener that never says it listens is stopped, not left to hold the test run open.
  await eventually(async () => (output.err.includes('Listening') ? true : undefined), 30_000).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return { url: `http://127.0.0.1:${port}/`, output, stop: () => child.kill('SIGTERM') };
}

const cliEvent = () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'message.delivered', timestamp: new Date().toISOString(), data: {} });
  const now = new Date();
  return { body, now, headers: { 'content-type': 'application/json', 'webhook-id': 'evt_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)) } };
};

test('`switchboard webhooks listen --secret` prints verified events and refuses bad signatures', async () => {
  const secret = `whsec_${Buffer.from('a local development secret').toString('base64')}`;
  const listener = await listen(['--secret', secret]);
  try {
    const { body, now, headers } = cliEvent();
    const good = await fetch(listener.url, { method: 'POST', headers: { ...headers, 'webhook-signature': new Webhook(secret).sign('evt_1', now, body) }, body });
    assert.equal(good.status, 204);
    const bad = await fetch(listener.url, { method: 'POST', headers: { ...headers, 'webhook-signature': 'v1,AAAA' }, body });
    assert.equal(bad.status, 401);
    await eventually(async () => (listener.output.out.includes('"message.delivered"') ? true : undefined));
    assert.equal(listener.output.out.trim().split('\n').length, 1, 'only the verified one');
    assert.doesNotMatch(listener.output.err, /NOT verified/);
  } finally {
    listener.stop();
  }
});

test('`switchboard webhooks listen` without a secret prints every event, marked NOT verified, and says how to verify', async () => {
  const listener = await listen([]);
  try {
    assert.match(listener.output.err, /NOT verified.*--secret whsec_/);
    const { body, headers } = cliEvent();
    const res = await fetch(listener.url, { method: 'POST', headers: { ...headers, 'webhook-signature': 'v1,AAAA' }, body });
    assert.equal(res.status, 204);
    await eventually(async () => (listener.output.out.includes('"message.delivered"') && listener.output.err.includes('evt_1') ? true : undefined));
    assert.deepEqual(JSON.parse(listener.output.out), JSON.parse(body));
    assert.match(listener.output.err, /NOT verified \(no secret given\): evt_1/);
    assert.equal((await fetch(listener.url, { method: 'POST', body: 'hello' })).status, 400);
  } finally {
    listener.stop();
  }
});
