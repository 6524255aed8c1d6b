import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin } from '../../server/plugin.js';
import { bootTestHost, newTestDir, type TestHost } from '../helpers/host.js';
import { gadgetsPlugin } from '../fixtures/gadgets/index.js';

const open: TestHost[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});
async function boot(...args: Parameters<typeof bootTestHost>): Promise<TestHost> {
  const t = await bootTestHost(...args);
  open.push(t);
  return t;
}

/** A plugin whose job counts its own runs, so two hosts can be compared. */
function tickerPlugin(counter: { runs: number }, durationMs = 0) {
  return definePlugin({
    name: 'ticker',
    setup: () => ({
      jobs: [
        {
          name: 'ticker.count-ticks',
          schedule: '* * * * * *',
          run: async ({ signal }) => {
            counter.runs++;
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, durationMs);
              signal.addEventListener('abort', () => {
                clearTimeout(timer);
                resolve();
              });
            });
            return { aborted: signal.aborted ? 1 : 0 };
          },
        },
      ],
    }),
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scheduled jobs', () => {
  it('runs each tick once with two hosts on one database, and records every run', async () => {
    const dir = newTestDir();
    const a = { runs: 0 };
    const b = { runs: 0 };
    const hostA = await boot({ plugins: [tickerPlugin(a)], dir });
    const hostB = await boot({ plugins: [tickerPlugin(b)], dir });
    hostA.host.jobs.start();
    hostB.host.jobs.start();
    await sleep(4_200);
    await hostA.host.jobs.stop(2_000);
    await hostB.host.jobs.stop(2_000);

    const runs = await hostA.host.prisma.jobRun.findMany({ where: { job: 'ticker.count-ticks' } });
    const ticks = new Set(runs.map((r) => r.tickAt!.toISOString()));
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(ticks.size).toBe(runs.length);
    expect(a.runs + b.runs).toBe(runs.length);
    expect(runs.every((r) => r.status === 'SUCCEEDED' && r.finishedAt && r.trigger === 'SCHEDULE')).toBe(true);
    expect(runs.every((r) => r.tickAt!.getMilliseconds() === 0)).toBe(true);
  });

  it('records a failing job and keeps the host serving', async () => {
    const t = await boot({ plugins: [gadgetsPlugin], pluginSettings: { gadgets: { failReport: true, reportSchedule: '* * * * * *' } } });
    const manual = await t.host.jobs.runNow('gadgets.report-stock');
    expect(manual.status).toBe('FAILED');
    expect(manual.error).toBe('stock report failed on purpose');
    t.host.jobs.start();
    await sleep(1_500);
    await t.host.jobs.stop(1_000);
    const scheduled = await t.host.prisma.jobRun.findMany({ where: { trigger: 'SCHEDULE' } });
    expect(scheduled.length).toBeGreaterThanOrEqual(1);
    expect(scheduled.every((r) => r.status === 'FAILED')).toBe(true);
    expect((await t.request().get('/healthz')).status).toBe(200);
  });

  it('records counts a job returns, and refuses a second run of a job still running', async () => {
    const t = await boot({ plugins: [tickerPlugin({ runs: 0 }, 300)] });
    const first = t.host.jobs.runNow('ticker.count-ticks');
    await sleep(50);
    await expect(t.host.jobs.runNow('ticker.count-ticks')).rejects.toThrow('Job ticker.count-ticks is already running');
    const run = await first;
    expect(run).toMatchObject({ status: 'SUCCEEDED', trigger: 'MANUAL', counts: { aborted: 0 } });
    await expect(t.host.jobs.runNow('nope.missing')).rejects.toThrow('Job nope.missing not found');
  });

  it('skips a run while another instance holds the lease', async () => {
    const dir = newTestDir();
    const hostA = await boot({ plugins: [tickerPlugin({ runs: 0 }, 400)], dir });
    const hostB = await boot({ plugins: [tickerPlugin({ runs: 0 })], dir });
    const long = hostA.host.jobs.runNow('ticker.count-ticks');
    await sleep(100);
    const skipped = await hostB.host.jobs.runNow('ticker.count-ticks');
    expect(skipped.status).toBe('SKIPPED');
    expect((await long).status).toBe('SUCCEEDED');
    expect((await hostB.host.jobs.runNow('ticker.count-ticks')).status).toBe('SUCCEEDED');
  });

  it('lets a running job finish at shutdown, and aborts it once the grace period is over', async () => {
    const patient = await bootTestHost({ plugins: [tickerPlugin({ runs: 0 }, 300)] });
    const finishing = patient.host.jobs.runNow('ticker.count-ticks');
    await sleep(20);
    await patient.close();
    expect(await finishing).toMatchObject({ status: 'SUCCEEDED', counts: { aborted: 0 } });

    const hasty = await bootTestHost({ plugins: [tickerPlugin({ runs: 0 }, 10_000)], env: { SHUTDOWN_TIMEOUT_MS: '100' } });
    const started = Date.now();
    const aborted = hasty.host.jobs.runNow('ticker.count-ticks');
    await sleep(20);
    await hasty.close();
    expect(await aborted).toMatchObject({ status: 'SUCCEEDED', counts: { aborted: 1 } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
