import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { shippedPlugins } from '../../plugins/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

/** More rows than any database binds as separate variables in one statement. */
const COUNT = 5_000;
const available = await postgresAvailable();

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`a merge of a duplicate with ${COUNT.toLocaleString('en')} activities and notes on ${kind}`, () => {
    let t: TestHost;
    let manager: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      const env = database.env;
      drop = database.drop;
      t = await bootTestHost({ plugins: shippedPlugins, env, pluginSettings: { contacts: { demoData: false } } });
      manager = (await t.signIn('MANAGER')).agent;
    });
    afterAll(async () => {
      await t.close();
      await drop?.();
    });

    it('moves every row to the primary, and an undo moves every row back', async () => {
      const primary = await createContact(manager, { email: 'keep@many.test', firstName: 'Kim', lastName: 'Keeper' });
      const duplicate = await createContact(manager, { email: 'kim.keeper@many.test', firstName: 'Kim', lastName: 'Keeper' });
      const at = new Date('2026-01-01T00:00:00Z');
      for (let i = 0; i < COUNT; i += 500) {
        const size = Math.min(500, COUNT - i);
        await t.host.prisma.activity.createMany({
          data: Array.from({ length: size }, (_, j) => ({ contactId: duplicate.id, type: 'CALL' as const, subject: `call ${i + j}`, occurredAt: at })),
        });
        await t.host.prisma.note.createMany({ data: Array.from({ length: size }, (_, j) => ({ contactId: duplicate.id, body: `note ${i + j}` })) });
      }

      const merged = await manager.post(`/api/v1/contacts/${primary.id}/merge`).send({ duplicateId: duplicate.id });
      expect(merged.status).toBe(201);
      expect(await t.host.prisma.activity.count({ where: { contactId: primary.id, type: 'CALL' } })).toBe(COUNT);
      expect(await t.host.prisma.note.count({ where: { contactId: primary.id } })).toBe(COUNT);

      const undone = await manager.post(`/api/v1/merges/${merged.body.id}/undo`);
      expect(undone.status).toBe(200);
      expect(await t.host.prisma.activity.count({ where: { contactId: duplicate.id, type: 'CALL' } })).toBe(COUNT);
      expect(await t.host.prisma.note.count({ where: { contactId: duplicate.id } })).toBe(COUNT);
      expect(await t.host.prisma.activity.count({ where: { contactId: primary.id, type: 'CALL' } })).toBe(0);
    }, 180_000);
  });
}
