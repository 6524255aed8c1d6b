/** Runs async work one call after another, in the order asked, each caller getting its own result. */
export class OneAtATime {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.last.then(work, work);
    this.last = result.catch(() => undefined);
    return result;
  }

  /** Resolves when the work asked for so far is done. */
  idle(): Promise<void> {
    return this.last.then(() => undefined);
  }
}
