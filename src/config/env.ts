import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_BREAKER, type BreakerPolicy } from '../core/policies/breaker.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../core/policies/retry.js';

/** A node's settings, read from the environment. Every one has a default that works at once. */
export interface Config {
  readonly host: string;
  readonly port: number;
  /**
   * The configuration file of connections and routes: SWITCHBOARD_CONFIG, else ./switchboard.yaml
   * when it exists; without one, the sandbox takes every message.
   */
  readonly configFile: string | undefined;
  /** Where the embedded database lives. */
  readonly dataDir: string;
  /** How clients reach this server: the base of every doc_url. */
  readonly publicUrl: string;
  readonly allowFixedLine: boolean;
  /** How long a live lookup stays fresh: reused for the account, and read by routing and accept. */
  readonly lookupTtlMs: number;
  /** How long an Idempotency-Key answers with its first response; older ones are deleted. */
  readonly idempotencyTtlMs: number;
  /** How long after it was made a message, sent or received, is deleted with its events once final (0: never). */
  readonly messageRetentionMs: number;
  readonly sqliteSync: 'full' | 'normal';
  readonly logLevel: string;
  readonly logRequests: boolean;
  readonly sandboxReceiptDelayMs: number;
  /** Submits per second the sandbox takes: lower it to watch a slow carrier's queue. */
  readonly sandboxTps: number;
  /** How long a dispatch claim holds before another node may take the message over. */
  readonly leaseMs: number;
  /** This node's name, the owner of its dispatch claims. */
  readonly nodeId: string;
  /** How long a connection may be down before its waiting messages fail over. */
  readonly downGraceMs: number;
  readonly retry: RetryPolicy;
  readonly breaker: BreakerPolicy;
  /** Shared mode: PostgreSQL as the store (and its schema), Redis for what nodes must agree on. */
  readonly databaseUrl: string | undefined;
  readonly databaseSchema: string | undefined;
  /** How long PostgreSQL may leave a connection or a statement unanswered before it counts as out of reach; 0: no bound. */
  readonly databaseTimeoutMs: number;
  readonly redisUrl: string | undefined;
  /** Keeps one deployment's Redis keys apart from another's on the same Redis. */
  readonly redisPrefix: string;
  /** How long Redis may leave a command or a new connection unanswered before it counts as out of reach; 0: no bound. */
  readonly redisTimeoutMs: number;
  readonly webhooks: {
    /** Call endpoints on loopback, private and link-local addresses (development only). */
    readonly allowPrivate: boolean;
    /** Shrinks the retry schedule of failed deliveries (1: 5 s up to 8 h, over a day). */
    readonly retryScale: number;
    /** How long an endpoint may fail without a break before it is disabled. */
    readonly disableAfterMs: number;
    /** Posts in flight at once from this node, to every target together. */
    readonly concurrency: number;
    /** Posts in flight at once to one endpoint or callback URL, across the nodes. */
    readonly perTarget: number;
    /** How long delivered and failed deliveries are kept, with their attempts and events (0: for ever). */
    readonly retentionMs: number;
  };
  /** Requests per second each account may make (0: no limit), and the burst above it. */
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  /**
   * Which proxies' X-Forwarded-For gives the client's address (IP allowlists, logs): false (the
   * default) none, the connection's address is the client's; true every one; a number, that many
   * hops; or addresses and CIDRs of the proxies, comma-separated.
   */
  readonly trustProxy: boolean | number | string;
  /** The message that sends a verification code: its sender, and its text with `{code}` where the code goes. */
  readonly verification: { readonly from: string; readonly text: string };
  /** The SMPP server for customers: off unless a port is set. */
  readonly smpp: {
    readonly port: number | undefined;
    readonly tls: { readonly port: number; readonly certFile: string; readonly keyFile: string } | undefined;
    /** Requests outstanding at once on one session, each way: deliver_sm out, and submits read and not yet answered. */
    readonly window: number;
    /** How long the parts of a long message may take to all come before it is refused. */
    readonly partTimeoutMs: number;
  };
  /** Measured quality: what `best` routes learn from and degradation is found in. */
  readonly quality: {
    /** How often each node reads the counters from the store (and looks for degraded connections). */
    readonly refreshMs: number;
    /** Hours of counters read: the longest memory of a measurement. */
    readonly windowHours: number;
    /** Half-life of what `best` learned: older outcomes weigh less, so a change shows within minutes. */
    readonly halfLifeMs: number;
    /** A delivered receipt faster than this comes from no handset; unset: that test is off. */
    readonly handsetMinMs: number | undefined;
    /** Whether outcomes are counted at all (SWITCHBOARD_QUALITY_COUNTERS=0 turns them off, to measure their cost). */
    readonly counters: boolean;
  };
}

function smppTls(env: NodeJS.ProcessEnv): Config['smpp']['tls'] {
  if (!env.SWITCHBOARD_SMPP_TLS_PORT) return undefined;
  const certFile = env.SWITCHBOARD_SMPP_TLS_CERT;
  const keyFile = env.SWITCHBOARD_SMPP_TLS_KEY;
  if (!certFile || !keyFile) throw new Error('SWITCHBOARD_SMPP_TLS_PORT needs SWITCHBOARD_SMPP_TLS_CERT and SWITCHBOARD_SMPP_TLS_KEY (PEM files)');
  return { port: integer('SWITCHBOARD_SMPP_TLS_PORT', env.SWITCHBOARD_SMPP_TLS_PORT, 0), certFile: resolve(certFile), keyFile: resolve(keyFile) };
}

function flag(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not ${JSON.stringify(value)}`);
  return n;
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!(n > 0)) throw new Error(`${name} must be a positive number, not ${JSON.stringify(value)}`);
  return n;
}

function trustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || ['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  return /^[0-9]+$/.test(value) ? Number(value) : value;
}

function verifyText(value: string | undefined): string {
  if (!value) return 'Your verification code is {code}. It expires in 10 minutes.';
  if (!value.includes('{code}')) throw new Error('SWITCHBOARD_VERIFY_TEXT must hold {code}, where the code goes');
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const host = env.HOST ?? '127.0.0.1';
  const port = integer('PORT', env.PORT, 8080);
  const sync = env.SWITCHBOARD_SQLITE_SYNC ?? 'full';
  if (sync !== 'full' && sync !== 'normal') throw new Error('SWITCHBOARD_SQLITE_SYNC must be "full" or "normal"');
  // No limit by default: a gateway's owner load-testing it must not meet its own throttle.
  const rate = integer('SWITCHBOARD_RATE_LIMIT', env.SWITCHBOARD_RATE_LIMIT, 0);
  return {
    host,
    port,
    configFile: env.SWITCHBOARD_CONFIG ? resolve(env.SWITCHBOARD_CONFIG) : existsSync('switchboard.yaml') ? resolve('switchboard.yaml') : undefined,
    dataDir: resolve(env.SWITCHBOARD_DATA_DIR ?? 'data'),
    publicUrl: env.SWITCHBOARD_PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    allowFixedLine: flag(env.SWITCHBOARD_ALLOW_FIXED_LINE),
    lookupTtlMs: integer('SWITCHBOARD_LOOKUP_TTL_SECONDS', env.SWITCHBOARD_LOOKUP_TTL_SECONDS, 86_400) * 1000,
    idempotencyTtlMs: (integer('SWITCHBOARD_IDEMPOTENCY_HOURS', env.SWITCHBOARD_IDEMPOTENCY_HOURS, 24) || 1) * 3_600_000,
    messageRetentionMs: integer('SWITCHBOARD_MESSAGE_RETENTION_DAYS', env.SWITCHBOARD_MESSAGE_RETENTION_DAYS, 0) * 86_400_000,
    sqliteSync: sync,
    logLevel: env.LOG_LEVEL ?? 'info',
    logRequests: flag(env.SWITCHBOARD_LOG_REQUESTS),
    sandboxReceiptDelayMs: integer('SWITCHBOARD_SANDBOX_RECEIPT_DELAY_MS', env.SWITCHBOARD_SANDBOX_RECEIPT_DELAY_MS, 200),
    sandboxTps: integer('SWITCHBOARD_SANDBOX_TPS', env.SWITCHBOARD_SANDBOX_TPS, 0) || Number.POSITIVE_INFINITY,
    leaseMs: integer('SWITCHBOARD_LEASE_MS', env.SWITCHBOARD_LEASE_MS, 30_000),
    nodeId: env.SWITCHBOARD_NODE_ID ?? `node-${process.pid}`,
    downGraceMs: integer('SWITCHBOARD_FAILOVER_AFTER_MS', env.SWITCHBOARD_FAILOVER_AFTER_MS, 10_000),
    retry: {
      maxAttempts: integer('SWITCHBOARD_RETRY_MAX_ATTEMPTS', env.SWITCHBOARD_RETRY_MAX_ATTEMPTS, DEFAULT_RETRY.maxAttempts) || 1,
      baseDelayMs: integer('SWITCHBOARD_RETRY_BASE_MS', env.SWITCHBOARD_RETRY_BASE_MS, DEFAULT_RETRY.baseDelayMs),
      maxDelayMs: integer('SWITCHBOARD_RETRY_MAX_DELAY_MS', env.SWITCHBOARD_RETRY_MAX_DELAY_MS, DEFAULT_RETRY.maxDelayMs),
    },
    breaker: {
      failures: integer('SWITCHBOARD_BREAKER_FAILURES', env.SWITCHBOARD_BREAKER_FAILURES, DEFAULT_BREAKER.failures) || 1,
      openMs: integer('SWITCHBOARD_BREAKER_OPEN_MS', env.SWITCHBOARD_BREAKER_OPEN_MS, DEFAULT_BREAKER.openMs),
      maxOpenMs: integer('SWITCHBOARD_BREAKER_MAX_OPEN_MS', env.SWITCHBOARD_BREAKER_MAX_OPEN_MS, DEFAULT_BREAKER.maxOpenMs),
    },
    databaseUrl: env.SWITCHBOARD_DATABASE_URL || undefined,
    databaseSchema: env.SWITCHBOARD_DATABASE_SCHEMA || undefined,
    databaseTimeoutMs: integer('SWITCHBOARD_DATABASE_TIMEOUT_MS', env.SWITCHBOARD_DATABASE_TIMEOUT_MS, 30_000),
    redisUrl: env.SWITCHBOARD_REDIS_URL || undefined,
    redisPrefix: env.SWITCHBOARD_REDIS_PREFIX ?? 'switchboard:',
    redisTimeoutMs: integer('SWITCHBOARD_REDIS_TIMEOUT_MS', env.SWITCHBOARD_REDIS_TIMEOUT_MS, 5_000),
    webhooks: {
      allowPrivate: flag(env.SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE),
      retryScale: positive('SWITCHBOARD_WEBHOOK_RETRY_SCALE', env.SWITCHBOARD_WEBHOOK_RETRY_SCALE, 1),
      disableAfterMs: integer('SWITCHBOARD_WEBHOOK_DISABLE_AFTER_MS', env.SWITCHBOARD_WEBHOOK_DISABLE_AFTER_MS, 3 * 86_400_000),
      concurrency: integer('SWITCHBOARD_WEBHOOK_CONCURRENCY', env.SWITCHBOARD_WEBHOOK_CONCURRENCY, 512) || 1,
      perTarget: integer('SWITCHBOARD_WEBHOOK_TARGET_CONCURRENCY', env.SWITCHBOARD_WEBHOOK_TARGET_CONCURRENCY, 64) || 1,
      retentionMs: integer('SWITCHBOARD_WEBHOOK_RETENTION_DAYS', env.SWITCHBOARD_WEBHOOK_RETENTION_DAYS, 30) * 86_400_000,
    },
    rateLimit: { perSecond: rate, burst: integer('SWITCHBOARD_RATE_LIMIT_BURST', env.SWITCHBOARD_RATE_LIMIT_BURST, rate * 2) },
    trustProxy: trustProxy(env.SWITCHBOARD_TRUST_PROXY),
    verification: { from: env.SWITCHBOARD_VERIFY_FROM || 'Switchboard', text: verifyText(env.SWITCHBOARD_VERIFY_TEXT) },
    smpp: {
      port: env.SWITCHBOARD_SMPP_PORT ? integer('SWITCHBOARD_SMPP_PORT', env.SWITCHBOARD_SMPP_PORT, 0) : undefined,
      tls: smppTls(env),
      window: integer('SWITCHBOARD_SMPP_WINDOW', env.SWITCHBOARD_SMPP_WINDOW, 100) || 1,
      partTimeoutMs: integer('SWITCHBOARD_SMPP_PART_TIMEOUT_MS', env.SWITCHBOARD_SMPP_PART_TIMEOUT_MS, 5000) || 1,
    },
    quality: {
      refreshMs: integer('SWITCHBOARD_QUALITY_REFRESH_MS', env.SWITCHBOARD_QUALITY_REFRESH_MS, 5000) || 1,
      windowHours: integer('SWITCHBOARD_QUALITY_WINDOW_HOURS', env.SWITCHBOARD_QUALITY_WINDOW_HOURS, 24) || 1,
      halfLifeMs: positive('SWITCHBOARD_QUALITY_HALF_LIFE_S', env.SWITCHBOARD_QUALITY_HALF_LIFE_S, 1800) * 1000,
      counters: env.SWITCHBOARD_QUALITY_COUNTERS === undefined || flag(env.SWITCHBOARD_QUALITY_COUNTERS),
      handsetMinMs: env.SWITCHBOARD_HANDSET_MIN_MS ? integer('SWITCHBOARD_HANDSET_MIN_MS', env.SWITCHBOARD_HANDSET_MIN_MS, 0) : undefined,
    },
  };
}
