import { afterAll, describe, expect, it } from 'vitest';
import { contactsPlugin, type ContactsServices } from '../../../plugins/contacts/index.js';
import { bootTestHost, type TestHost } from '../../helpers/host.js';
import { createTestDatabase, postgresAvailable } from '../../helpers/postgres.js';

// A revert of thousands of rows: no query may bind all their ids at once (SQLite allows 32,766
// bound values, older builds 999; PostgreSQL 65,535).
const ROWS = 5_000;
const UPDATED = 1_200;
const pgAvailable = await postgresAvailable();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function revertsLargeImports(t: TestHost) {
  const services = t.host.services.contacts as ContactsServices;
  const manager = (await t.signIn('MANAGER')).agent;
  const guardCalls: number[][] = [];
  services.extensions.add('revert-test', {
    import: {
      keepOnRevert: async (ids) => {
        guardCalls.push(ids);
        return ids.filter((id) => id % 1_000 === 0);
      },
    },
  });
  const upload = async (csv: string) => {
    const res = await manager.post('/api/v1/imports').attach('file', Buffer.from(csv), 'many.csv');
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  const run = async (id: number) => {
    expect((await manager.post(`/api/v1/imports/${id}/run`).send({})).status).toBe(202);
    return services.imports.waitFor(id);
  };
  const lines = (count: number, name: string) => Array.from({ length: count }, (_, i) => `p${i}@revert.test,${name}${i},Org ${i % 7}`).join('\n');

  const created = await upload(`Email,First Name,Company\n${lines(ROWS, 'First')}\n`);
  expect(await run(created)).toMatchObject({ status: 'COMPLETED', created: ROWS });
  const updates = await upload(`Email,First Name\n${lines(UPDATED, 'Changed').replace(/,Org \d+/g, '')}\n`);
  expect((await manager.patch(`/api/v1/imports/${updates}`).send({ onDuplicate: 'UPDATE' })).status).toBe(200);
  expect(await run(updates)).toMatchObject({ status: 'COMPLETED', updated: UPDATED });
  expect(await t.host.prisma.contact.count({ where: { firstName: { startsWith: 'Changed' } } })).toBe(UPDATED);

  const restored = await manager.post(`/api/v1/imports/${updates}/revert`);
  expect(restored.status).toBe(200);
  expect(restored.body).toEqual({ removed: 0, restored: UPDATED, kept: 0 });
  expect(await t.host.prisma.contact.count({ where: { firstName: { startsWith: 'Changed' } } })).toBe(0);
  const p7 = (await manager.get('/api/v1/contacts?q=p7%40revert.test')).body.data[0];
  expect(p7).toMatchObject({ firstName: 'First7', company: { name: 'Org 0' } });
  expect((await manager.get('/api/v1/contacts?q=first7')).body.data.map((c: { email: string }) => c.email)).toContain('p7@revert.test');
  expect((await manager.get('/api/v1/contacts?q=changed7')).body.data).toEqual([]);

  const ids = (await t.host.prisma.contact.findMany({ where: { importId: created }, select: { id: true } })).map((c) => c.id);
  const keptIds = ids.filter((id) => id % 1_000 === 0).sort((a, b) => a - b);
  const removed = await manager.post(`/api/v1/imports/${created}/revert`);
  expect(removed.status).toBe(200);
  expect(removed.body).toEqual({ removed: ROWS - keptIds.length, restored: 0, kept: keptIds.length });
  expect(
    (await t.host.prisma.contact.findMany({ where: { email: { endsWith: '@revert.test' } }, select: { id: true } })).map((c) => c.id).sort((a, b) => a - b),
  ).toEqual(keptIds);
  expect(Math.max(...guardCalls.map((call) => call.length))).toBeLessThanOrEqual(500);
  expect(guardCalls.flat()).toHaveLength(ROWS);
  expect((await manager.get(`/api/v1/imports/${created}`)).body.status).toBe('REVERTED');
}

describe('revert: imports of thousands of rows', () => {
  it(`reverts an update of ${UPDATED} contacts and an import of ${ROWS} on SQLite`, async () => {
    const t = await bootTestHost({ plugins: [contactsPlugin], pluginSettings: { contacts: { demoData: false } } });
    cleanups.push(() => t.close());
    await revertsLargeImports(t);
  }, 120_000);

  it.runIf(pgAvailable)(
    `reverts an update of ${UPDATED} contacts and an import of ${ROWS} on PostgreSQL`,
    async () => {
      const db = await createTestDatabase();
      cleanups.push(db.drop);
      const t = await bootTestHost({ env: { DATABASE_URL: db.url }, plugins: [contactsPlugin], pluginSettings: { contacts: { demoData: false } } });
      cleanups.push(() => t.close());
      await revertsLargeImports(t);
    },
    300_000,
  );
});
