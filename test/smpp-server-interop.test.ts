import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bearer, PROJECT_CI, testNode, type TestNode } from './helpers.js';

// Switchboard's SMPP server against a client it did not write: Net::SMPP (libnet-smpp-perl) as a
// customer's application.
const SCRIPT = fileURLToPath(new URL('../../test/interop/netsmpp-esme.pl', import.meta.url));
const MULTI_SCRIPT = fileURLToPath(new URL('../../test/interop/netsmpp-multi.pl', import.meta.url));

/** Runs a Net::SMPP script against the node's SMPP server with a new credential; the JSON lines it printed. */
async function runScript(node: TestNode, script: string, ...args: string[]): Promise<Record<string, unknown>[]> {
  const { port } = await node.smpp!.listen();
  const made = await node.api.inject({ method: 'POST', url: '/v1/accounts/acct_default/credentials', headers: bearer(node.key), payload: { protocol: 'smpp' } });
  const cred = made.json() as { key: string; secret: string };
  const child = spawn('perl', [script, String(port), cred.key, cred.secret, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const events: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => events.push(JSON.parse(line) as Record<string, unknown>));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, JSON.stringify(events));
  return events;
}
const available = spawnSync('perl', ['-MNet::SMPP', '-e', '1']).status === 0;
const skip = !available && !PROJECT_CI ? 'Net::SMPP is not installed (apt-get install libnet-smpp-perl)' : false;

describe('the SMPP server with Net::SMPP as the customer', { skip }, () => {
  test('bind, GSM 7-bit, UCS-2 and a long message in parts out of order, receipts as deliver_sm, query_sm, unbind', async () => {
    const node = await testNode({ env: { SWITCHBOARD_SMPP_PORT: '0' } });
    try {
      const events = await runScript(node, SCRIPT, '447700900000');

      const answers = events.filter((e) => e.event === 'submit_resp');
      assert.deepEqual(answers.map((e) => [e.label, e.status]), [['gsm', 0], ['ucs2', 0], ['long', 0], ['long', 0]]);
      const [gsm, ucs2, long] = [0, 1, 2].map((i) => String(answers[i]!.id)) as [string, string, string];
      assert.equal(answers[3]!.id, long, 'both parts answer with the one message id');
      const text = async (id: string) => (await node.api.inject({ method: 'GET', url: `/v1/messages/msg_${id}`, headers: bearer(node.key) })).json().text as string;
      assert.deepEqual([await text(gsm), await text(ucs2), await text(long)], ['Hello from Perl', 'Привет', 'First half, then the second half.']);

      const receipts = events.filter((e) => e.event === 'deliver');
      assert.equal(receipts.length, 3);
      for (const r of receipts) {
        assert.equal(r.esm_class, 4);
        assert.match(String(r.text), /^id:[0-9A-Z]{26} sub:001 dlvrd:001 submit date:\d{10} done date:\d{10} stat:DELIVRD err:000 text:/);
      }
      assert.deepEqual(new Set(receipts.map((r) => /^id:(\S+)/.exec(String(r.text))![1])), new Set([gsm, ucs2, long]));
      assert.deepEqual(events.find((e) => e.event === 'query_resp'), { event: 'query_resp', status: 0, message_state: 2 });
      assert.ok(events.some((e) => e.event === 'unbound'));
    } finally {
      await node.close();
    }
  });

  test('submit_multi to several numbers, an invalid one and a distribution list, and data_sm; receipts carry the ids they were answered with', async () => {
    const node = await testNode({ env: { SWITCHBOARD_SMPP_PORT: '0' } });
    try {
      const events = await runScript(node, MULTI_SCRIPT, '447700900000', '447700900001');
      const multi = events.find((e) => e.event === 'multi_resp')!;
      assert.deepEqual([multi.status, multi.unsuccess], [0, [['12', 0x0b], ['staff', 0x44]]]);
      const data = events.find((e) => e.event === 'data_resp')!;
      assert.equal(data.status, 0);
      const list = (await node.api.inject({ method: 'GET', url: '/v1/messages', headers: bearer(node.key) })).json().messages as { id: string; to: string; text: string }[];
      assert.deepEqual(list.map((m) => [m.to, m.text]).sort(), [
        ['+447700900000', 'Sent with data_sm, '.repeat(12)],
        ['+447700900000', 'To several'],
        ['+447700900001', 'To several'],
      ]);
      assert.ok(list.some((m) => m.id === `msg_${String(data.id)}`));
      const receipts = events.filter((e) => e.event === 'deliver').map((e) => [e.source_addr, e.receipted_message_id, /stat:(\w+)/.exec(String(e.text))?.[1]]);
      assert.deepEqual(receipts.sort(), [
        ['447700900000', data.id, 'DELIVRD'],
        ['447700900000', multi.id, 'DELIVRD'],
        ['447700900001', multi.id, 'UNDELIV'],
      ].sort());
      assert.ok(events.some((e) => e.event === 'unbound'));
    } finally {
      await node.close();
    }
  });
});
