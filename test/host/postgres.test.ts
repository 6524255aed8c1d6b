import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestHost, newTestDir, type TestHost } from '../helpers/host.js';
import { migrate } from '../../server/migrations.js';

const explicitUrl = process.env.TEST_POSTGRES_URL;
const adminUrl = explicitUrl ?? 'postgres://crm:crm@127.0.0.1:5432/postgres';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch (err) {
    // When CI says where PostgreSQL is, it must be there.
    if (explicitUrl) throw err;
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const available = await reachable();
if (!available) console.warn('PostgreSQL not reachable: skipping PostgreSQL tests (see scripts/start-test-postgres.sh)');

describe.runIf(available)('on PostgreSQL', () => {
  const database = `crm_test_${randomBytes(4).toString('hex')}`;
  const url = adminUrl.replace(/\/[^/]*$/, `/${database}`);
  let t: TestHost;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    t = await bootTestHost({ env: { DATABASE_URL: url } });
  });

  afterAll(async () => {
    await t?.close();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
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
