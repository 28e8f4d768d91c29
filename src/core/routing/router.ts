import { MICRO } from '../accounts/money.js';
import type { Random } from '../quality/random.js';
import type { QualityView } from '../quality/view.js';
import { orderBest, type BestSettings } from './best.js';

/** What a route matches on. Every field given must match; an empty match takes everything. */
export interface RouteMatch {
  /** E.164 prefixes, with the +: ["+44", "+3361"]. */
  readonly prefixes?: readonly string[];
  /** ISO 3166 countries of the destination: ["GB", "FR"]. */
  readonly countries?: readonly string[];
  /** Senders, exactly. */
  readonly senders?: readonly string[];
  /** Account ids. */
  readonly accounts?: readonly string[];
  /** Message types, as the send request names them ("transactional", "marketing", "otp"...). */
  readonly types?: readonly string[];
  /**
   * Mobile networks by MCC-MNC, each with the number ranges (E.164 prefixes) assigned to it:
   * `{ "23410": ["+447700", "+447701"] }`. Matches a number only when its network is known, that
   * is, when it lies in one of these ranges, or when a fresh live lookup found it on one of these
   * networks: then the lookup decides (a ported number goes to its current network's route).
   */
  readonly networks?: Readonly<Record<string, readonly string[]>>;
}

/** One connection a route may use. */
export interface RouteTarget {
  readonly connection: string;
  /** Lower goes first. Default 1. */
  readonly priority: number;
  /** Share of traffic among the targets of the best priority, for the weighted strategy. Default 1. */
  readonly weight: number;
  /** Price of one segment, for the cheapest strategy; unpriced targets come last. */
  readonly price: number | null;
}

/**
 * How a route orders its connections: the first is the one tried, the others are where the
 * message fails over to.
 * - `priority`: by priority, then as listed;
 * - `weighted`: one of the best priority drawn by weight, then the others by priority;
 * - `cheapest`: by price per segment, then by priority;
 * - `best`: by measured quality, the lowest expected cost per delivered message first (see orderBest).
 */
export type RouteStrategy = 'priority' | 'weighted' | 'cheapest' | 'best';

/** One rule of the ordered routing table; the `best` strategy's settings apply to it alone. */
export interface Route extends BestSettings {
  readonly name: string;
  readonly match: RouteMatch;
  readonly strategy: RouteStrategy;
  readonly connections: readonly RouteTarget[];
  /**
   * Whether a message whose submit outcome is unknown (the provider may have it) may go to the
   * next connection. Off by default: it could reach the handset twice.
   */
  readonly resendUnknown: boolean;
}

export interface RoutingInput {
  readonly to: string;
  readonly from: string;
  readonly accountId: string;
  readonly country: string | undefined;
  readonly type: string | undefined;
  /**
   * The destination's network (MCC-MNC): a fresh live lookup's, else the one whose ranges in the
   * routes hold the number. It decides a `networks` match, and `best` measures per network.
   */
  readonly network?: string | undefined;
  /** True when `network` comes from a live lookup (a ported number's current network). */
  readonly networkLookedUp?: boolean;
}

/** What the `best` strategy decides with: the measured quality, and draws for its sampling. */
export interface Learning {
  readonly view: QualityView;
  readonly random: Random;
}

/** The route chosen for a message: kept with it, so failover follows the same chain. */
export interface MessageRoute {
  readonly name: string;
  /** Connection names, in the order they are tried. */
  readonly chain: readonly string[];
  readonly resendUnknown: boolean;
  /** Why the route matched; the first event of the message tells it. */
  readonly reason?: string;
}

/** The route chosen and why. */
export interface RouteDecision extends MessageRoute {
  readonly reason: string;
}

function describe(route: Route): string {
  const { match } = route;
  const parts: string[] = [];
  if (match.prefixes) parts.push(`prefix in ${match.prefixes.join(', ')}`);
  if (match.countries) parts.push(`country in ${match.countries.join(', ')}`);
  if (match.senders) parts.push(`sender in ${match.senders.join(', ')}`);
  if (match.accounts) parts.push(`account in ${match.accounts.join(', ')}`);
  if (match.types) parts.push(`type in ${match.types.join(', ')}`);
  if (match.networks) parts.push(`network in ${Object.keys(match.networks).join(', ')}`);
  const matched = parts.length > 0 ? parts.join(' and ') : 'matches every message';
  return `route "${route.name}": ${matched}; ${route.strategy}`;
}

function matches(match: RouteMatch, input: RoutingInput): boolean {
  if (match.prefixes && !match.prefixes.some((p) => input.to.startsWith(p))) return false;
  if (match.countries && (!input.country || !match.countries.includes(input.country))) return false;
  if (match.senders && !match.senders.includes(input.from)) return false;
  if (match.accounts && !match.accounts.includes(input.accountId)) return false;
  if (match.types && (!input.type || !match.types.includes(input.type))) return false;
  if (match.networks && !onNetworks(match.networks, input)) return false;
  return true;
}

function onNetworks(networks: Readonly<Record<string, readonly string[]>>, input: RoutingInput): boolean {
  if (input.networkLookedUp && input.network !== undefined) return Object.hasOwn(networks, input.network);
  return Object.values(networks).some((ranges) => ranges.some((p) => input.to.startsWith(p)));
}

const byPriority = (a: RouteTarget, b: RouteTarget): number => a.priority - b.priority;
const byPrice = (a: RouteTarget, b: RouteTarget): number => (a.price ?? Infinity) - (b.price ?? Infinity) || byPriority(a, b);

/** A route's connections in the order they are tried; `random` is in [0, 1). Without `learning`, `best` orders by priority. */
export function orderTargets(route: Route, random: number, input?: RoutingInput, learning?: Learning): RouteTarget[] {
  if (route.strategy === 'best' && learning) return orderBest(route.connections, learning.view, { country: input?.country, network: input?.network }, route, learning.random);
  if (route.strategy === 'cheapest') return [...route.connections].sort(byPrice);
  const ordered = [...route.connections].sort(byPriority); // stable: ties keep their listed order
  if (route.strategy !== 'weighted' || ordered.length < 2) return ordered;
  const best = ordered.filter((t) => t.priority === ordered[0]!.priority);
  let draw = random * best.reduce((sum, t) => sum + t.weight, 0);
  const first = best.find((t) => (draw -= t.weight) < 0) ?? best[best.length - 1]!;
  return [first, ...ordered.filter((t) => t !== first)];
}

/** The first route of the ordered table that matches, or undefined when none does. */
export function chooseRoute(routes: readonly Route[], input: RoutingInput, random: number, learning?: Learning): RouteDecision | undefined {
  for (const route of routes) {
    if (route.connections.length === 0 || !matches(route.match, input)) continue;
    const byLookup = route.match.networks && input.networkLookedUp ? `; network ${input.network} from a live lookup` : '';
    return {
      name: route.name,
      chain: orderTargets(route, random, input, learning).map((t) => t.connection),
      resendUnknown: route.resendUnknown,
      reason: describe(route) + byLookup,
    };
  }
  return undefined;
}

/**
 * The connection a message moves to from `current`: the next available one of its chain.
 * With `wrap`, connections before `current` count too (a connection that is down sends its
 * waiting messages back to one that recovered); without it the chain is only walked forward,
 * so failures can never bounce a message between two connections forever.
 */
export function nextConnection(
  chain: readonly string[],
  current: string,
  available: (connection: string) => boolean,
  wrap: boolean,
): string | undefined {
  const at = chain.indexOf(current);
  const after = chain.slice(at + 1);
  const candidates = wrap && at >= 0 ? [...after, ...chain.slice(0, at)] : after;
  return candidates.find((c) => c !== current && available(c));
}

/** The MCC-MNC of the network whose ranges (in any route's `networks`) hold the number; undefined when none does. */
export function networkOf(routes: readonly Route[], number: string): string | undefined {
  for (const route of routes) {
    for (const [network, ranges] of Object.entries(route.match.networks ?? {})) {
      if (ranges.some((prefix) => number.startsWith(prefix))) return network;
    }
  }
  return undefined;
}

/** What one segment costs on each priced connection of the route `name`, in micro-units; undefined when none is priced. */
export function segmentCosts(routes: readonly Route[], name: string): Readonly<Record<string, number>> | undefined {
  const priced = routes.find((r) => r.name === name)?.connections.filter((t) => t.price !== null) ?? [];
  return priced.length === 0 ? undefined : Object.fromEntries(priced.map((t) => [t.connection, Math.round(t.price! * MICRO)]));
}
