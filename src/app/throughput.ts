/** At most `size` operations in flight; the next waits for a free place. */
export class Window {
  #used = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #freed: (() => void)[] = [];

  constructor(private readonly size: number) {}

  get free(): number {
    return Math.max(0, this.size - this.#used);
  }

  async acquire(): Promise<void> {
    if (this.#used < this.size) {
      this.#used++;
      return;
    }
    await new Promise<void>((r) => this.#waiting.push(r));
  }

  /** Resolves once at least `n` places are free (at most the window's size). */
  async whenFree(n: number): Promise<void> {
    const wanted = Math.min(n, this.size);
    while (this.free < wanted) await new Promise<void>((r) => this.#freed.push(r));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#used--;
    for (const r of this.#freed.splice(0)) r();
  }
}
