import { deliveryRate } from '../quality/counts.js';
import type { Random } from '../quality/random.js';
import type { QualityView } from '../quality/view.js';
import { chooseRoute, type Route, type RouteMatch } from './router.js';

/** Traffic to one destination over the period replayed: what the quality rows counted. */
export interface TrafficRow {
  readonly country: string | undefined;
  readonly network: string | undefined;
  readonly messages: number;
  readonly segments: number;
}

/** One connection's part in a simulated routing table. */
export interface SimulatedConnection {
  readonly connection: string;
  /** Share of the messages it would take first (0-1). */
  readonly share: number;
  readonly messages: number;
  /** Messages it would deliver, at its measured rate for each destination. */
  readonly delivered: number;
  /** What it would cost, in micro-units, at the table's prices (0 unpriced). */
  readonly cost: number;
}

export interface Simulation {
  readonly messages: number;
  /** Expected delivered over the messages whose connection was measured there; null when none was. */
  readonly deliveryRate: number | null;
  readonly delivered: number;
  readonly cost: number;
  /** Messages no route of the table would take from their country alone (routes matching on more are passed over). */
  readonly unrouted: number;
  /** Messages routed to a connection not measured for their destination: left out of the delivery rate. */
  readonly unmeasured: number;
  readonly connections: readonly SimulatedConnection[];
}

/** Draws per destination for a `best` route: its shares come from its own decisions, sampled. */
const DRAWS = 400;

/** A route the counts can judge: one that matches on nothing but the destination's country. */
const countryOnly = (m: RouteMatch) => !m.prefixes && !m.senders && !m.accounts && !m.types && !m.networks;

/**
 * What a routing table would have done with the traffic counted: each destination's messages go
 * to the route its country matches, shared among its connections as the strategy would (sampled
 * for `weighted` and `best`), and delivered at each connection's measured rate there.
 */
export function simulate(routes: readonly Route[], traffic: readonly TrafficRow[], view: QualityView, random: Random): Simulation {
  const routable = routes.filter((r) => countryOnly(r.match));
  const by = new Map<string, { messages: number; delivered: number; cost: number }>();
  let unrouted = 0;
  let unmeasured = 0;
  let measured = 0;
  for (const row of traffic) {
    const input = { to: '', from: '', accountId: '', country: row.country, network: row.network, type: undefined };
    const firsts = new Map<string, number>();
    const route = routable.find((r) => chooseRoute([r], input, 0) !== undefined);
    if (!route) {
      unrouted += row.messages;
      continue;
    }
    const draws = route.strategy === 'best' || route.strategy === 'weighted' ? DRAWS : 1;
    for (let i = 0; i < draws; i++) {
      const first = chooseRoute([route], input, random(), { view, random })!.chain[0]!;
      firsts.set(first, (firsts.get(first) ?? 0) + 1 / draws);
    }
    for (const [connection, share] of firsts) {
      const messages = row.messages * share;
      const counts = view.counts(connection, row.country, row.network);
      const rate = counts && deliveryRate(counts);
      const price = route.connections.find((t) => t.connection === connection)?.price ?? null;
      const entry = by.get(connection) ?? { messages: 0, delivered: 0, cost: 0 };
      entry.messages += messages;
      entry.cost += price === null ? 0 : Math.round(price * 1_000_000) * row.segments * share;
      if (rate === null || rate === undefined) unmeasured += messages;
      else (entry.delivered += messages * rate), (measured += messages);
      by.set(connection, entry);
    }
  }
  const total = traffic.reduce((s, r) => s + r.messages, 0);
  const connections = [...by.entries()].map(([connection, e]) => ({ connection, share: total === 0 ? 0 : e.messages / total, ...e }));
  const delivered = connections.reduce((s, c) => s + c.delivered, 0);
  return {
    messages: total,
    deliveryRate: measured === 0 ? null : delivered / measured,
    delivered,
    cost: connections.reduce((s, c) => s + c.cost, 0),
    unrouted,
    unmeasured,
    connections: connections.sort((a, b) => b.messages - a.messages),
  };
}
