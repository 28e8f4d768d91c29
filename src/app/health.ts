import { CircuitBreaker, type BreakerPolicy, type BreakerState } from '../core/policies/breaker.js';
import type { Clock } from './clock.js';
import type { Connector } from './connector.js';

/** What a connection's lane may do now. */
export type LaneMode =
  /** Send as usual. */
  | 'send'
  /** Send one message: the circuit breaker's probe. */
  | 'probe'
  /** Send nothing; the messages wait (the connection is coming up, or nowhere else takes them). */
  | 'wait'
  /** Send nothing; hand the waiting messages to the next connection of their route. */
  | 'divert';

export interface ConnectionState {
  readonly up: boolean;
  /** Other nodes hold all of its sessions. */
  readonly standby: boolean;
  readonly breaker: BreakerState;
  readonly available: boolean;
}

interface Entry {
  readonly connector: Connector;
  readonly breaker: CircuitBreaker;
  downSince: number | null;
  /** Other nodes hold all of the connection's sessions: it works, through them. */
  standby: boolean;
}

/**
 * Whether each connection can take messages: its session is up (or came down only moments ago,
 * so a reconnect is likely) and its circuit breaker is not open. Routing at accept and failover
 * in the dispatcher both ask here.
 */
export class ConnectionHealth {
  readonly #entries = new Map<string, Entry>();

  /** @param downGraceMs how long a connection may be down before its messages go elsewhere. */
  constructor(
    private readonly clock: Clock,
    private readonly policy: BreakerPolicy,
    private readonly downGraceMs: number,
  ) {}

  add(connector: Connector): void {
    this.#entries.set(connector.name, { connector, breaker: new CircuitBreaker(this.policy), downSince: connector.ready ? null : this.clock.now(), standby: false });
  }

  remove(name: string): void {
    this.#entries.delete(name);
  }

  /** The connector reports its session up, down, or held by other nodes. */
  report(name: string, state: 'up' | 'down' | 'standby'): void {
    const entry = this.#entries.get(name);
    if (!entry) return;
    entry.standby = state === 'standby';
    entry.downSince = state === 'down' ? (entry.downSince ?? this.clock.now()) : null;
  }

  available = (name: string): boolean => {
    const entry = this.#entries.get(name);
    if (!entry) return false;
    const now = this.clock.now();
    const upEnough = entry.connector.ready || entry.standby || entry.downSince === null || now - entry.downSince < this.downGraceMs;
    return upEnough && entry.breaker.available(now);
  };

  mode(name: string): LaneMode {
    const entry = this.#entries.get(name);
    if (!entry) return 'wait';
    const now = this.clock.now();
    if (entry.connector.ready && entry.breaker.allows(now)) return entry.breaker.state(now) === 'half_open' ? 'probe' : 'send';
    // Held by other nodes, or coming back: its messages wait for whoever can send them.
    if (entry.standby || this.available(name)) return 'wait';
    const elsewhere = [...this.#entries.keys()].some((other) => other !== name && this.available(other));
    return elsewhere ? 'divert' : 'wait';
  }

  started(name: string): void {
    this.#entries.get(name)?.breaker.started(this.clock.now());
  }

  /** A submit got an answer that says the connection works. */
  succeeded(name: string): void {
    this.#entries.get(name)?.breaker.succeeded();
  }

  /** A submit was throttled: neither success nor failure, and the breaker may probe again. */
  inconclusive(name: string): void {
    this.#entries.get(name)?.breaker.inconclusive();
  }

  /** A submit failed because of the connection; true when that opened its circuit. */
  failed(name: string): boolean {
    return this.#entries.get(name)?.breaker.failed(this.clock.now()) ?? false;
  }

  state(name: string): ConnectionState | undefined {
    const entry = this.#entries.get(name);
    return entry && { up: entry.connector.ready, standby: entry.standby, breaker: entry.breaker.state(this.clock.now()), available: this.available(name) };
  }
}
