import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const POOL = Buffer.alloc(4096);
let used = POOL.length;

/**
 * ulid's default source asks the system for one byte per character (16 calls an id, about 3% of
 * a node's CPU at full rate): the same cryptographic bytes, drawn 4 KB at a time.
 */
function pooledRandom(): number {
  if (used === POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  return POOL[used++]! / 256;
}

const next = monotonicFactory(pooledRandom);

/**
 * Message ids: `msg_` and a ULID, so ids sort by creation time (the message log pages on them)
 * and carry no sequence a node would have to share.
 */
export function newMessageId(now: number): string {
  return `msg_${next(now)}`;
}

export function newId(prefix: string, now: number): string {
  return `${prefix}_${next(now)}`;
}
