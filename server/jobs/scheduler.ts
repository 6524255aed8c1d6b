import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { JobRun } from '@prisma/client';
import type { Logger } from 'pino';
import type { Database } from '../db.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { runWithContext, type Actor } from '../request-context.js';
import { NOTHING_TO_DO, type JobCounts, type JobDefinition } from './job.js';
import { InstancePresence, reconcileOrphans, type Reconciled } from './presence.js';
import { describeSchedule, jobTitle } from './schedule-text.js';

const DEFAULT_LEASE_MS = 10 * 60_000;
/** How long an instance that stopped renewing its presence counts as alive (on another machine). */
const PRESENCE_TTL_MS = 90_000;

export interface JobInfo {
  name: string;
  /** The name people read, e.g. "Resume imports". */
  title: string;
  plugin: string;
  schedule: string;
  /** The schedule in words, e.g. "every day at 03:15" (the expression when it is not a common shape). */
  scheduleText: string;
  description?: string;
  running: boolean;
  lastRun: JobRun | null;
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === 'P2002';
}

/**
 * Runs plugin jobs on their cron schedules. Within a process a job never overlaps itself; across
 * processes on one database each tick is claimed by inserting its JobRun (unique per job and tick),
 * and a lease row keeps a long run from overlapping the next tick on another instance. Runs and
 * leases left by an instance that died are cleared at start and while jobs run (see presence.ts).
 */
export class JobScheduler {
  readonly instanceId = randomUUID();
  private readonly jobs = new Map<string, { job: JobDefinition; plugin: string }>();
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Map<string, Promise<unknown>>();
  /** Every tick and manual run from its first step to its last write: what stop() waits for. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private readonly presence: InstancePresence;
  private stopped = false;

  constructor(
    private readonly prisma: Database,
    private readonly logger: Logger,
    presenceTtlMs = PRESENCE_TTL_MS,
  ) {
    this.presence = new InstancePresence(prisma, this.instanceId, presenceTtlMs, async () => void (await this.reconcile()));
  }

  register(job: JobDefinition, plugin: string): void {
    if (this.jobs.has(job.name)) {
      throw new Error(`Plugin "${plugin}" registers job "${job.name}", already registered by "${this.jobs.get(job.name)!.plugin}"`);
    }
    if (!cron.validate(job.schedule)) {
      throw new Error(`Plugin "${plugin}" job "${job.name}" has an invalid cron schedule "${job.schedule}"`);
    }
    this.jobs.set(job.name, { job, plugin });
  }

  /** Clears what a stopped instance left behind, then schedules every job. */
  async start(): Promise<void> {
    await this.presence.ensure();
    await this.reconcile().catch((err) => this.logger.error({ err }, 'could not reconcile interrupted job runs'));
    if (this.stopped) return;
    for (const { job } of this.jobs.values()) {
      const task = cron.createTask(job.schedule, (ctx) => this.track(this.runTick(job, ctx.date)), { name: job.name, noOverlap: true });
      task.start();
      this.tasks.push(task);
    }
  }

  /** Marks RUNNING runs of instances that are gone as FAILED and frees their leases. */
  async reconcile(): Promise<Reconciled> {
    const reconciled = await reconcileOrphans(this.prisma, this.instanceId);
    if (reconciled.runs || reconciled.leases) this.logger.warn(reconciled, 'cleared job runs and leases of a stopped instance');
    return reconciled;
  }

  async list(): Promise<JobInfo[]> {
    return Promise.all(
      [...this.jobs.values()].map(async ({ job, plugin }) => ({
        name: job.name,
        title: job.title ?? jobTitle(job.name),
        plugin,
        schedule: job.schedule,
        scheduleText: describeSchedule(job.schedule),
        description: job.description,
        running: this.running.has(job.name),
        lastRun: await this.prisma.jobRun.findFirst({ where: { job: job.name }, orderBy: { id: 'desc' } }),
      })),
    );
  }

  /** Runs a job now (admin "Run now", CLI) and resolves with its recorded run. */
  async runNow(name: string, actor?: Actor): Promise<JobRun> {
    const entry = this.jobs.get(name);
    if (!entry) throw new NotFoundError('Job', name);
    if (this.running.has(name)) throw new ConflictError(`Job ${name} is already running`);
    await this.presence.ensure();
    await this.reconcile();
    return this.track(
      (async () => {
        const run = await this.prisma.jobRun.create({
          data: { job: name, trigger: 'MANUAL', instance: this.instanceId, actorId: actor?.userId ?? null },
        });
        return this.execute(entry.job, run);
      })(),
    );
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => {});
    return work;
  }

  private async runTick(job: JobDefinition, scheduledAt: Date): Promise<void> {
    if (this.running.has(job.name) || this.stopped) return;
    const tickAt = new Date(Math.floor(scheduledAt.getTime() / 1000) * 1000);
    let run: JobRun;
    try {
      await this.presence.ensure();
      if (this.stopped) return;
      run = await this.prisma.jobRun.create({
        data: { job: job.name, trigger: 'SCHEDULE', tickAt, instance: this.instanceId },
      });
    } catch (err) {
      if (isUniqueViolation(err)) return; // another instance claimed this tick
      this.logger.error({ err, job: job.name }, 'could not record job run');
      return;
    }
    await this.execute(job, run).catch((err) => this.logger.error({ err, job: job.name }, 'job bookkeeping failed'));
  }

  private async execute(job: JobDefinition, run: JobRun): Promise<JobRun> {
    const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS;
    if (!(await this.acquireLease(job.name, leaseMs))) {
      return this.finish(run, 'SKIPPED', null, 'Another instance is still running this job');
    }
    const renew = setInterval(() => void this.acquireLease(job.name, leaseMs).catch(() => {}), leaseMs / 2);
    renew.unref();
    const logger = this.logger.child({ job: job.name, run: run.id });
    const previous = await this.prisma.jobRun.findFirst({
      where: { job: job.name, status: 'SUCCEEDED', id: { not: run.id } },
      orderBy: { startedAt: 'desc' },
      select: { startedAt: true },
    });
    const work = runWithContext({ via: 'job' }, () =>
      job.run({ signal: this.abort.signal, logger, trigger: run.trigger, lastSucceededAt: previous?.startedAt ?? null }),
    );
    this.running.set(job.name, work);
    try {
      const counts = await work;
      if (counts === NOTHING_TO_DO) {
        logger.debug('job had nothing to do');
        // A scheduled run that found nothing to do leaves no record; one started by hand is kept. The
        // tick is free again once its row is gone: an instance whose timer fired late may check it
        // once more, which costs one idle check.
        if (run.trigger === 'SCHEDULE') {
          await this.prisma.jobRun.deleteMany({ where: { id: run.id } });
          return run;
        }
        return await this.finish(run, 'SUCCEEDED', null, null);
      }
      logger.info({ counts }, 'job finished');
      return await this.finish(run, 'SUCCEEDED', counts ?? null, null);
    } catch (err) {
      logger.error({ err }, 'job failed');
      return await this.finish(run, 'FAILED', null, err instanceof Error ? err.message : String(err));
    } finally {
      clearInterval(renew);
      this.running.delete(job.name);
      await this.prisma.jobLease.deleteMany({ where: { job: job.name, holder: this.instanceId } }).catch(() => {});
    }
  }

  private finish(run: JobRun, status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED', counts: JobCounts | null, error: string | null) {
    return this.prisma.jobRun.update({
      where: { id: run.id },
      data: { status, finishedAt: new Date(), error, ...(counts ? { counts } : {}) },
    });
  }

  private async acquireLease(job: string, leaseMs: number): Promise<boolean> {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + leaseMs);
    const taken = await this.prisma.jobLease.updateMany({
      where: { job, OR: [{ holder: this.instanceId }, { expiresAt: { lt: now } }] },
      data: { holder: this.instanceId, expiresAt },
    });
    if (taken.count === 1) return true;
    try {
      await this.prisma.jobLease.create({ data: { job, holder: this.instanceId, expiresAt } });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Stops scheduling, lets running jobs finish within `timeoutMs`, then signals them to abort. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    await Promise.all(this.tasks.map((task) => task.destroy()));
    this.tasks.length = 0;
    const pending = Promise.allSettled([...this.inFlight]).then(() => true);
    if (await settlesWithin(pending, timeoutMs)) return this.presence.stop();
    this.logger.warn({ jobs: [...this.running.keys()] }, 'jobs still running at shutdown: aborting');
    this.abort.abort();
    // A job that ignores its signal is left behind rather than holding the shutdown forever.
    if (!(await settlesWithin(pending, timeoutMs))) {
      this.logger.error({ jobs: [...this.running.keys()] }, 'jobs ignored the abort signal');
      return; // still running: this instance stays present until the process ends
    }
    await this.presence.stop();
  }
}

async function settlesWithin(promise: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
