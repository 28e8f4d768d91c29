import { Redis } from 'ioredis';
import { SwitchboardError } from '../core/errors.js';
import type { Coordination } from '../app/coordination.js';

// Each script reads the time from Redis itself, so that nodes whose clocks differ still share one
// timeline, and does its read-modify-write atomically.

const NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)";

/** KEYS[1] bucket; ARGV perSecond, burst, cost. Returns ms to wait, 0 when the tokens were taken. */
const RATE = `${NOW}
local rate, burst, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(v[1]) or burst, tonumber(v[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local wait = 0
if tokens >= cost then tokens = tokens - cost else wait = math.ceil((cost - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait`;

/** KEYS[1] pace; ARGV spanMs. Returns ms until the reserved span starts. */
const PACE = `${NOW}
local span = tonumber(ARGV[1])
local start = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
redis.call('SET', KEYS[1], tostring(start + span), 'PX', math.ceil(start + span - now) + 1000)
return math.ceil(start - now)`;

/**
 * KEYS[1] a sorted set of slots, scored by when each lapses; ARGV holder, count, max, ttlMs.
 * Returns 1 when the holder has (or renewed) its slots.
 */
const SLOTS = `${NOW}
local holder, count, max, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local mine = redis.call('ZSCORE', KEYS[1], holder .. '#1')
if not mine and redis.call('ZCARD', KEYS[1]) + count > max then return 0 end
for i = 1, count do redis.call('ZADD', KEYS[1], now + ttl, holder .. '#' .. i) end
redis.call('PEXPIRE', KEYS[1], ttl + 1000)
return 1`;

/**
 * Redis gave no answer (ioredis gives a command up after three tries to reconnect, or when its
 * connection is dropped as silent): what asked is refused as the service being unavailable for a
 * moment, not as a fault of the request. The details go to the log (the client's `error`
 * events), not to the caller.
 */
function outOfReach(): never {
  throw new SwitchboardError('service_unavailable', 'The store the nodes share rate limits, paces and locks through (Redis) is out of reach; retry shortly.', { retryAfterSeconds: 1 });
}

/** Coordination shared by every node through Redis. */
export class RedisCoordination implements Coordination {
  readonly #redis: Redis;

  /**
   * @param prefix keeps this deployment's keys apart from others on the same Redis.
   * @param onError told of each failed connection (Redis is tried again, backing off).
   * @param timeoutMs (0: none) how long a connection may leave a command sent unanswered before
   *   it is dropped for a new one, and a new one may take to open. A host gone without a word (a
   *   hard failover: no reset, no refusal) otherwise holds every command until the kernel gives
   *   up on the connection, some 15 minutes. Its commands fail instead (503), as do those waiting
   *   for a connection once three have failed, and the next connection reaches the new primary.
   *   Not a timeout per command: ioredis would still send one it gave up while it waited for a
   *   connection, and a lock taken for a request already refused would hold its key.
   */
  constructor(
    url: string,
    private readonly prefix: string,
    onError: (error: Error) => void,
    timeoutMs = 5_000,
  ) {
    const bounds = timeoutMs > 0 ? { socketTimeout: timeoutMs, connectTimeout: timeoutMs } : {};
    this.#redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3, ...bounds });
    this.#redis.on('error', onError);
    this.#redis.defineCommand('sbRate', { numberOfKeys: 1, lua: RATE });
    this.#redis.defineCommand('sbPace', { numberOfKeys: 1, lua: PACE });
    this.#redis.defineCommand('sbSlots', { numberOfKeys: 1, lua: SLOTS });
  }

  async rate(key: string, perSecond: number, burst: number, cost = 1): Promise<number> {
    return Number(await (this.#redis as unknown as Scripts).sbRate(this.prefix + key, perSecond, burst, cost).catch(outOfReach));
  }

  async pace(key: string, spanMs: number): Promise<number> {
    return Number(await (this.#redis as unknown as Scripts).sbPace(this.prefix + key, spanMs).catch(outOfReach));
  }

  async holdSlots(key: string, holder: string, count: number, max: number, ttlMs: number): Promise<boolean> {
    return Number(await (this.#redis as unknown as Scripts).sbSlots(this.prefix + key, holder, count, max, Math.ceil(ttlMs)).catch(outOfReach)) === 1;
  }

  async releaseSlots(key: string, holder: string): Promise<void> {
    const members = await this.#redis.zrange(this.prefix + key, '0', '-1').catch(outOfReach);
    const mine = members.filter((m) => m.startsWith(`${holder}#`));
    if (mine.length > 0) await this.#redis.zrem(this.prefix + key, ...mine).catch(outOfReach);
  }

  async lock(key: string, ttlMs: number): Promise<boolean> {
    return (await this.#redis.set(this.prefix + key, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX').catch(outOfReach)) === 'OK';
  }

  async unlock(key: string): Promise<void> {
    await this.#redis.del(this.prefix + key).catch(outOfReach);
  }

  async ping(): Promise<void> {
    await this.#redis.ping();
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }
}

interface Scripts {
  sbRate(key: string, perSecond: number, burst: number, cost: number): Promise<number>;
  sbPace(key: string, spanMs: number): Promise<number>;
  sbSlots(key: string, holder: string, count: number, max: number, ttlMs: number): Promise<number>;
}
