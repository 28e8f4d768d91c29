import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './helpers.js';

/**
 * A TCP relay on 127.0.0.1 to a server of the machine (its PostgreSQL, its Redis), that a test
 * cuts (its connections dropped, new ones refused) or freezes (nothing passes either way and new
 * connections are never answered: a host gone without a word), and restores, as an outage would.
 * A frozen connection stays silent after the restore, as one to a host that a hard failover
 * replaced: only new connections reach the server again.
 */
export async function relayTo(host: string, port: number) {
  const listenPort = await freePort();
  const sockets = new Set<Socket>();
  const pairs = new Set<readonly [Socket, Socket]>();
  const waiting = new Set<Socket>();
  let frozen = false;
  let server: Server | undefined;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => {
      sockets.delete(s);
      waiting.delete(s);
    });
    s.on('error', () => undefined);
  };
  const forward = (client: Socket) => {
    const upstream = connect(port, host);
    track(upstream);
    const pair = [client, upstream] as const;
    pairs.add(pair);
    client.on('close', () => pairs.delete(pair));
    client.pipe(upstream).pipe(client);
  };
  const listen = () =>
    new Promise<void>((resolve) => {
      if (server?.listening) return resolve();
      server = createServer((client) => {
        track(client);
        if (frozen) waiting.add(client);
        else forward(client);
      }).listen(listenPort, '127.0.0.1', resolve);
    });
  await listen();
  const cut = () =>
    new Promise<void>((resolve) => {
      server!.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  const freeze = () => {
    frozen = true;
    for (const [client, upstream] of pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  };
  const restore = async () => {
    if (frozen) {
      frozen = false;
      pairs.clear();
      for (const client of waiting) forward(client);
      waiting.clear();
    }
    await listen();
  };
  return { port: listenPort, cut, freeze, restore, close: cut };
}
