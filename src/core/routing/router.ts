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
}

/** One rule of the ordered routing table: what it matches, and the connections it sends through. */
export interface Route {
  readonly name: string;
  readonly match: RouteMatch;
  /** Connection names, in order of preference. */
  readonly connections: readonly string[];
}

export interface RoutingInput {
  readonly to: string;
  readonly from: string;
  readonly accountId: string;
  readonly country: string | undefined;
}

/** The route chosen for a message, and why: it goes on the message's events. */
export interface RouteDecision {
  readonly route: string;
  readonly connection: string;
  readonly reason: string;
}

function describe(match: RouteMatch): string {
  const parts: string[] = [];
  if (match.prefixes) parts.push(`prefix in ${match.prefixes.join(', ')}`);
  if (match.countries) parts.push(`country in ${match.countries.join(', ')}`);
  if (match.senders) parts.push(`sender in ${match.senders.join(', ')}`);
  if (match.accounts) parts.push(`account in ${match.accounts.join(', ')}`);
  return parts.length > 0 ? parts.join(' and ') : 'matches every message';
}

function matches(match: RouteMatch, input: RoutingInput): boolean {
  if (match.prefixes && !match.prefixes.some((p) => input.to.startsWith(p))) return false;
  if (match.countries && (!input.country || !match.countries.includes(input.country))) return false;
  if (match.senders && !match.senders.includes(input.from)) return false;
  if (match.accounts && !match.accounts.includes(input.accountId)) return false;
  return true;
}

/** The first route of the ordered table that matches, or undefined when none does. */
export function chooseRoute(routes: readonly Route[], input: RoutingInput): RouteDecision | undefined {
  for (const route of routes) {
    if (!matches(route.match, input) || route.connections.length === 0) continue;
    return { route: route.name, connection: route.connections[0]!, reason: `route "${route.name}": ${describe(route.match)}` };
  }
  return undefined;
}
