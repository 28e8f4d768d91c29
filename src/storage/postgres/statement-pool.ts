import { createHash } from 'node:crypto';
import pg from 'pg';
import { SwitchboardError } from '../../core/errors.js';

/**
 * Distinct statements a process names at most. The store's texts are a few hundred at most
 * (some are built from the fields a request sets); the cap bounds what each connection keeps
 * whatever a future one builds, and a text past it runs unnamed, as before.
 */
const NAMED_AT_MOST = 500;

/** Names by text; null: a text that runs unnamed from now on (see NamingClient). */
const names = new Map<string, string | null>();

function nameOf(text: string): string | null {
  let name = names.get(text);
  if (name === undefined && names.size < NAMED_AT_MOST) names.set(text, (name = `sb_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  return name ?? null;
}

type Query = (...args: unknown[]) => Promise<pg.QueryResult>;

/**
 * A client that runs every statement with parameters as a named one: each connection has
 * PostgreSQL parse it once, not at every run (the emit of webhook events, the write of a batch
 * of status changes: long statements, parsed at every run before).
 *
 * A named `SELECT *` stops working once another node's migration adds a column to its table
 * ("cached plan must not change result type"): that run fails (its transaction with it), and the
 * text runs unnamed from then on, as every statement did before.
 */
class NamingClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // A connection lost between two statements of a checked-out client: its next statement
    // fails (and the pool drops it). Unheard, the event would end the process.
    this.on('error', () => undefined);
    const query = super.query.bind(this) as Query;
    this.query = ((...args: unknown[]) => {
      const [text, values, callback] = args;
      const name = args.length <= 3 && typeof text === 'string' && Array.isArray(values) ? nameOf(text) : null;
      if (!name) return query(...args);
      const config = { name, text, values };
      const forget = (error: unknown) => {
        if ((error as { code?: string } | null)?.code === '0A000') names.set(text as string, null);
      };
      // The pool's own query (pool.query) calls back; a checked-out client's awaits.
      if (typeof callback === 'function') {
        return query(config, (error: unknown, result: unknown) => {
          forget(error);
          (callback as (error: unknown, result: unknown) => void)(error, result);
        });
      }
      return query(config).catch((error: unknown) => {
        forget(error);
        throw error;
      });
    }) as pg.Client['query'];
  }
}

/** setTimeout's longest delay: a statement given it runs as long as it needs (see unbounded). */
const UNBOUNDED_MS = 2_147_483_647;

/**
 * A statement that may run longer than the pool's timeout: a migration, an index built, ANALYZE
 * of a large table. It is never a request's, so nothing waits on it but the node's upkeep.
 */
export function unbounded(text: string): pg.QueryConfig {
  return { text, query_timeout: UNBOUNDED_MS } as pg.QueryConfig;
}

/**
 * The store's pool: named statements (see NamingClient), planned afresh at every run
 * (plan_cache_mode), so that the plans run are those the plan tests read, made with each run's
 * values, never a generic plan PostgreSQL may switch to after five runs.
 *
 * `timeoutMs` (0: none) bounds the wait for a connection and for a statement's answer. A
 * database host gone without a word (a hard failover: no reset, no refusal) otherwise holds a
 * statement until the kernel gives up on the connection, some 15 minutes, and each request on it
 * as long; past the bound the request is answered 503, and the connection, whose statement may
 * still be on its way, is dropped rather than used again. TCP keepalive finds idle ones gone.
 */
export function statementPool(config: pg.PoolConfig & { searchPath?: string; timeoutMs: number; onLost: (error: Error) => void }): pg.Pool {
  const { searchPath, timeoutMs, onLost, ...rest } = config;
  const options = ['-c plan_cache_mode=force_custom_plan', ...(searchPath ? [`-c search_path=${searchPath}`] : [])].join(' ');
  const bounds = timeoutMs > 0 ? { connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs } : {};
  const pool = new pg.Pool({ ...rest, ...bounds, keepAlive: true, Client: NamingClient, options });
  // An idle connection lost (PostgreSQL restarted, a failover): the pool drops it and opens
  // another when one is needed. Unheard, the event would end the process.
  pool.on('error', onLost);
  // Its own statements, and the connections it hands out, fail as the database out of reach.
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => failingAsUnavailable(query(...args))) as pg.Pool['query'];
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  pool.connect = ((...args: unknown[]) => failingAsUnavailable(connect(...args))) as pg.Pool['connect'];
  return pool;
}

/** Node's codes and PostgreSQL's SQLSTATEs (besides class 08, connection exceptions) of a database out of reach. */
const OUT_OF_REACH = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03']);

/** Why PostgreSQL cannot serve the gateway now, by the failure's SQLSTATE, Node code or message. */
function reasonOf(code: unknown, message: unknown): string | undefined {
  if (typeof code === 'string') {
    if (OUT_OF_REACH.has(code) || code.startsWith('08')) return 'is out of reach';
    // Class 53: its disk full, its memory or its connections spent.
    if (code.startsWith('53')) return 'is short of resources (disk, memory or connections)';
    // A standby, as the address of a primary reaches after a failover until it moves.
    if (code === '25006') return 'refuses writes (a standby, not the primary)';
  }
  if (typeof message === 'string' && /^Connection terminated|is not queryable|^Query read timeout|^timeout exceeded when trying to connect/.test(message)) return 'is out of reach';
  return undefined;
}

/**
 * A failure of the database rather than of the request (out of reach, shutting down, silent
 * past the pool's timeout, short of resources, a standby) as the canonical `service_unavailable`,
 * which passes with time: an API caller gets a 503 with Retry-After, not an internal error, and
 * the connection it failed on is dropped (see PostgresStore's transactions), so that the next
 * one may reach the new primary. The original stays its `cause`, for the log. Any other error
 * is returned as it is.
 */
export function asUnavailable(error: unknown): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const reason = reasonOf(code, message);
  if (!reason) return error;
  return Object.assign(new SwitchboardError('service_unavailable', `The database (PostgreSQL) ${reason}; retry shortly.`, { retryAfterSeconds: 1 }), { cause: error });
}

const failingAsUnavailable = (result: unknown) =>
  result instanceof Promise
    ? result.catch((error: unknown) => {
        throw asUnavailable(error);
      })
    : result;
