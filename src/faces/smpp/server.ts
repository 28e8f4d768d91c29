import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import type { AcceptService } from '../../app/accept.js';
import type { Clock } from '../../app/clock.js';
import type { Coordination } from '../../app/coordination.js';
import type { FaceCredentials } from '../../app/credentials.js';
import type { MessageService } from '../../app/messages.js';
import type { Store } from '../../app/store.js';
import { SmppSession } from '../../providers/smpp/session.js';
import { SmppOutbox } from './outbox.js';
import { CustomerSession, type SessionContext } from './session.js';
import { SmppSubmits } from './submits.js';

/** Where and how the SMPP server listens. */
export interface SmppServerSettings {
  readonly host: string;
  /** Plain SMPP; undefined: not listened on. 0 picks a free port. */
  readonly port: number | undefined;
  /** SMPP over TLS, with its certificate and key (PEM files); undefined: not listened on. */
  readonly tls: { readonly port: number; readonly certFile: string; readonly keyFile: string } | undefined;
  /** Requests outstanding at once on one session, each way: deliver_sm out, and submits read and not yet answered. */
  readonly window: number;
  /** How long the parts of a long message may take to all come. */
  readonly partTimeoutMs: number;
  /** How long a deliver_sm may wait for its response. */
  readonly responseTimeoutMs: number;
}

export interface SmppServerDeps {
  readonly accept: AcceptService;
  readonly credentials: FaceCredentials;
  readonly messages: MessageService;
  readonly store: Store;
  readonly coordination: Coordination;
  readonly clock: Clock;
  readonly log: Logger;
  readonly nodeId: string;
  readonly leaseMs: number;
}

/**
 * The SMPP 3.4 server customers bind to (SMSC side), on a plain port, a TLS port, or both.
 * Nothing listens until `listen`.
 */
export class SmppServer {
  readonly #servers: { server: Server; port: number }[] = [];
  readonly #sessions = new Set<CustomerSession>();
  readonly #context: SessionContext;
  #serial = 0;

  constructor(
    private readonly settings: SmppServerSettings,
    deps: SmppServerDeps,
  ) {
    const outbox = new SmppOutbox(deps.store, deps.clock, deps.log, { leaseMs: deps.leaseMs, window: settings.window, pollMs: 100 });
    const submits = new SmppSubmits(deps.accept, deps.coordination, deps.clock, deps.log, settings.partTimeoutMs);
    this.#context = { ...deps, outbox, submits, window: settings.window };
    const connect = (socket: Socket) => this.#connect(socket, deps.nodeId);
    if (settings.port !== undefined) this.#servers.push({ server: createServer(connect), port: settings.port });
    if (settings.tls) {
      const options = { cert: readFileSync(settings.tls.certFile), key: readFileSync(settings.tls.keyFile) };
      this.#servers.push({ server: createTlsServer(options, connect), port: settings.tls.port });
    }
  }

  /** Starts listening; resolves with the ports (plain, then TLS, as configured). */
  async listen(): Promise<{ port?: number; tlsPort?: number }> {
    const ports = await Promise.all(
      this.#servers.map(
        ({ server, port }) =>
          new Promise<number>((resolve, reject) => {
            server.once('error', reject);
            server.listen(port, this.settings.host, () => resolve((server.address() as { port: number }).port));
          }),
      ),
    );
    this.#context.outbox.start();
    const plain = this.settings.port !== undefined;
    const listening = { ...(plain && { port: ports[0] }), ...(this.settings.tls && { tlsPort: ports[plain ? 1 : 0] }) };
    this.#context.log.info(listening, 'SMPP server listening');
    return listening;
  }

  /** Bound sessions on this node. */
  get sessions(): number {
    return this.#sessions.size;
  }

  /** Stops listening and drops every session (their binds free at once, their deliver_sm go again). */
  async close(): Promise<void> {
    const closing = this.#servers.map(({ server }) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())));
    for (const s of this.#sessions) s.smpp.destroy();
    await Promise.all(closing);
    this.#context.submits.close();
    await this.#context.outbox.stop();
  }

  #connect(socket: Socket, nodeId: string): void {
    const session = new CustomerSession(
      new SmppSession(socket, { responseTimeoutMs: this.settings.responseTimeoutMs }),
      this.#context,
      `${nodeId}:${++this.#serial}`,
      socket.remoteAddress ?? '',
    );
    this.#sessions.add(session);
    session.smpp.on('close', () => this.#sessions.delete(session));
  }
}
