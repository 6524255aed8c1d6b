import type { FollowUp, Prisma } from '@prisma/client';
import type { Logger } from 'pino';
import type { Database } from './db.js';
import type { EventMap, EventName } from './events.js';
import type { JobCounts } from './jobs/job.js';

/** Reports how far a follow-up has got (shown with the import, say, while it runs). */
export type Progress = (done: number, total: number) => void;
export type FollowUpHandler<E extends EventName> = (payload: EventMap[E], progress: Progress) => Promise<JobCounts | void>;
export type FollowUpHandlers = { [E in EventName]?: FollowUpHandler<E> };

/** A follow-up as the import's page and the CLI show it. */
export interface FollowUpView {
  plugin: string;
  status: FollowUp['status'];
  done: number;
  total: number;
  counts: unknown;
  error: string | null;
  /** Seconds since the work was asked for, until it finished (or until now). */
  lagSeconds: number;
}

const LEASE_MS = 60_000;
/** How often a running follow-up saves its progress and renews its lease. */
const SAVE_MS = 2_000;
const MAX_ATTEMPTS = 3;

/**
 * Durable downstream work. Plugins register follow-up handlers for an event; whoever emits it calls
 * `record`, which writes one row per handler (once per key), then `start` once its own writes are
 * done. Each row is claimed
 * with a lease that is renewed while it runs, so a crash leaves it to be resumed by the next start
 * (or by another instance once the lease runs out), and its progress and lag can be read meanwhile.
 */
export class FollowUps {
  private readonly handlers = new Map<string, { plugin: string; handler: FollowUpHandler<never> }[]>();
  private readonly running = new Set<Promise<void>>();
  /** When recorded work starts here: at once (a server), when the host stops (the CLI, after its output), or never (detached). */
  private mode: 'now' | 'at-stop' | 'never' = 'now';
  private readonly held = new Set<string>();
  private stopped = false;

  constructor(
    private readonly prisma: Database,
    private readonly logger: Logger,
    private readonly instanceId: string,
  ) {}

  register<E extends EventName>(event: E, plugin: string, handler: FollowUpHandler<E>): void {
    const list = this.handlers.get(event) ?? [];
    list.push({ plugin, handler: handler as FollowUpHandler<never> });
    this.handlers.set(event, list);
  }

  /** Leaves the work recorded from now on to a server (the CLI's `--detach`): nothing starts here. */
  defer(): void {
    this.mode = 'never';
  }

  /** Holds the work recorded from now on until the host stops: the CLI prints its result first. */
  holdUntilStop(): void {
    this.mode = 'at-stop';
  }

  /**
   * Records the work each handler of the event owes for this key (once). It starts here with `start`
   * (call it once the caller's own writes are done: the work competes for the database), or on
   * `resume` after a crash.
   */
  async record<E extends EventName>(event: E, key: string, payload: EventMap[E]): Promise<void> {
    const list = this.handlers.get(event) ?? [];
    if (!list.length) return;
    const existing = new Set((await this.prisma.followUp.findMany({ where: { key }, select: { plugin: true } })).map((row) => row.plugin));
    const fresh = list.filter(({ plugin }) => !existing.has(plugin));
    if (fresh.length) {
      await this.prisma.followUp.createMany({
        data: fresh.map(({ plugin }) => ({ event, key, plugin, payload: payload as Prisma.InputJsonValue })),
      });
    }
  }

  /** Starts the work recorded for this key (or holds it, or leaves it to a server: `holdUntilStop`, `defer`). */
  start(key: string): void {
    if (this.mode === 'now') this.startOwed({ key });
    else if (this.mode === 'at-stop') this.held.add(key);
  }

  /** Starts what is owed and unclaimed: pending, failed with attempts left, or running under an expired lease. */
  resume(): void {
    this.startOwed({});
  }

  async of(key: string): Promise<FollowUpView[]> {
    const rows = await this.prisma.followUp.findMany({ where: { key }, orderBy: { id: 'asc' } });
    const now = Date.now();
    return rows.map((row) => ({
      plugin: row.plugin,
      status: row.status,
      done: row.done,
      total: row.total,
      counts: row.counts,
      error: row.error,
      lagSeconds: Math.round(((row.finishedAt?.getTime() ?? now) - row.createdAt.getTime()) / 100) / 10,
    }));
  }

  /** Resolves when every follow-up started here has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all(this.running);
  }

  /** Runs held work to its end, then lets running work finish its current follow-up and starts no more. */
  async stop(): Promise<void> {
    for (const key of this.held) this.startOwed({ key });
    this.held.clear();
    await this.idle();
    this.stopped = true;
    await this.idle();
  }

  private startOwed(where: Prisma.FollowUpWhereInput): void {
    const run = this.runOwed(where).catch((err) => this.logger.error({ err }, 'follow-up work failed to start'));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  private async runOwed(where: Prisma.FollowUpWhereInput): Promise<void> {
    const now = new Date();
    const owed = await this.prisma.followUp.findMany({
      where: {
        ...where,
        plugin: { in: [...new Set([...this.handlers.values()].flat().map((h) => h.plugin))] },
        OR: [{ status: 'PENDING' }, { status: 'FAILED', attempts: { lt: MAX_ATTEMPTS } }, { status: 'RUNNING', leaseUntil: { lt: now } }],
      },
      orderBy: { id: 'asc' },
    });
    // Each plugin's follow-ups run in order; different plugins' run side by side.
    const byPlugin = new Map<string, FollowUp[]>();
    for (const row of owed) {
      const rows = byPlugin.get(row.plugin) ?? [];
      rows.push(row);
      byPlugin.set(row.plugin, rows);
    }
    await Promise.all(
      [...byPlugin.values()].map(async (rows) => {
        for (const row of rows) if (!this.stopped) await this.runOne(row);
      }),
    );
  }

  private async runOne(row: FollowUp): Promise<void> {
    const handler = this.handlers.get(row.event)?.find((h) => h.plugin === row.plugin)?.handler;
    if (!handler) return;
    const claimed = await this.prisma.followUp.updateMany({
      where: { id: row.id, status: row.status, attempts: row.attempts },
      data: { status: 'RUNNING', holder: this.instanceId, leaseUntil: new Date(Date.now() + LEASE_MS), attempts: { increment: 1 }, startedAt: new Date() },
    });
    if (!claimed.count) return;
    let progress = { done: 0, total: 0 };
    let saving: Promise<unknown> = Promise.resolve();
    const renew = setInterval(() => {
      saving = this.prisma.followUp
        .updateMany({ where: { id: row.id, holder: this.instanceId }, data: { ...progress, leaseUntil: new Date(Date.now() + LEASE_MS) } })
        .catch((err) => this.logger.warn({ err, followUp: row.id }, 'could not renew a follow-up lease'));
    }, SAVE_MS);
    const started = Date.now();
    let outcome: Prisma.FollowUpUpdateManyMutationInput;
    try {
      const counts = await handler(row.payload as never, (done, total) => void (progress = { done, total }));
      this.logger.info({ plugin: row.plugin, event: row.event, key: row.key, ms: Date.now() - started, ...counts }, 'follow-up done');
      outcome = { status: 'DONE', counts: (counts ?? {}) as Prisma.InputJsonValue, done: progress.total || progress.done, total: progress.total, error: null };
    } catch (err) {
      this.logger.error({ err, plugin: row.plugin, event: row.event, key: row.key }, 'follow-up failed');
      outcome = { status: 'FAILED', error: (err as Error).message.slice(0, 2000) };
    } finally {
      clearInterval(renew);
      await saving;
    }
    await this.prisma.followUp.updateMany({
      where: { id: row.id, holder: this.instanceId },
      data: { ...outcome, holder: null, leaseUntil: null, finishedAt: new Date() },
    });
  }
}
