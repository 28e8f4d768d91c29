import { createHash, randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { AcceptService } from './app/accept.js';
import { DestinationReader } from './app/destinations.js';
import { systemClock, type Clock } from './app/clock.js';
import type { Connector } from './app/connector.js';
import { Dispatcher } from './app/dispatcher.js';
import { ConnectionHealth } from './app/health.js';
import { Recovery } from './app/recovery.js';
import { countingSends, SendRate } from './app/send-rate.js';
import { AccountRateLimits } from './app/rate-limits.js';
import { VerifiedNumbers } from './app/verified-numbers.js';
import { Topology } from './app/topology.js';
import { connectionFactory, connectorContext } from './connections.js';
import { SwitchboardError } from './core/errors.js';
import { ApiKeys, DEFAULT_ACCOUNT } from './app/keys.js';
import { Users } from './app/users.js';
import { Overview } from './app/overview.js';
import { Accounts } from './app/accounts.js';
import { FaceCredentials } from './app/credentials.js';
import { FACE_CREDENTIALS } from './faces/registry.js';
import { SmppServer } from './faces/smpp/server.js';
import { InboundService } from './app/inbound.js';
import { MessageService } from './app/messages.js';
import { WebhookService } from './app/webhooks.js';
import { ReceiptIngest } from './app/receipts.js';
import type { Store } from './app/store.js';
import { TransitionWriter } from './app/transitions.js';
import { buildApi } from './api/server.js';
import { renderSendResponse, webhookPayload } from './api/view.js';
import { OptOuts } from './app/opt-outs.js';
import { Numbers } from './app/numbers.js';
import { Lookups } from './app/lookups.js';
import { GeoCarrierPlan } from './numbering/geo-carrier.js';
import { Usage } from './app/usage.js';
import { WebhookDeliverer } from './app/webhook-delivery.js';
import { WebhookEndpoints } from './app/webhook-endpoints.js';
import { guardedSend, standardWebhookPost } from './webhooks/post.js';
import { faceCallbacks } from './faces/callbacks.js';
import { hlrNotifier } from './faces/smspartner/hlr.js';
import { UrlGuard } from './webhooks/url-guard.js';
import type { Config } from './config/env.js';
import { Catalogue } from './core/catalogue/catalogue.js';
import type { Route } from './core/routing/router.js';
import { hourOf, QUALITY_MEMORY_DAYS } from './core/quality/counts.js';
import { QualityBoard } from './app/quality-board.js';
import { DegradationWatch } from './app/degradation-watch.js';
import { LivePressure } from './app/live-pressure.js';
import { QualityService } from './app/quality.js';
import { qualityGauges } from './observability/quality-metrics.js';
import { prometheusMetrics } from './observability/metrics.js';
import { ConfigError, defaultTopology, readTopology, singleRoute } from './config/file.js';
import { ComplianceGate } from './app/compliance.js';
import { CheckService } from './app/check.js';
import { DateHolidaysCalendar } from './numbering/holidays.js';
import { PROVIDER_PLUGINS } from './providers/registry.js';
import { PROVIDER_TABLES } from './providers/tables.js';
import { SqliteStore } from './storage/sqlite/store.js';
import { PostgresStore } from './storage/postgres/store.js';
import { RedisCoordination } from './coordination/redis.js';
import { LocalCoordination, type Coordination } from './app/coordination.js';

const TOPOLOGY_RELOAD_MS = 5000;
const RECEIPT_SWEEP_MS = 5000;
/** How often a node deletes what is kept no longer (compliance counters whose window has ended, old keys and counters, the webhook and message logs past their retention), and how many at most each time. */
const PRUNE_MS = 60_000;
const PRUNE_LIMIT = 10_000;
/**
 * Rows a log's retention (webhook deliveries, messages) looks at in one transaction: at volume a
 * log grows by thousands a second, so a run goes on look after look until it is done, the event
 * loop free between them.
 */
const PRUNE_LOG_LOOK = 500;
/** The pause between two such looks while accepting and sending are short of time (a look takes a few ms). */
const PRUNE_LOG_PAUSE_MS = 100;
/** How often a node looks for tables whose statistics are missing or old (PostgreSQL without autovacuum, or new tables). */
const STATISTICS_MS = 10_000;
/** How often a node gives back the slices of accounts' balances it has not used for SLICE_IDLE_MS, and takes back dead nodes'. */
const SLICE_SWEEP_MS = 1000;
const SLICE_IDLE_MS = 2000;

export function databaseFile(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'switchboard.db');
}

/** PostgreSQL when SWITCHBOARD_DATABASE_URL is set (shared by every node), else the embedded SQLite file. */
export function openStore(config: Config, onLost?: (error: Error) => void): Store {
  if (config.databaseUrl) {
    return new PostgresStore({
      url: config.databaseUrl,
      ...(onLost && { onLost }),
      nodeId: config.nodeId,
      sliceLeaseMs: config.leaseMs,
      timeoutMs: config.databaseTimeoutMs,
      qualityCounters: config.quality.counters,
      ...(config.databaseSchema && { schema: config.databaseSchema }),
    });
  }
  return new SqliteStore({ file: databaseFile(config), synchronous: config.sqliteSync, qualityCounters: config.quality.counters });
}

/** Redis when SWITCHBOARD_REDIS_URL is set, else this node's memory. */
function openCoordination(config: Config, clock: Clock, log: Logger): Coordination {
  if (!config.redisUrl) return new LocalCoordination(clock);
  return new RedisCoordination(config.redisUrl, config.redisPrefix, (err) => log.warn({ err }, 'Redis is out of reach'), config.redisTimeoutMs);
}

/** A running node: its API, and what stops it cleanly. */
export interface Node {
  readonly api: FastifyInstance;
  readonly store: Store;
  readonly log: Logger;
  /** The API key created on the very first start, shown once; undefined afterwards. */
  readonly firstKey: string | undefined;
  /** The SMPP server for customers, when SWITCHBOARD_SMPP_PORT or SWITCHBOARD_SMPP_TLS_PORT is set; it listens on `listen`. */
  readonly smpp: SmppServer | undefined;
  stop(): Promise<void>;
}

export interface NodeOverrides {
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly connectors?: readonly Connector[];
  readonly routes?: readonly Route[];
  /** Whether accepting and sending are short of time (see LivePressure); measured unless given. */
  readonly pressed?: () => boolean;
}

/**
 * The composition root: the one place that chooses implementations (storage, connectors,
 * metrics) and wires them to the application services. Nothing listens until `api.listen`.
 */
export async function startNode(config: Config, overrides: NodeOverrides = {}): Promise<Node> {
  const file = config.configFile ? readTopology(config.configFile, PROVIDER_PLUGINS) : defaultTopology(config);
  const publicUrl = config.publicUrl.replace(/\/+$/, '');
  const clock = overrides.clock ?? systemClock;
  const log = overrides.logger ?? pino({ level: config.logLevel });
  const store = openStore(config, (err) => log.warn({ err }, 'a PostgreSQL connection was lost; another is opened when needed'));
  await store.migrate();
  for (const warning of await store.serverWarnings()) log.warn(warning);
  const created = await store.ensureAccount(DEFAULT_ACCOUNT, 'Default account', clock.now());
  const keys = new ApiKeys(store, clock);
  const firstKey = created ? (await keys.create(DEFAULT_ACCOUNT, { name: 'first start', admin: true })).key : undefined;
  // Alone on its SQLite file, a node starting up knows no claim is alive: it takes them back at
  // once. Nodes sharing a database wait for the leases of a node that died to end.
  if (!config.databaseUrl) await store.releaseLeases(clock.now());
  const coordination = openCoordination(config, clock, log);
  if (config.databaseUrl && !config.redisUrl) {
    log.warn('SWITCHBOARD_DATABASE_URL is set without SWITCHBOARD_REDIS_URL: rate limits, TPS and SMPP binds are held per node, not across nodes');
  }

  const catalogue = new Catalogue(PROVIDER_TABLES, config.publicUrl);
  const prometheus = prometheusMetrics(() => store.queueDepth(), () => store.webhookTargets());
  const { registry } = prometheus;
  // Submits per connection over the last minute, for GET /v1/connections (the TPS used).
  const sendRate = new SendRate();
  // Accepts and sends come first: a webhook backlog drains with the time they leave.
  const pressure = new LivePressure();
  const metrics = pressure.watching(countingSends(prometheus.metrics, sendRate, clock));
  // Measured quality: each node reads the shared counters every few seconds, for `best` routes,
  // the metrics and degradation; a degradation is recorded once, by whichever node finds it first.
  const board = new QualityBoard({ store, clock, windowHours: config.quality.windowHours, halfLifeMs: config.quality.halfLifeMs });
  await board.refresh();
  qualityGauges(registry, board);
  const watch = new DegradationWatch({
    store,
    clock,
    board,
    accountId: DEFAULT_ACCOUNT,
    refreshMs: config.quality.refreshMs,
    settings: { ...(config.quality.handsetMinMs !== undefined && { handsetMinMs: config.quality.handsetMinMs }) },
    onChange: (d, degraded) => log.warn({ connection: d.connection, country: d.country, reason: d.reason, detail: d.detail }, degraded ? 'connection degraded' : 'connection recovered'),
  });
  /** The live connections, by name: what dispatch, receipts and accept look them up in. */
  const byName = new Map<string, Connector>();
  const health = new ConnectionHealth(clock, config.breaker, config.downGraceMs);

  // The file's connections and routes, unless the API changed them since the file last did.
  const fileConnections = overrides.connectors ? [] : file.connections;
  const fileRoutes = overrides.routes ?? (overrides.connectors ? [singleRoute(overrides.connectors[0]!.name)] : file.routes);
  const fileHash = createHash('sha256').update(JSON.stringify({ connections: fileConnections, routes: fileRoutes })).digest('hex');
  const saved = await store.loadTopology();
  const current = saved?.fileHash === fileHash ? saved : { connections: fileConnections, routes: fileRoutes, updatedAt: 0 };
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
  const credentials = new FaceCredentials(store, clock, FACE_CREDENTIALS);
  const urlPost = guardedSend(urlGuard, 10_000);
  const pressed = overrides.pressed ?? (() => pressure.pressed());
  const deliverer = new WebhookDeliverer({
    store,
    clock,
    post: standardWebhookPost(urlGuard, 10_000),
    render: webhookPayload,
    faceCallback: faceCallbacks(credentials, urlPost, () => topology.routes),
    owner: config.nodeId,
    leaseMs: config.leaseMs,
    pollMs: 200,
    concurrency: config.webhooks.concurrency,
    pressed,
    perTarget: config.webhooks.perTarget,
    retryScale: config.webhooks.retryScale,
    disableAfterMs: config.webhooks.disableAfterMs,
    random: Math.random,
    onError: (err) => log.error({ err }, 'webhook delivery failed'),
    onDisabled: (account, endpoint, url) => log.warn({ account, endpoint, url }, 'webhook endpoint disabled: it failed for too long'),
  });
  // One worker thread reads the numbers of large batches, where there is a core to spare for it.
  const destinations = new DestinationReader(availableParallelism() > 1 ? 1 : 0);
  // One numbering plan, its data read once, for compliance's time zones and lookups' facts.
  const plan = new GeoCarrierPlan();
  const compliance = new ComplianceGate({ store, plan, calendar: new DateHolidaysCalendar(), operator: file.compliance });
  const accept = new AcceptService({
    store,
    clock,
    metrics,
    routes: () => topology.routes,
    available: health.available,
    random: Math.random,
    quality: board,
    capabilities: (name) => byName.get(name)?.capabilities,
    render: renderSendResponse,
    onAccepted: (names) => dispatcher.wake(names),
    allowFixedLine: config.allowFixedLine,
    coordination,
    destinations,
    lookupTtlMs: config.lookupTtlMs,
    idempotencyTtlMs: config.idempotencyTtlMs,
    compliance,
    callbacks: endpoints,
  });
  const optOuts = new OptOuts(store, clock);
  const accounts = new Accounts(store, keys, clock);
  const numbers = new Numbers(store, accounts, clock);
  const lookups = new Lookups({ store, plan, catalogue, clock, connectors: () => byName.values(), ttlMs: config.lookupTtlMs, notify: hlrNotifier(urlPost) });
  const inbound = new InboundService(store, clock, (message) => optOuts.onInbound(message), (to) => numbers.ownerOf(to));
  const topology = new Topology(
    {
      store,
      clock,
      fileHash,
      health,
      measured: (name) => ({ sentPerSecond: sendRate.perSecond(name, clock.now()), quality: board.connectionTotals(name) }),
      create: connectionFactory(PROVIDER_PLUGINS, { clock, publicUrl }),
      attach: async (connector, tables) => {
        for (const table of tables) catalogue.set(table);
        byName.set(connector.name, connector);
        health.add(connector);
        metrics.connection(connector.name, connector.ready);
        dispatcher.add(connector);
        await connector.start(
          connectorContext(connector.name, { store, receipts, inbound, coordination, health, metrics, catalogue, log, nodeId: config.nodeId, variants: connector.capabilities.idVariants }),
        );
      },
      detach: async (connector) => {
        await dispatcher.remove(connector.name);
        await connector.stop();
        health.remove(connector.name);
        byName.delete(connector.name);
      },
    },
    current.routes,
    current.updatedAt,
  );
  const verifiedNumbers = new VerifiedNumbers({
    store,
    accounts,
    clock,
    code: () => String(randomInt(1_000_000)).padStart(6, '0'),
    text: config.verification.text,
    // A code goes out as the operator's own message: an account in trial is not charged for it.
    send: async (to, text) => {
      const operator = (await store.getAccount(DEFAULT_ACCOUNT))!;
      await accept.accept({ accountId: operator.id, prices: operator.prices, allowedSenders: null, trial: false, protocols: null, dailyQuota: null, refuseDeadNumbers: false, compliance: null }, { from: config.verification.from, to, text });
    },
  });
  const messages = new MessageService(store, writer, clock);
  const smpp =
    config.smpp.port !== undefined || config.smpp.tls
      ? new SmppServer(
          { host: config.host, port: config.smpp.port, tls: config.smpp.tls, window: config.smpp.window, partTimeoutMs: config.smpp.partTimeoutMs, responseTimeoutMs: Math.min(10_000, Math.max(1, Math.floor(config.leaseMs / 2))) },
          { accept, credentials, messages, store, coordination, clock, log, nodeId: config.nodeId, leaseMs: config.leaseMs },
        )
      : undefined;
  const api = await buildApi(
    {
      accept,
      check: new CheckService(store, compliance, clock),
      keys,
      users: new Users(store, clock, DEFAULT_ACCOUNT),
      overview: new Overview(store, clock),
      accounts,
      verifiedNumbers,
      credentials,
      clock,
      numbers,
      lookups,
      usage: new Usage(store, accounts, clock),
      catalogue,
      store,
      messages,
      inbound,
      webhooks: new WebhookService(byName, receipts, inbound, lookups),
      rateLimits: new AccountRateLimits(config.rateLimit, coordination),
      endpoints,
      urlPost,
      optOuts,
      topology,
      quality: new QualityService(store, clock),
      publicUrl,
      metricsText: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    },
    { logger: log, logRequests: config.logRequests, trustProxy: config.trustProxy },
  );

  try {
    for (const connector of overrides.connectors ?? []) await topology.add(connector, []);
    for (const settings of current.connections) {
      const { connector, tables } = connectionFactory(PROVIDER_PLUGINS, { clock, publicUrl })(settings);
      await topology.add(connector, tables, settings);
    }
  } catch (error) {
    throw new ConfigError(error instanceof SwitchboardError ? `${error.message}${error.param ? ` (${error.param})` : ''}` : (error as Error).message);
  }
  // Nodes sharing a database take up connections and routes changed through another node.
  const reloading = config.databaseUrl ? setInterval(() => void topology.reload().catch((err: unknown) => log.warn({ err }, 'reloading the topology failed')), TOPOLOGY_RELOAD_MS) : undefined;
  dispatcher.start();
  deliverer.start();
  // Receipts parked by a node that died before applying them: this one before a restart, or another.
  const sweepReceipts = () =>
    void receipts.sweep((name) => byName.get(name)?.capabilities.idVariants).catch((err: unknown) => log.warn({ err }, 'applying stranded receipts failed'));
  sweepReceipts();
  const sweeping = setInterval(sweepReceipts, RECEIPT_SWEEP_MS);
  const returnSlices = (idleMs: number) => store.returnSlices(config.nodeId, clock.now() - idleMs, clock.now());
  let measuring: Promise<void> | undefined;
  const measure = () => {
    measuring ??= board
      .refresh()
      .then(() => watch.check())
      .catch((err: unknown) => log.warn({ err }, 'reading connection quality failed'))
      .finally(() => (measuring = undefined));
  };
  const measuringTimer = setInterval(measure, config.quality.refreshMs);
  const slicing = setInterval(() => void returnSlices(SLICE_IDLE_MS).catch((err: unknown) => log.warn({ err }, 'giving back balance slices failed')), SLICE_SWEEP_MS);
  let stopped = false;
  /** Each log's retention running, if it is: one run of each at a time. */
  const pruningLogs = new Map<string, Promise<void>>();
  /** Deletes what a log holds from before `before`, look after look from its oldest row (`start`), giving way to live traffic. */
  const pruneLog = <P>(name: string, before: number, start: P, look: (before: number, after: P, limit: number) => Promise<{ next: P | null }>) => {
    if (pruningLogs.has(name)) return;
    const run = (async () => {
      for (let after: P | null = start; after !== null && !stopped; ) {
        ({ next: after } = await look(before, after, PRUNE_LOG_LOOK));
        await new Promise((resolve) => (pressed() ? setTimeout(resolve, PRUNE_LOG_PAUSE_MS) : setImmediate(resolve)));
      }
    })()
      .catch((err: unknown) => log.warn({ err }, `deleting the old ${name} failed`))
      .finally(() => pruningLogs.delete(name));
    pruningLogs.set(name, run);
  };
  const prune = () => {
    const now = clock.now();
    store.pruneMarks(now, PRUNE_LIMIT).catch((err: unknown) => log.warn({ err }, 'deleting ended compliance counters failed'));
    store.pruneIdempotency(now - config.idempotencyTtlMs, PRUNE_LIMIT).catch((err: unknown) => log.warn({ err }, 'deleting old idempotency keys failed'));
    store.pruneQuality(hourOf(now) - QUALITY_MEMORY_DAYS * 24 + 1, PRUNE_LIMIT).catch((err: unknown) => log.warn({ err }, 'deleting old quality counters failed'));
    if (config.webhooks.retentionMs > 0) pruneLog('webhook log', now - config.webhooks.retentionMs, 0, (b, a, l) => store.pruneWebhookLog(b, a, l));
    if (config.messageRetentionMs > 0) {
      pruneLog('messages', now - config.messageRetentionMs, '', (b, a, l) => store.pruneMessages(b, a, l));
      pruneLog('received messages', now - config.messageRetentionMs, '', (b, a, l) => store.pruneInbound(b, a, l));
    }
  };
  // At once as well: a node that was down a while deletes what aged meanwhile now, not in a minute.
  prune();
  const pruning = setInterval(prune, PRUNE_MS);
  const analyzing = setInterval(
    () =>
      void store
        .refreshStatistics()
        .then((tables) => tables.length > 0 && log.debug({ tables }, 'analyzed tables that changed'))
        .catch((err: unknown) => log.warn({ err }, 'analyzing tables failed')),
    STATISTICS_MS,
  );

  return {
    api,
    store,
    log,
    firstKey,
    smpp,
    async stop() {
      clearInterval(reloading);
      clearInterval(sweeping);
      clearInterval(slicing);
      clearInterval(pruning);
      stopped = true;
      await Promise.all(pruningLogs.values());
      clearInterval(analyzing);
      clearInterval(measuringTimer);
      await measuring;
      await smpp?.close();
      await api.close();
      await dispatcher.stop();
      await deliverer.stop();
      pressure.stop();
      for (const connector of byName.values()) await connector.stop();
      await receipts.drain();
      await writer.drain();
      // After the last accept: what this node set aside goes back to its accounts now, not at its lease's end.
      await returnSlices(-Infinity);
      await destinations.close();
      await coordination.close();
      await store.close();
    },
  };
}
