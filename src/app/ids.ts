import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

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
