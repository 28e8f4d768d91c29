import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { AcceptService } from './app/accept.js';
import { systemClock, type Clock } from './app/clock.js';
import type { Connector } from './app/connector.js';
import { Dispatcher } from './app/dispatcher.js';
import { ConnectionHealth } from './app/health.js';
import { Recovery } from './app/recovery.js';
import { AccountRateLimits } from './app/rate-limits.js';
import { connectionViews, RoutingTable } from './app/routing.js';
import { ApiKeys, DEFAULT_ACCOUNT } from './app/keys.js';
import { InboundService } from './app/inbound.js';
import { MessageService } from './app/messages.js';
import { WebhookService } from './app/webhooks.js';
import { ReceiptIngest } from './app/receipts.js';
import type { Store } from './app/store.js';
import { TransitionWriter } from './app/transitions.js';
import { buildApi } from './api/server.js';
import { renderSendResponse, webhookPayload } from './api/view.js';
import { OptOuts } from './app/opt-outs.js';
import { WebhookDeliverer } from './app/webhook-delivery.js';
import { WebhookEndpoints } from './app/webhook-endpoints.js';
import { standardWebhookPost } from './webhooks/post.js';
import { UrlGuard } from './webhooks/url-guard.js';
import type { Config } from './config/env.js';
import { Catalogue } from './core/catalogue/catalogue.js';
import type { Route } from './core/routing/router.js';
import { prometheusMetrics } from './observability/metrics.js';
import { ConfigError, defaultTopology, readTopology, singleRoute } from './config/file.js';
import { PROVIDER_PLUGINS } from './providers/registry.js';
import { PROVIDER_TABLES } from './providers/tables.js';
import { SqliteStore } from './storage/sqlite/store.js';
import { PostgresStore } from './storage/postgres/store.js';
import { RedisCoordination } from './coordination/redis.js';
import { LocalCoordination, type Coordination } from './app/coordination.js';

const ROUTES_RELOAD_MS = 5000;

export function databaseFile(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'switchboard.db');
}

/** PostgreSQL when SWITCHBOARD_DATABASE_URL is set (shared by every node), else the embedded SQLite file. */
export function openStore(config: Config): Store {
  if (config.databaseUrl) return new PostgresStore({ url: config.databaseUrl, ...(config.databaseSchema && { schema: config.databaseSchema }) });
  return new SqliteStore({ file: databaseFile(config), synchronous: config.sqliteSync });
}

/** Redis when SWITCHBOARD_REDIS_URL is set, else this node's memory. */
function openCoordination(config: Config, clock: Clock): Coordination {
  return config.redisUrl ? new RedisCoordination(config.redisUrl, config.redisPrefix) : new LocalCoordination(clock);
}

/** A running node: its API, and what stops it cleanly. */
export interface Node {
  readonly api: FastifyInstance;
  readonly store: Store;
  readonly log: Logger;
  /** The API key created on the very first start, shown once; undefined afterwards. */
  readonly firstKey: string | undefined;
  stop(): Promise<void>;
}

export interface NodeOverrides {
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly connectors?: readonly Connector[];
  readonly routes?: readonly Route[];
}

/**
 * The composition root: the one place that chooses implementations (storage, connectors,
 * metrics) and wires them to the application services. Nothing listens until `api.listen`.
 */
export async function startNode(config: Config, overrides: NodeOverrides = {}): Promise<Node> {
  const topology = config.configFile ? readTopology(config.configFile, PROVIDER_PLUGINS) : defaultTopology(config);
  const publicUrl = config.publicUrl.replace(/\/+$/, '');
  const clock = overrides.clock ?? systemClock;
  const log = overrides.logger ?? pino({ level: config.logLevel });
  const store = openStore(config);
  await store.migrate();
  const created = await store.ensureAccount(DEFAULT_ACCOUNT, 'Default account', clock.now());
  const keys = new ApiKeys(store, clock);
  const firstKey = created ? await keys.create(DEFAULT_ACCOUNT) : undefined;
  // Alone on its SQLite file, a node starting up knows no claim is alive: it takes them back at
  // once. Nodes sharing a database wait for the leases of a node that died to end.
  if (!config.databaseUrl) await store.releaseLeases(clock.now());
  const coordination = openCoordination(config, clock);

  const configured = topology.connections.flatMap((c) => PROVIDER_PLUGINS.get(String(c.provider))!.tables?.(c) ?? []);
  const catalogue = new Catalogue([...PROVIDER_TABLES, ...configured], config.publicUrl);
  const { metrics, registry } = prometheusMetrics(() => store.queueDepth());
  const connectors =
    overrides.connectors ??
    topology.connections.map((c) => {
      try {
        return PROVIDER_PLUGINS.get(String(c.provider))!.create(c, { clock, publicUrl });
      } catch (error) {
        throw new ConfigError(`connection ${String(c.name)}: ${(error as Error).message}`);
      }
    });
  const byName = new Map(connectors.map((c) => [c.name, c]));
  const health = new ConnectionHealth(clock, config.breaker, config.downGraceMs);
  for (const connector of connectors) health.add(connector);
  const fileRoutes = overrides.routes ?? (overrides.connectors ? [singleRoute(connectors[0]!.name)] : topology.routes);
  // A table changed through the API stays in force over restarts, until the file's own table changes.
  const fileHash = createHash('sha256').update(JSON.stringify(fileRoutes)).digest('hex');
  const routing = new RoutingTable(fileRoutes, store, fileHash, clock);
  await routing.reload();
  // Nodes sharing a database take up a table changed through another node.
  const reloading = config.databaseUrl ? setInterval(() => void routing.reload().catch((err: unknown) => log.warn({ err }, 'reloading routes failed')), ROUTES_RELOAD_MS) : undefined;
  const recovery = new Recovery(catalogue, config.retry, health.available, Math.random);

  // Status changes are background work: a few milliseconds of wait let many share one commit.
  const writer = new TransitionWriter(store, metrics, 4);
  const receipts = new ReceiptIngest(store, catalogue, writer, clock, recovery, (connection) => dispatcher.wake([connection]), config.databaseUrl !== undefined);
  const dispatcher: Dispatcher = new Dispatcher({
    store,
    catalogue,
    clock,
    writer,
    receipts,
    metrics,
    connectors: byName,
    health,
    recovery,
    coordination,
    owner: config.nodeId,
    leaseMs: config.leaseMs,
    pollMs: 250,
    onError: (err, connection) => log.error({ err, connection }, 'dispatch failed'),
  });
  const urlGuard = new UrlGuard(config.webhooks.allowPrivate);
  const endpoints = new WebhookEndpoints(store, urlGuard, clock);
  const deliverer = new WebhookDeliverer({
    store,
    clock,
    post: standardWebhookPost(urlGuard, 10_000),
    render: webhookPayload,
    owner: config.nodeId,
    leaseMs: config.leaseMs,
    pollMs: 200,
    concurrency: 20,
    retryScale: config.webhooks.retryScale,
    disableAfterMs: config.webhooks.disableAfterMs,
    random: Math.random,
    onError: (err) => log.error({ err }, 'webhook delivery failed'),
    onDisabled: (account, endpoint, url) => log.warn({ account, endpoint, url }, 'webhook endpoint disabled: it failed for too long'),
  });
  const accept = new AcceptService({
    store,
    clock,
    metrics,
    routes: () => routing.routes,
    available: health.available,
    random: Math.random,
    capabilities: (name) => byName.get(name)?.capabilities,
    render: renderSendResponse,
    onAccepted: (names) => dispatcher.wake(names),
    allowFixedLine: config.allowFixedLine,
    coordination,
    callbacks: endpoints,
  });
  const optOuts = new OptOuts(store, clock);
  const inbound = new InboundService(store, clock, (message) => optOuts.onInbound(message));
  const api = await buildApi(
    {
      accept,
      keys,
      catalogue,
      store,
      messages: new MessageService(store, writer, clock),
      inbound,
      webhooks: new WebhookService(byName, receipts, inbound),
      rateLimits: new AccountRateLimits(config.rateLimit, coordination),
      endpoints,
      optOuts,
      routing,
      connections: () => connectionViews(byName.values(), health, store),
      publicUrl,
      metricsText: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    },
    { logger: log, logRequests: config.logRequests },
  );

  for (const connector of connectors) {
    const connection = connector.name;
    metrics.connection(connection, connector.ready);
    const variants = connector.capabilities.idVariants;
    await connector.start({
      // Both settle once what they carry is committed; a failure is thrown back to the connector,
      // which refuses the PDU so that the carrier delivers it again.
      receipt: (report) =>
        receipts.ingest(connection, report, variants).catch((err: unknown) => {
          log.error({ err, connection }, 'receipt failed');
          throw err;
        }),
      inbound: (message) =>
        inbound.receive(connection, message).then(
          () => undefined,
          (err: unknown) => {
            log.error({ err, connection }, 'inbound message failed');
            throw err;
          },
        ),
      holdSessions: (count, max, ttlMs) => coordination.holdSlots(`sessions:${connection}`, config.nodeId, count, max, ttlMs),
      releaseSessions: () => coordination.releaseSlots(`sessions:${connection}`, config.nodeId),
      status: ({ state, reason }) => {
        metrics.connection(connection, state === 'up');
        health.report(connection, state);
        const why = reason && catalogue.explain(reason.provider, reason.code, reason.context);
        const detail = why && { code: reason.code, meaning: why.provider_message, canonical: why.canonical?.code, resolution: why.canonical?.resolution };
        if (state === 'up') log.info({ connection }, 'connection up');
        else log.warn({ connection, reason: detail }, 'connection down');
      },
    });
  }
  dispatcher.start();
  deliverer.start();

  return {
    api,
    store,
    log,
    firstKey,
    async stop() {
      clearInterval(reloading);
      await api.close();
      await dispatcher.stop();
      await deliverer.stop();
      for (const connector of connectors) await connector.stop();
      await writer.drain();
      await coordination.close();
      await store.close();
    },
  };
}
