/**
 * Work done after the request that asked for it: keys (contact ids, say) are collected and handed
 * to `work` together, one call at a time; keys added during a call go to the next one. With a
 * delay, a call waits that long first, so a burst of changes is handled once.
 */
export class BackgroundBatches<K> {
  private readonly pending = new Set<K>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly work: (keys: K[]) => Promise<unknown>,
    private readonly onError: (err: unknown, keys: K[]) => void,
    private readonly delayMs = 0,
  ) {}

  add(keys: Iterable<K>): void {
    for (const key of keys) this.pending.add(key);
    this.running ??= this.drain();
  }

  /** Resolves when every key added so far has been handled. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    while (this.pending.size) {
      // A held timer: a process that stops waits for the pending work instead of exiting with it unsettled.
      if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      const keys = [...this.pending];
      this.pending.clear();
      await this.work(keys).catch((err) => this.onError(err, keys));
    }
    this.running = null;
  }
}
