import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { consentPlugin } from '../../plugins/consent/index.js';
import type { ConsentApi } from '../../plugins/consent/public.js';
import { RetentionService } from '../../plugins/consent/retention.service.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`retention on ${kind}`, () => {
    let t: TestHost;
    let admin: supertest.Agent;
    let rep: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({
        plugins: [contactsPlugin, consentPlugin],
        env: database.env,
        pluginSettings: { contacts: { demoData: false }, consent: { retentionMonths: 12 } },
      });
      admin = (await t.signIn('ADMIN')).agent;
      rep = (await t.signIn('REP')).agent;
    });
    afterAll(async () => {
      await t.close();
      await drop?.();
    });

    it('reports the contacts a retention would erase, erases them only once applied, and does not suppress them', async () => {
      const old = await createContact(rep, { email: 'dormant@retention.test' });
      const asking = await createContact(rep, { email: 'asking@retention.test' });
      await createContact(rep, { email: 'active@retention.test' });
      const longAgo = new Date(Date.now() - 2 * 365 * 86_400_000);
      await t.host.prisma.contact.updateMany({
        where: { id: { in: [old.id, asking.id] } },
        data: { createdAt: longAgo, updatedAt: longAgo, lastActivityAt: null },
      });
      await admin.post('/api/v1/dsr').send({ type: 'ACCESS', contactId: asking.id, requester: 'asker', verification: 'id seen' }).expect(201);

      expect((await admin.get('/api/v1/consent/retention')).body).toEqual({ months: 12, wouldErase: 1 });
      expect((await admin.get('/api/v1/consent/retention?months=36')).body).toEqual({ months: 36, wouldErase: 0 });
      expect((await rep.get('/api/v1/consent/retention')).status).toBe(403);
      const dry = await t.host.jobs.runNow('consent.apply-retention');
      expect(dry.counts).toEqual({ dryRun: 1, months: 12, wouldErase: 1 });
      expect(await t.host.prisma.contact.count({ where: { email: { endsWith: '@retention.test' } } })).toBe(3);

      const consent = t.host.services.consent as ConsentApi;
      const applied = new RetentionService(t.host.prisma, consent.erasure, { months: 12, apply: true });
      expect(await applied.run()).toEqual({ months: 12, erased: 1 });
      expect(await t.host.prisma.contact.findUnique({ where: { id: old.id } })).toBeNull();
      expect(await t.host.prisma.erasureCertificate.findFirst({ where: { contactId: old.id } })).toMatchObject({ via: 'retention', suppressed: 0 });
      expect((await rep.post('/api/v1/contacts').send({ email: 'dormant@retention.test' })).status).toBe(201);
    });
  });
}
