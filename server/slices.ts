/**
 * Long CPU work on the main thread in bounded slices: the loop asks `due()` now and then (it is cheap)
 * and awaits `pause()` when it is, so requests (and /healthz) are answered between slices.
 */
export class Slices {
  private started = performance.now();

  constructor(private readonly budgetMs = 15) {}

  due(): boolean {
    return performance.now() - this.started >= this.budgetMs;
  }

  /** Lets the event loop run what waits (I/O included), then starts a new slice. */
  async pause(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.started = performance.now();
  }

  /** `items.map(fn)`, pausing between slices. */
  async map<T, R>(items: readonly T[], fn: (item: T) => R): Promise<R[]> {
    const out = new Array<R>(items.length);
    for (let i = 0; i < items.length; i++) {
      out[i] = fn(items[i]!);
      if ((i & 63) === 63 && this.due()) await this.pause();
    }
    return out;
  }
}
