/** Spaces out sends to at most `perSecond` a second (0: no limit). */
export class RateLimiter {
  private next = 0;

  constructor(private readonly perSecond: number) {}

  async take(): Promise<void> {
    if (!this.perSecond) return;
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}
