import { close, fdatasync, open } from 'node:fs';
import { promisify } from 'node:util';

const openFile = promisify(open);
const syncFile = promisify(fdatasync);
const closeFile = promisify(close);

/**
 * Makes commits durable off the event loop: SQLite commits without syncing (synchronous=NORMAL,
 * WAL mode) and this syncs the write-ahead log on libuv's thread pool before a write is
 * answered. A commit survives a power loss once an fdatasync begun after it ends, as it would
 * with synchronous=FULL, but the thread that serves requests never waits on the disk: it goes on
 * with other work, and commits made during one sync are all covered by the next (group commit).
 * `written` counts the rows the store's statements have written so far (see Statement).
 */
export class WalSync {
  #fd: Promise<number> | undefined;
  /** Rows written that are on disk: those counted when the last sync that ended began. */
  #covered = 0;
  /** The sync on the disk now, if any, and the rows written that it covers. */
  #running: { readonly upTo: number; readonly done: Promise<void> } | undefined;
  /** The sync that starts when the running one ends: it covers every commit made meanwhile. */
  #queued: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly written: () => number,
  ) {}

  /** Resolves once the first `upTo` rows written are on disk. */
  durable(upTo: number): Promise<void> {
    if (upTo <= this.#covered) return Promise.resolve();
    if (!this.#running) return this.#start();
    if (upTo <= this.#running.upTo) return this.#running.done;
    this.#queued ??= this.#running.done.then(
      () => this.#start(),
      () => this.#start(),
    );
    return this.#queued;
  }

  #start(): Promise<void> {
    this.#queued = undefined;
    const upTo = this.written();
    const done = (async () => {
      // Opened at the first sync: the log exists once something was written.
      this.#fd ??= openFile(this.path, 'r');
      let fd: number;
      try {
        fd = await this.#fd;
      } catch (error) {
        this.#fd = undefined;
        throw error;
      }
      await syncFile(fd);
      this.#covered = Math.max(this.#covered, upTo);
    })().finally(() => {
      if (this.#running?.done === done) this.#running = undefined;
    });
    this.#running = { upTo, done };
    return done;
  }

  /** Waits for the syncs under way, then lets the file go. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#queued, this.#running?.done]);
    if (this.#fd) await closeFile(await this.#fd);
    this.#fd = undefined;
  }
}
