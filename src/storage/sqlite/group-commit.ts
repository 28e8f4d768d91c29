import { closeSync, fdatasync, fstatSync, openSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Store } from '../../app/store.js';

const datasync = promisify(fdatasync);

/** A sync of the log in flight, and how many changes it covers (the count when it started). */
interface Running {
  readonly upTo: number;
  readonly done: Promise<void>;
}

/**
 * Group commit for the write-ahead log. SQLite's `synchronous = FULL` syncs the log inside every
 * commit, holding the event loop for the disk's flush (about 3 ms here) hundreds of times a
 * second. Instead the store commits with `synchronous = NORMAL` and nothing it answers leaves it
 * before a sync of the log that started after the answer's changes were written: one sync, on
 * libuv's thread pool, covers every commit made while the previous one ran. So an accepted message
 * still survives a power loss, and the event loop never waits for the disk.
 */
export class WalSync {
  /** The log, opened at the first write (SQLite creates it then). */
  #fd: number | undefined;
  /** Changes on disk: those counted when the latest finished sync started. */
  #covered: number;
  #running: Running | undefined;
  #queued: Promise<void> | undefined;

  /** `changes`: the connection's count of rows changed so far (SQLite's total_changes()). */
  /** `sync`: how a descriptor is flushed (fdatasync; a test counts the calls). */
  constructor(
    private readonly walFile: string,
    private readonly changes: () => number,
    private readonly sync: (fd: number) => Promise<void> = datasync,
  ) {
    this.#covered = changes();
  }

  /** Resolves once every change made so far is on disk. */
  settle(): Promise<void> {
    const changes = this.changes();
    if (changes <= this.#covered) return Promise.resolve();
    if (this.#running && this.#running.upTo >= changes) return this.#running.done;
    // The running sync may have started before these changes were written: the next one covers them.
    this.#queued ??= (this.#running?.done ?? Promise.resolve()).then(
      () => this.#start(),
      () => this.#start(),
    );
    return this.#queued;
  }

  #start(): Promise<void> {
    this.#queued = undefined;
    const upTo = this.changes();
    const running: Running = {
      upTo,
      done: this.sync(this.#log()).then(
        () => {
          this.#covered = Math.max(this.#covered, upTo);
          if (this.#running === running) this.#running = undefined;
        },
        (error: unknown) => {
          if (this.#running === running) this.#running = undefined;
          throw error;
        },
      ),
    };
    this.#running = running;
    return running.done;
  }

  /** The log's descriptor, opened again if the file was replaced (a last connection elsewhere removed it). */
  #log(): number {
    if (this.#fd !== undefined && fstatSync(this.#fd).ino !== statSync(this.walFile).ino) this.close();
    return (this.#fd ??= openSync(this.walFile, 'r+'));
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

/**
 * The store with every answer held until it is durable (see WalSync): each method's result, or
 * its error, is given once the log holds every change made until it returned. A read waits too
 * when it may have seen a write still on its way to disk.
 */
export function groupCommitted<S extends Store>(store: S, sync: WalSync): S {
  const wrapped = new Map<PropertyKey, unknown>();
  const close = async (): Promise<void> => {
    await sync.settle();
    sync.close();
    await store.close();
  };
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === 'close') return close;
      let fn = wrapped.get(prop);
      if (!fn) {
        fn = async (...args: unknown[]) => {
          try {
            return await (value as (...a: unknown[]) => unknown).apply(target, args);
          } finally {
            await sync.settle();
          }
        };
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}
