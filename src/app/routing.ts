import type { Route } from '../core/routing/router.js';
import type { ConnectionState, ConnectionHealth } from './health.js';
import type { Store } from './store.js';

/** A connection as the API shows it: no settings (they hold secrets), its live state. */
export interface ConnectionView extends ConnectionState {
  readonly name: string;
  readonly provider: string;
  readonly tps: number;
  readonly window: number;
  readonly queued: number;
}

/**
 * The routing table in force. It starts as the configuration file gives it; a table changed
 * through the API is kept in the database and wins over the file until the file itself changes.
 */
export class RoutingTable {
  #routes: readonly Route[];
  #updatedAt = 0;

  constructor(
    routes: readonly Route[],
    private readonly store: Pick<Store, 'saveRoutes' | 'loadRoutes'>,
    /** Identifies the file's table, so that an edited file wins over an older saved table. */
    private readonly fileHash: string,
    private readonly clock: { now(): number },
  ) {
    this.#routes = routes;
  }

  get routes(): readonly Route[] {
    return this.#routes;
  }

  /** Replaces the table (already checked against the connections there are) and keeps it. */
  async replace(routes: readonly Route[]): Promise<void> {
    const updatedAt = this.clock.now();
    await this.store.saveRoutes({ fileHash: this.fileHash, routes, updatedAt });
    this.#routes = routes;
    this.#updatedAt = updatedAt;
  }

  /** Takes up a table another node saved since (nodes sharing a database look every few seconds). */
  async reload(): Promise<void> {
    const saved = await this.store.loadRoutes();
    if (!saved || saved.fileHash !== this.fileHash || saved.updatedAt <= this.#updatedAt) return;
    this.#routes = saved.routes;
    this.#updatedAt = saved.updatedAt;
  }
}

/** The connections of this node and their live state. */
export async function connectionViews(
  connectors: Iterable<{ name: string; provider: string; tps: number; window: number }>,
  health: ConnectionHealth,
  store: Pick<Store, 'queueDepth'>,
): Promise<ConnectionView[]> {
  const depth = await store.queueDepth();
  return [...connectors].map((c) => ({
    name: c.name,
    provider: c.provider,
    tps: c.tps,
    window: c.window,
    queued: depth[c.name] ?? 0,
    ...health.state(c.name)!,
  }));
}
