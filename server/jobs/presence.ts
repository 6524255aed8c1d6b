import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Database } from '../db.js';

/**
 * Which instances (processes running jobs) are alive, kept in the lease table: each instance holds
 * a row `instance:<id>@<host>/<pid namespace>/<pid>` that it renews while it runs or schedules jobs
 * and deletes when it stops. An instance is gone when its row has expired, or, for an instance on
 * this machine and in this PID namespace, when its process no longer exists (found at once after a
 * kill -9). Runs and leases of gone instances are what `reconcileOrphans` clears.
 */
const PREFIX = 'instance:';
const HERE = `${hostname()}/${pidNamespace()}`;

function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid').replace(/\D/g, '') || 'unknown';
  } catch {
    return 'unknown';
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function presenceKey(instanceId: string, pid = process.pid): string {
  return `${PREFIX}${instanceId}@${HERE}/${pid}`;
}

/** Presence rows whose instance is alive: current, and (when it can be checked here) its process exists. */
async function livePresence(prisma: Database, now: Date): Promise<{ live: Set<string>; dead: string[] }> {
  const rows = await prisma.jobLease.findMany({ where: { job: { startsWith: PREFIX } } });
  const live = new Set<string>();
  const dead: string[] = [];
  for (const row of rows) {
    const at = row.job.lastIndexOf('/');
    const place = row.job.slice(row.job.indexOf('@') + 1, at);
    const pid = Number(row.job.slice(at + 1));
    const gone = row.expiresAt <= now || (place === HERE && !HERE.endsWith('/unknown') && Number.isInteger(pid) && !processExists(pid));
    if (gone) dead.push(row.job);
    else live.add(row.holder);
  }
  return { live, dead };
}

export interface Reconciled {
  /** RUNNING runs of gone instances, now FAILED. */
  runs: number;
  /** Job leases that had expired or whose holder is gone, now deleted. */
  leases: number;
}

/**
 * Clears what instances that stopped without shutting down (kill -9, a crash, a lost machine) left
 * behind: their RUNNING job runs are marked FAILED and their job leases removed, so the job runs again
 * at its next tick instead of waiting for the lease to expire. Runs and leases of live instances,
 * this one's included, are never touched: runs and leases are read before presence, and an instance
 * writes its presence before it records a run or takes a lease, so one that starts meanwhile is seen
 * alive.
 */
export async function reconcileOrphans(prisma: Database, selfId: string, now = new Date()): Promise<Reconciled> {
  const [running, leases] = await Promise.all([
    prisma.jobRun.findMany({ where: { status: 'RUNNING' }, select: { instance: true }, distinct: ['instance'] }),
    prisma.jobLease.findMany({ where: { NOT: { job: { startsWith: PREFIX } } }, select: { holder: true }, distinct: ['holder'] }),
  ]);
  const { live, dead } = await livePresence(prisma, now);
  live.add(selfId);
  const gone = [...new Set([...running.map((r) => r.instance), ...leases.map((l) => l.holder)])].filter((id) => !live.has(id));
  const failed = gone.length
    ? await prisma.jobRun.updateMany({
        where: { status: 'RUNNING', instance: { in: gone } },
        data: { status: 'FAILED', finishedAt: now, error: 'Interrupted: the process running this job stopped before it finished' },
      })
    : { count: 0 };
  const freed = await prisma.jobLease.deleteMany({
    where: { NOT: { job: { startsWith: PREFIX } }, OR: [{ expiresAt: { lt: now } }, ...(gone.length ? [{ holder: { in: gone } }] : [])] },
  });
  if (dead.length) await prisma.jobLease.deleteMany({ where: { job: { in: dead } } });
  return { runs: failed.count, leases: freed.count };
}

/** Keeps this instance's presence row current while it has jobs to run. */
export class InstancePresence {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;

  constructor(
    private readonly prisma: Database,
    readonly instanceId: string,
    private readonly ttlMs: number,
    private readonly onBeat: () => Promise<void> = async () => {},
  ) {}

  /** Writes the row now (before this instance records a run) and renews it every third of its life. */
  async ensure(): Promise<void> {
    if (!this.timer) {
      this.timer = setInterval(
        () =>
          void this.beat()
            .then(this.onBeat)
            .catch(() => {}),
        this.ttlMs / 3,
      );
      this.timer.unref();
      this.current = this.beat();
    }
    await this.current;
  }

  private async beat(): Promise<void> {
    const job = presenceKey(this.instanceId);
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await this.prisma.jobLease.upsert({ where: { job }, create: { job, holder: this.instanceId, expiresAt }, update: { expiresAt } });
  }

  async stop(): Promise<void> {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.current?.catch(() => {});
    await this.prisma.jobLease.deleteMany({ where: { job: presenceKey(this.instanceId) } }).catch(() => {});
  }
}
