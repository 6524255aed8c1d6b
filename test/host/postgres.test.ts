import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestHost, newTestDir, type TestHost } from '../helpers/host.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';
import { migrate } from '../../server/migrations.js';

const available = await postgresAvailable();

describe.runIf(available)('on PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  let t: TestHost;

  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase());
    t = await bootTestHost({ env: { DATABASE_URL: url } });
  });

  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('applies the migrations once, even when asked again', async () => {
    expect(t.host.db.kind).toBe('postgres');
    expect(t.host.appliedMigrations.length).toBeGreaterThan(0);
    expect(await migrate({ DATABASE_URL: url, databaseKind: 'postgres' })).toEqual([]);
  });

  it('serves the same API: sign-in, validation, CRUD and audit', async () => {
    const { agent, email } = await t.signIn('REP');
    const created = await agent.post('/api/v1/gadgets').send({ name: 'pg gadget', quantity: 2, status: 'ACTIVE' });
    expect(created.status).toBe(201);
    expect((await agent.patch(`/api/v1/gadgets/${created.body.id}`).send({ quantity: 9 })).body.quantity).toBe(9);
    expect((await agent.get('/api/v1/gadgets?status=ACTIVE')).body.data.map((g: { name: string }) => g.name)).toContain('pg gadget');
    expect((await agent.post('/api/v1/gadgets').send({ name: 'x', extra: 1 })).status).toBe(400);
    const audit = await t.host.prisma.auditLog.findMany({ where: { entity: 'Gadget', actor: { email } } });
    expect(audit.map((a) => a.action).sort()).toEqual(['CREATE', 'UPDATE']);
  });

  it('locks out after repeated failures and records job runs', async () => {
    await t.host.users.create({ email: 'pg-lock@example.test', name: 'L', role: 'REP', password: 'a long enough password' });
    for (let i = 0; i < 5; i++) await t.host.users.login('pg-lock@example.test', 'wrong');
    expect((await t.host.users.login('pg-lock@example.test', 'a long enough password')).ok).toBe(false);
    const run = await t.host.jobs.runNow('gadgets.report-stock');
    expect(run).toMatchObject({ status: 'SUCCEEDED', counts: { gadgets: 1, lowStock: 0 } });
  });

  it('claims each tick once across two hosts', async () => {
    const other = await bootTestHost({ env: { DATABASE_URL: url }, dir: newTestDir(), pluginSettings: { gadgets: { reportSchedule: '* * * * * *' } } });
    const again = await bootTestHost({ env: { DATABASE_URL: url }, dir: newTestDir(), pluginSettings: { gadgets: { reportSchedule: '* * * * * *' } } });
    try {
      other.host.jobs.start();
      again.host.jobs.start();
      await new Promise((r) => setTimeout(r, 2_600));
    } finally {
      await other.close();
      await again.close();
    }
    const runs = await t.host.prisma.jobRun.findMany({ where: { trigger: 'SCHEDULE' } });
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(runs.map((r) => r.tickAt!.toISOString())).size).toBe(runs.length);
  });
});
