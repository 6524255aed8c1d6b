/** How a refresh run is bounded. */
export interface RefreshLimits {
  /** Contacts read per batch. */
  batchSize: number;
  /** Summaries generated at once. */
  concurrency: number;
  /** Summaries generated per run at most (provider calls). */
  budget: number;
  /** Only contacts active since this date. */
  activeSince: Date;
}

/**
 * The refresh job's work: regenerates stale summaries of recently active contacts, a batch at a time,
 * a few at once, until none are left or the run's budget is spent.
 */
export async function refreshStaleSummaries(
  stale: (activeSince: Date, limit: number, after?: number) => Promise<number[]>,
  regenerate: (contactId: number) => Promise<unknown>,
  limits: RefreshLimits,
  signal?: AbortSignal,
): Promise<{ refreshed: number; failed: number; batches: number; budgetLeft: number; /** 1 when stale summaries were left for the next run. */ more: number }> {
  let refreshed = 0;
  let failed = 0;
  let batches = 0;
  let after: number | undefined;
  let more = 0;
  while (!signal?.aborted) {
    const left = limits.budget - refreshed - failed;
    if (left <= 0) {
      more = (await stale(limits.activeSince, 1, after)).length;
      break;
    }
    const ids = await stale(limits.activeSince, Math.min(limits.batchSize, left), after);
    if (!ids.length) break;
    batches++;
    after = ids.at(-1);
    let next = 0;
    const worker = async () => {
      while (next < ids.length && !signal?.aborted) {
        const id = ids[next++]!;
        try {
          await regenerate(id);
          refreshed++;
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limits.concurrency, ids.length) }, worker));
  }
  return { refreshed, failed, batches, budgetLeft: Math.max(0, limits.budget - refreshed - failed), more };
}
