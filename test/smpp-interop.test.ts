import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../src/app/clock.js';
import { smppPlugin } from '../src/providers/smpp/plugin.js';
import { bearer, eventually, PROJECT_CI, testNode } from './helpers.js';

// Switchboard's SMPP client against an SMSC it did not write: Net::SMPP (libnet-smpp-perl).
const SCRIPT = fileURLToPath(new URL('../../test/interop/netsmpp-smsc.pl', import.meta.url));
const available = spawnSync('perl', ['-MNet::SMPP', '-e', '1']).status === 0;
// CI installs Net::SMPP and must run these; elsewhere they wait for it to be installed.
const skip = !available && !PROJECT_CI ? 'Net::SMPP is not installed (apt-get install libnet-smpp-perl)' : false;

interface Peer {
  readonly child: ChildProcess;
  readonly port: number;
  readonly events: Record<string, unknown>[];
}

async function startPeer(ids: 'hex' | 'decimal'): Promise<Peer> {
  const child = spawn('perl', [SCRIPT, '0', ids], { stdio: ['ignore', 'pipe', 'inherit'] });
  const events: Record<string, unknown>[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`Net::SMPP peer exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const ready = /^READY (\d+)$/.exec(line);
      if (ready) resolve(Number(ready[1]));
      else events.push(JSON.parse(line) as Record<string, unknown>);
    });
  });
  return { child, port, events };
}

for (const ids of ['hex', 'decimal'] as const) {
  describe(`SMPP interoperability with Net::SMPP (submit_sm_resp ids in ${ids})`, { skip }, () => {
    test('bind, GSM, UCS-2 and 3-part submits, receipts in the other id form, enquire_link, reconnect', async () => {
      const peer = await startPeer(ids);
      const connector = smppPlugin.create(
        { name: 'netsmpp', provider: 'smpp', host: '127.0.0.1', port: peer.port, system_id: 'switchboard', password: 'pw', enquire_link_seconds: 0.2, reconnect_min_ms: 50, reconnect_max_ms: 200 },
        { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' },
      );
      const node = await testNode({ connectors: [connector] });
      try {
        const send = async (text: string) => {
          const res = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: '+447400123456', to: '+447911123456', text } });
          assert.equal(res.statusCode, 202, res.body);
          return res.json().messages[0].id as string;
        };
        const until = (id: string, status: string) =>
          eventually(async () => {
            const m = (await node.api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(node.key) })).json();
            return m.status === status ? m : undefined;
          }, 8000);

        await eventually(async () => (peer.events.some((e) => e.event === 'bind') ? true : undefined));
        assert.equal(peer.events.find((e) => e.event === 'bind')!.system_id, 'switchboard');

        const gsm = await until(await send('Hello @ £5'), 'delivered');
        const first = peer.events.find((e) => e.event === 'submit')!;
        assert.equal(first.data_coding, 0);
        assert.equal(first.dest, '447911123456');
        assert.equal(first.source, '447400123456');
        assert.equal(first.sm, Buffer.from([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x00, 0x20, 0x01, 0x35]).toString('hex'));
        assert.equal(gsm.provider_message_id, first.id);

        await until(await send('Привет'), 'delivered');
        const ucs2 = peer.events.filter((e) => e.event === 'submit').at(-1)!;
        assert.equal(ucs2.data_coding, 8);
        assert.equal(ucs2.sm, Buffer.from('Привет', 'utf16le').swap16().toString('hex'));

        const before = peer.events.filter((e) => e.event === 'submit').length;
        await until(await send('z'.repeat(320)), 'delivered');
        const parts = peer.events.filter((e) => e.event === 'submit').slice(before);
        assert.equal(parts.length, 3);
        for (const [i, p] of parts.entries()) {
          assert.equal(Number(p.esm_class) & 0x40, 0x40);
          assert.equal(String(p.sm).slice(0, 6), '050003');
          assert.equal(String(p.sm).slice(8, 12), `03${String(i + 1).padStart(2, '0')}`);
        }

        await eventually(async () => (peer.events.some((e) => e.event === 'enquire_link') ? true : undefined));

        await send('DROP');
        await eventually(async () => (peer.events.filter((e) => e.event === 'bind').length >= 2 ? true : undefined));
        await until(await send('after the drop'), 'delivered');
      } finally {
        await node.close();
        peer.child.kill();
      }
    });
  });
}
