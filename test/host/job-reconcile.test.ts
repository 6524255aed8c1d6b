import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { presenceKey } from '../../server/jobs/presence.js';
import { bootTestHost, newTestDir, type TestHost } from '../helpers/host.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';

const postgres = await postgresAvailable();

const open: TestHost[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

/** A process id that no longer exists: a child that has already exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('reconciling job runs and leases left by stopped instances', () => {
  it.each([
    ['SQLite', false],
    ['PostgreSQL', true],
  ])('fails the runs and frees the leases of gone instances only, keeping those of live ones (%s)', async (_name, onPostgres) => {
    if (onPostgres && !postgres) return;
    const database = onPostgres ? await createTestDatabase() : undefined;
    const t = await bootTestHost({ plugins: [], dir: newTestDir(), env: database ? { DATABASE_URL: database.url } : {} });
    onTestFinished(async () => {
      await t.close();
      await database?.drop();
    });
    const { prisma, jobs } = t.host;
    const run = (job: string, instance: string) => prisma.jobRun.create({ data: { job, trigger: 'SCHEDULE', tickAt: new Date(), instance } });

    // killed: its process on this machine is gone (kill -9), though its presence row has not expired.
    await prisma.jobLease.create({ data: { job: presenceKey('killed', deadPid()), holder: 'killed', expiresAt: minutes(1) } });
    // remote: alive on another machine (its presence is current; its process cannot be checked from here).
    await prisma.jobLease.create({ data: { job: 'instance:remote@elsewhere/4026531836/1', holder: 'remote', expiresAt: minutes(1) } });
    // silent: stopped renewing its presence long ago.
    await prisma.jobLease.create({ data: { job: 'instance:silent@elsewhere/4026531836/2', holder: 'silent', expiresAt: minutes(-5) } });
    // legacy: wrote no presence at all.
    const runs = {
      killed: await run('a.job', 'killed'),
      remote: await run('b.job', 'remote'),
      silent: await run('c.job', 'silent'),
      legacy: await run('d.job', 'legacy'),
    };
    await prisma.jobLease.createMany({
      data: [
        { job: 'a.job', holder: 'killed', expiresAt: minutes(10) },
        { job: 'b.job', holder: 'remote', expiresAt: minutes(10) },
        { job: 'c.job', holder: 'silent', expiresAt: minutes(10) },
        { job: 'd.job', holder: 'legacy', expiresAt: minutes(10) },
        { job: 'e.job', holder: 'remote', expiresAt: minutes(-1) },
      ],
    });

    expect(await jobs.reconcile()).toEqual({ runs: 3, leases: 4 });

    const status = async (id: number) => (await prisma.jobRun.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(runs.killed.id)).toBe('FAILED');
    expect(await status(runs.silent.id)).toBe('FAILED');
    expect(await status(runs.legacy.id)).toBe('FAILED');
    expect(await status(runs.remote.id)).toBe('RUNNING');
    const failed = await prisma.jobRun.findUniqueOrThrow({ where: { id: runs.killed.id } });
    expect(failed.error).toMatch(/^Interrupted/);
    expect(failed.finishedAt).not.toBeNull();

    const leases = await prisma.jobLease.findMany({ orderBy: { job: 'asc' } });
    expect(leases.map((l) => l.job)).toEqual(['b.job', 'instance:remote@elsewhere/4026531836/1']);
    // Nothing is left to do the second time.
    expect(await jobs.reconcile()).toEqual({ runs: 0, leases: 0 });
  });

  it('never touches a run of another live instance on the same database', async () => {
    const dir = newTestDir();
    const a = await bootTestHost({
      dir,
      plugins: [
        {
          name: 'slow',
          setup: () => ({ jobs: [{ name: 'slow.wait', schedule: '0 0 1 1 *', run: () => new Promise((r) => setTimeout(() => r({ waited: 1 }), 800)) }] }),
        },
      ],
    });
    const b = await bootTestHost({ dir, plugins: [] });
    open.push(a, b);
    const running = a.host.jobs.runNow('slow.wait');
    await new Promise((r) => setTimeout(r, 200));
    expect(await b.host.jobs.reconcile()).toEqual({ runs: 0, leases: 0 });
    expect(await running).toMatchObject({ status: 'SUCCEEDED' });
  });
});
