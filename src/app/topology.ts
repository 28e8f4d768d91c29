import type { ProviderCodeTable } from '../core/catalogue/types.js';
import type { QualityCounts } from '../core/quality/counts.js';
import { SwitchboardError } from '../core/errors.js';
import type { Route } from '../core/routing/router.js';
import type { Connector } from './connector.js';
import type { ConnectionHealth, ConnectionState } from './health.js';
import type { Store } from './store.js';

/** A connection as the API shows it: no settings (they hold secrets), its live state. */
export interface ConnectionView extends ConnectionState {
  readonly name: string;
  readonly provider: string;
  /** Null when the connection has no limit. */
  readonly tps: number | null;
  readonly window: number;
  readonly queued: number;
  /** Submits per second from this node over the last minute. */
  readonly sentPerSecond: number;
  /** Outcomes measured over the quality window (every node's), or undefined before any. */
  readonly quality: QualityCounts | undefined;
}

/** Makes a connection from its settings; throws a SwitchboardError naming the bad setting. */
export type ConnectionFactory = (settings: Record<string, unknown>) => { connector: Connector; tables: readonly ProviderCodeTable[] };

export interface TopologyDeps {
  readonly store: Pick<Store, 'saveTopology' | 'loadTopology' | 'queueDepth'>;
  readonly clock: { now(): number };
  /** Identifies the file's topology, so that an edited file wins over an older saved one. */
  readonly fileHash: string;
  readonly create: ConnectionFactory;
  /** What a new connection joins: its code tables, health, dispatcher lane, and its start. */
  readonly attach: (connector: Connector, tables: readonly ProviderCodeTable[]) => Promise<void>;
  /** What a removed connection leaves: its lane and session stopped. */
  readonly detach: (connector: Connector) => Promise<void>;
  readonly health: ConnectionHealth;
  /** What the node measures of a connection: its submits per second lately, and its quality. */
  readonly measured: (name: string) => Pick<ConnectionView, 'sentPerSecond' | 'quality'>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The connections and routing table in force. They start as the configuration file gives them;
 * changed through the API, they are kept in the database and win over the file until the file
 * itself changes. Nodes sharing a database take up each other's changes on `reload`.
 */
export class Topology {
  #routes: readonly Route[];
  /** Settings of the connections made from settings (not those a test or embedder passed in). */
  readonly #settings = new Map<string, Record<string, unknown>>();
  readonly connectors = new Map<string, Connector>();
  #updatedAt = 0;
  /** Changes one at a time: each is validated against the state the previous one left. */
  #queue: Promise<unknown> = Promise.resolve();

  /** @param updatedAt when `routes` (and the connections added next) were saved; 0 for the file's. */
  constructor(
    private readonly deps: TopologyDeps,
    routes: readonly Route[],
    updatedAt: number,
  ) {
    this.#routes = routes;
    this.#updatedAt = updatedAt;
  }

  get routes(): readonly Route[] {
    return this.#routes;
  }

  /** Adds a connection at start, before anything runs. */
  async add(connector: Connector, tables: readonly ProviderCodeTable[], settings?: Record<string, unknown>): Promise<void> {
    this.connectors.set(connector.name, connector);
    if (settings) this.#settings.set(connector.name, settings);
    await this.deps.attach(connector, tables);
  }

  #serially<T>(change: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(change, change);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #save(): Promise<void> {
    const updatedAt = Math.max(this.deps.clock.now(), this.#updatedAt + 1);
    await this.deps.store.saveTopology({ fileHash: this.deps.fileHash, connections: [...this.#settings.values()], routes: this.#routes, updatedAt });
    this.#updatedAt = updatedAt;
  }

  /** Replaces the routing table (already checked against the connections there are). */
  replaceRoutes(routes: readonly Route[]): Promise<void> {
    return this.#serially(async () => {
      const unknown = routes.flatMap((r) => r.connections).find((t) => !this.connectors.has(t.connection));
      if (unknown) throw new SwitchboardError('invalid_parameter', `No connection is named ${JSON.stringify(unknown.connection)}.`, { param: 'routes' });
      this.#routes = routes;
      await this.#save();
    });
  }

  /** Adds a connection, or replaces the one of that name (its queued messages stay queued for the new one). */
  putConnection(settings: Record<string, unknown>): Promise<Connector> {
    return this.#serially(async () => {
      const made = this.deps.create(settings);
      await this.#swap(String(settings.name), made, settings);
      await this.#save();
      return made.connector;
    });
  }

  /**
   * Removes a connection no route names any more and no message waits for: a queued or scheduled
   * message would be left with nothing to send it. Messages sent through it that wait for a
   * receipt stay, and expire at their validity.
   */
  deleteConnection(name: string): Promise<void> {
    return this.#serially(async () => {
      if (!this.connectors.has(name)) throw new SwitchboardError('not_found', `No connection is named ${JSON.stringify(name)}.`, { param: 'name' });
      const route = this.#routes.find((r) => r.connections.some((t) => t.connection === name));
      if (route) throw new SwitchboardError('invalid_parameter', `Route "${route.name}" sends through ${name}: change the routes first.`, { param: 'name' });
      const waiting = (await this.deps.store.queueDepth())[name] ?? 0;
      if (waiting > 0) {
        const count = waiting === 1 ? '1 message is' : `${waiting} messages are`;
        throw new SwitchboardError('invalid_parameter', `${count} still queued or scheduled for ${name}: remove it once they are sent, have failed over or expired, or are canceled.`, { param: 'name' });
      }
      await this.#swap(name, undefined, undefined);
      await this.#save();
    });
  }

  async #swap(name: string, made: ReturnType<ConnectionFactory> | undefined, settings: Record<string, unknown> | undefined): Promise<void> {
    const old = this.connectors.get(name);
    if (old) {
      this.connectors.delete(name);
      this.#settings.delete(name);
      await this.deps.detach(old);
    }
    if (made) await this.add(made.connector, made.tables, settings);
  }

  /** Takes up what another node saved since: its connections and routes. */
  reload(): Promise<void> {
    return this.#serially(async () => {
      const saved = await this.deps.store.loadTopology();
      if (!saved || saved.fileHash !== this.deps.fileHash || saved.updatedAt <= this.#updatedAt) return;
      const wanted = new Map(saved.connections.map((s) => [String(s.name), s]));
      for (const name of [...this.#settings.keys()]) if (!wanted.has(name)) await this.#swap(name, undefined, undefined);
      for (const [name, settings] of wanted) {
        if (!same(this.#settings.get(name), settings)) await this.#swap(name, this.deps.create(settings), settings);
      }
      this.#routes = saved.routes;
      this.#updatedAt = saved.updatedAt;
    });
  }

  /** The connections and their live state. */
  async views(): Promise<ConnectionView[]> {
    const depth = await this.deps.store.queueDepth();
    return [...this.connectors.values()].map((c) => ({
      name: c.name,
      provider: c.provider,
      tps: Number.isFinite(c.tps) ? c.tps : null,
      window: c.window,
      queued: depth[c.name] ?? 0,
      ...this.deps.health.state(c.name)!,
      ...this.deps.measured(c.name),
    }));
  }
}
