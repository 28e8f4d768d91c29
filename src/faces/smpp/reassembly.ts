import type { PartOf } from './submit.js';

interface Pending<T> {
  readonly parts: (T | undefined)[];
  readonly timer: NodeJS.Timeout;
}

/**
 * The parts of long messages, held until the last one comes, in whatever order they come. A
 * message whose parts do not all come within `timeoutMs` of its first is refused whole: the
 * parts that came are given to `expire`, and nothing is sent (a text with a hole in it would
 * reach the handset as something the customer never wrote). A part sent twice replaces the
 * first, which is given to `expire` alone.
 */
export class Reassembly<T> {
  readonly #pending = new Map<string, Pending<T>>();

  constructor(
    private readonly timeoutMs: number,
    private readonly expire: (parts: T[], why: string) => void,
  ) {}

  /** Holds a part; returns every part in order once the message is whole. */
  add(key: string, part: PartOf, item: T): T[] | undefined {
    const full = `${key}|${part.ref}|${part.total}`;
    let pending = this.#pending.get(full);
    if (!pending) {
      const timer = setTimeout(() => {
        this.#pending.delete(full);
        const came = pending!.parts.filter((p): p is T => p !== undefined);
        this.expire(came, `${part.total - came.length} of the ${part.total} parts (reference ${part.ref}) did not come within ${this.timeoutMs} ms`);
      }, this.timeoutMs);
      pending = { parts: new Array<T | undefined>(part.total).fill(undefined), timer };
      this.#pending.set(full, pending);
    }
    const previous = pending.parts[part.seq - 1];
    if (previous !== undefined) this.expire([previous], `part ${part.seq} of reference ${part.ref} was sent again`);
    pending.parts[part.seq - 1] = item;
    if (pending.parts.some((p) => p === undefined)) return undefined;
    clearTimeout(pending.timer);
    this.#pending.delete(full);
    return pending.parts as T[];
  }

  /** Drops every part held (the server stops). */
  clear(): void {
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    this.#pending.clear();
  }
}
