/**
 * The idle wait of a worker loop: sleeps up to a poll interval, or until woken. A wake that
 * comes while the loop is busy cuts its next sleep short, so that no new work waits a full
 * interval.
 */
export class Sleeper {
  #wake: (() => void) | undefined;
  #woken = false;

  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  async sleep(ms: number): Promise<void> {
    if (!this.#woken) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    this.#woken = false;
  }
}
