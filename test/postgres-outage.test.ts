import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { bearer, dropTestSchema, eventually, testNode, TEST_DATABASE_URL } from './helpers.js';
import { relayTo } from './relay.js';

type Sent = { statusCode: number; body: string; json(): unknown; headers: Record<string, unknown> };

/** A node on PostgreSQL at `url`, in a schema of its own, with what the tests ask of it. */
async function nodeOn(url: string, env: Record<string, string> = {}) {
  const schema = `outage_${process.pid}_${Date.now()}`;
  // A claim whose commit the outage cut may have been made: its message waits for the lease to
  // lapse (then goes, as never sent). 5 s, not the default 30 s, for the test's patience.
  const node = await testNode({ env: { SWITCHBOARD_DATABASE_URL: url, SWITCHBOARD_DATABASE_SCHEMA: schema, SWITCHBOARD_LEASE_MS: '5000', ...env } });
  const send = (to: string): Promise<Sent> => node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Outage', to, text: 'Hi' } });
  const read = (id: string): Promise<Sent> => node.api.inject({ url: `/v1/messages/${id}`, headers: bearer(node.key) });
  const idOf = (res: Sent) => (res.json() as { messages: { id: string }[] }).messages[0]!.id;
  return {
    send,
    read,
    idOf,
    /** Each answered 503 service_unavailable, to be retried in a second. */
    assertUnavailable(...answers: Sent[]) {
      for (const res of answers) {
        assert.equal(res.statusCode, 503, res.body);
        assert.equal((res.json() as { error: { code: string } }).error.code, 'service_unavailable');
        assert.equal(res.headers['retry-after'], '1');
      }
    },
    /** Sends are accepted again without a restart, and the messages sent before and after are delivered. */
    async assertGoesOn(before: Sent) {
      const after = await eventually(async () => {
        const res = await send('+447400300002');
        return res.statusCode === 202 ? res : undefined;
      }, 10_000);
      const status = async (id: string) => ((await read(id)).json() as { status: string }).status;
      for (const id of [idOf(before), idOf(after)]) await eventually(async () => ((await status(id)) === 'delivered' ? true : undefined), 20_000);
    },
    stop: () => node.close(),
    dropSchema: () => dropTestSchema(schema),
    async close() {
      await node.close();
      await dropTestSchema(schema);
    },
  };
}

/** A node on the machine's PostgreSQL through a relay the test cuts or freezes. */
async function relayedNode(env: Record<string, string> = {}) {
  const url = new URL(TEST_DATABASE_URL);
  const db = await relayTo(url.hostname, Number(url.port || 5432));
  const relayed = new URL(TEST_DATABASE_URL);
  relayed.host = `127.0.0.1:${db.port}`;
  const node = await nodeOn(relayed.href, env);
  return {
    ...node,
    db,
    async close() {
      await db.restore();
      await node.stop();
      // Closing the relay ends the connections it froze: their sessions, still in a transaction
      // on PostgreSQL's side, would hold the schema's locks, and its drop would wait for ever.
      await db.close();
      await node.dropSchema();
    },
  };
}

/**
 * A node through a relay that the outage cuts (refused, dropped) or freezes (the pool's open
 * connections stop answering mid-statement, new ones are never answered): a send and a read get
 * 503, and once the relay is restored the node sends again, with no restart.
 */
async function throughOutage(outage: 'cut' | 'freeze', env: Record<string, string> = {}) {
  const n = await relayedNode(env);
  try {
    const before = await n.send('+447400300000');
    assert.equal(before.statusCode, 202, before.body);

    if (outage === 'cut') await n.db.cut();
    else n.db.freeze();
    n.assertUnavailable(await n.send('+447400300001'), await n.read(n.idOf(before)));

    await n.db.restore();
    await n.assertGoesOn(before);
  } finally {
    await n.close();
  }
}

test('while PostgreSQL is out of reach the API answers 503 service_unavailable with Retry-After; once it is back, the node goes on without a restart', async () => {
  await throughOutage('cut');
});

test('a PostgreSQL host gone silent (a hard failover: no reset, no refusal) gets requests a 503 at the bound, not held until the kernel gives up; the node goes on once it answers', async () => {
  await throughOutage('freeze', { SWITCHBOARD_DATABASE_TIMEOUT_MS: '1000' });
});

test('the address of the primary reaching a standby (a failover, until the address moves): writes are refused with a 503 saying so, and the node writes again once it reaches a primary', async () => {
  const role = `sb_standby_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  const database = new URL(TEST_DATABASE_URL).pathname.slice(1);
  await admin.query(`CREATE ROLE ${role} LOGIN; GRANT CREATE ON DATABASE ${database} TO ${role}`);
  // The node's new sessions are read-only, as on a standby, and its open ones end, as at a
  // failover. Back: only new sessions may write, as only connections to the new primary can.
  const toStandby = async () => {
    await admin.query(`ALTER ROLE ${role} SET default_transaction_read_only = on`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
  };
  const toPrimary = () => admin.query(`ALTER ROLE ${role} RESET default_transaction_read_only`);
  const url = new URL(TEST_DATABASE_URL);
  url.username = role;
  const n = await nodeOn(url.href);
  try {
    const before = await n.send('+447400300000');
    assert.equal(before.statusCode, 202, before.body);

    await toStandby();
    // The connections the failover ended may answer first that the database is out of reach.
    const refused = await eventually(async () => {
      const res = await n.send('+447400300001');
      return /refuses writes/.test(res.body) ? res : undefined;
    }, 10_000);
    n.assertUnavailable(refused);

    await toPrimary();
    await n.assertGoesOn(before);
  } finally {
    await n.close();
    await admin.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    await admin.end();
  }
});
