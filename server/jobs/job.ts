import type { Logger } from 'pino';

export type JobCounts = Record<string, number>;

/**
 * What a run returns when it found nothing to do: a scheduled run then leaves no run record, so a
 * job that polls every minute does not fill the run log with empty runs. A run started by hand is
 * always recorded.
 */
export const NOTHING_TO_DO = 'nothing-to-do';

export interface JobContext {
  /** Aborted when the host shuts down and the grace period is over: stop at the next safe point. */
  signal: AbortSignal;
  logger: Logger;
  trigger: 'SCHEDULE' | 'MANUAL';
  /** When the last successful run of this job started: what changed since needs doing. */
  lastSucceededAt: Date | null;
}

/** A cron job contributed by a plugin. Names are `<plugin>.<verb-noun>`. */
export interface JobDefinition {
  name: string;
  /** The name people read ("Resume imports"); by default the part of `name` after the plugin, as words. */
  title?: string;
  /** node-cron expression (5 fields, or 6 with seconds). */
  schedule: string;
  description?: string;
  /** How long another instance must wait before it may assume this run died (default 10 minutes). */
  leaseMs?: number;
  run: (ctx: JobContext) => Promise<JobCounts | typeof NOTHING_TO_DO | void>;
}
