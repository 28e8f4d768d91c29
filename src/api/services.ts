import type { AcceptService } from '../app/accept.js';
import type { CheckService } from '../app/check.js';
import type { Accounts } from '../app/accounts.js';
import type { InboundService } from '../app/inbound.js';
import type { ApiKeys, Caller } from '../app/keys.js';
import type { SessionCaller, Users } from '../app/users.js';
import type { Clock } from '../app/clock.js';
import type { FaceCredentials } from '../app/credentials.js';
import type { Access } from '../core/access/scopes.js';
import type { MessageService } from '../app/messages.js';
import type { AccountRateLimits } from '../app/rate-limits.js';
import type { OptOuts } from '../app/opt-outs.js';
import type { VerifiedNumbers } from '../app/verified-numbers.js';
import type { Numbers } from '../app/numbers.js';
import type { Lookups } from '../app/lookups.js';
import type { Usage } from '../app/usage.js';
import type { Overview } from '../app/overview.js';
import type { WebhookEndpoints } from '../app/webhook-endpoints.js';
import type { Topology } from '../app/topology.js';
import type { QualityService } from '../app/quality.js';
import type { WebhookService } from '../app/webhooks.js';
import type { Store } from '../app/store.js';
import type { Catalogue } from '../core/catalogue/catalogue.js';
import type { GuardedSend } from '../webhooks/post.js';

/** What the HTTP API calls into: the application services, never storage or connectors directly. */
export interface Services {
  readonly accept: AcceptService;
  /** The dry run of a send: what the account's compliance rules would do. */
  readonly check: CheckService;
  readonly messages: MessageService;
  readonly inbound: InboundService;
  readonly webhooks: WebhookService;
  /** How providers reach this server: the URL their signatures cover. */
  readonly publicUrl: string;
  readonly keys: ApiKeys;
  /** People who sign in to the dashboard, and their sessions. */
  readonly users: Users;
  /** Accounts' credentials for the compatible APIs (Vonage's api_key and secrets...). */
  readonly credentials: FaceCredentials;
  readonly clock: Clock;
  readonly accounts: Accounts;
  readonly numbers: Numbers;
  /** Number lookups: offline facts, and live ones through a connection. */
  readonly lookups: Lookups;
  readonly usage: Usage;
  /** The dashboard's hourly overview, from counters kept as messages change. */
  readonly overview: Overview;
  readonly rateLimits: AccountRateLimits;
  readonly endpoints: WebhookEndpoints;
  /** One request, not retried, to a URL an account gave (SMSPartner's HLR notifications): its addresses checked at each call. */
  readonly urlPost: GuardedSend;
  readonly optOuts: OptOuts;
  readonly verifiedNumbers: VerifiedNumbers;
  /** Connections and routes, read and changed at run time. */
  readonly topology: Topology;
  /** Measured quality per connection and destination, and routing tables simulated against it. */
  readonly quality: QualityService;
  readonly catalogue: Catalogue;
  readonly store: Pick<Store, 'ping'>;
  /** Prometheus exposition of the node's metrics. */
  readonly metricsText: () => Promise<{ contentType: string; body: string }>;
}

/** A route as the server registered it, with who may call it. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated account; set for every route that needs a key. */
    accountId: string;
    /** The key's account, its place in the tree, and scopes; null on public routes. */
    caller: Caller | null;
    /** The dashboard session the request came with; null with a key, or on public routes. */
    session: SessionCaller | null;
  }
  interface FastifyInstance {
    /** Every route registered, as the router holds it: what the access test walks. */
    readonly routeTable: readonly RegisteredRoute[];
  }
  interface FastifyContextConfig {
    /** Fixed at registration from access.ts; see there. */
    access?: Access;
  }
}
