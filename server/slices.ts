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
  async map<T, R>(items: readonly T[], fn: (item: T, index: number) => R): Promise<R[]> {
    const out = new Array<R>(items.length);
    for (let i = 0; i < items.length; i++) {
      out[i] = fn(items[i]!, i);
      if ((i & 63) === 63 && this.due()) await this.pause();
    }
    return out;
  }
}

let sharedSliceStarted = performance.now();

/**
 * For work that cannot say where its slices end: SQLite answers synchronously (better-sqlite3), so a
 * chain of awaited queries never gives the event loop a turn by itself. Every SQLite call awaits this
 * first; once the thread has run a slice's worth without a turn, it lets waiting requests in.
 */
export async function turnWhenDue(budgetMs = 15): Promise<void> {
  if (performance.now() - sharedSliceStarted < budgetMs) return;
  await new Promise((resolve) => setImmediate(resolve));
  sharedSliceStarted = performance.now();
}
