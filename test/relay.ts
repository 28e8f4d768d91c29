import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './helpers.js';

/**
 * A TCP relay on 127.0.0.1 to a server of the machine (its PostgreSQL, its Redis), that a test
 * cuts (its connections dropped, new ones refused) and restores, as an outage would.
 */
export async function relayTo(host: string, port: number) {
  const listenPort = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve) => {
      if (server?.listening) return resolve();
      server = createServer((client) => {
        const upstream = connect(port, host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      }).listen(listenPort, '127.0.0.1', resolve);
    });
  await listen();
  const cut = () =>
    new Promise<void>((resolve) => {
      server!.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  return { port: listenPort, cut, restore: listen, close: cut };
}
