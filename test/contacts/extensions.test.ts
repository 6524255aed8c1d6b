import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { dedupPlugin } from '../../plugins/dedup/index.js';
import { loyaltyPlugin } from '../fixtures/loyalty/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`the contacts extension object, through the loyalty fixture plugin, on ${kind}`, () => {
    let t: TestHost;
    let manager: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;
    const contacts = () => t.host.services.contacts as ContactsServices;
    const card = (contactId: number) => t.host.prisma.loyaltyCard.findUnique({ where: { contactId } });

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({ plugins: [contactsPlugin, dedupPlugin, loyaltyPlugin], env: database.env, pluginSettings: { contacts: { demoData: false } } });
      manager = (await t.signIn('MANAGER')).agent;
    });
    afterAll(async () => {
      await t.close();
      await drop?.();
    });

    it('adds to the create answer, the list (filter, sort, columns) and the timeline types', async () => {
      const created = await manager.post('/api/v1/contacts').send({ email: 'gold@loyal.test', firstName: 'Gil', lastName: 'Gold' });
      expect(created.status).toBe(201);
      expect(created.body.loyalty).toMatchObject({ points: 0, tier: 'BRONZE' });
      const silver = await createContact(manager, { email: 'silver@loyal.test', firstName: 'Sam', lastName: 'Silver' });
      await manager.post(`/api/v1/contacts/${created.body.id}/loyalty`).send({ points: 1500 });
      await manager.post(`/api/v1/contacts/${silver.id}/loyalty`).send({ points: 150 });

      const gold = (await manager.get('/api/v1/contacts?tier=gold')).body;
      expect(gold.data.map((c: { email: string }) => c.email)).toEqual(['gold@loyal.test']);
      expect(gold.data[0]).toMatchObject({ points: 1500, tier: 'GOLD' });
      const byPoints = (await manager.get('/api/v1/contacts?sort=points')).body.data.map((c: { email: string }) => c.email);
      expect(byPoints).toEqual(['silver@loyal.test', 'gold@loyal.test']);
      expect((await manager.get('/api/v1/contacts?tier=platinum')).status).toBe(400);
      const fields = (await manager.get('/api/v1/contacts/list-fields')).body;
      expect(fields.filters).toContainEqual({ key: 'tier', label: 'Loyalty tier' });
      expect(fields.sorts).toContainEqual({ key: 'points', label: 'Loyalty points' });

      const types = (await manager.get('/api/v1/contacts/timeline-types')).body;
      expect(types).toContainEqual({ type: 'DEAL_WON', label: 'Deal won (loyalty points)', icon: 'Award', plugin: 'loyalty' });
      expect(types).toContainEqual({ type: 'MERGED', label: 'Merged', icon: 'GitMerge', plugin: 'dedup' });
      expect(types).toContainEqual({ type: 'CALL', label: 'Call', icon: null, plugin: null });
      expect(contacts().extensions.panels).toContainEqual({ plugin: 'loyalty', component: 'LoyaltyBadge', placement: 'hero' });
    });

    it('lets a merge move the plugin’s rows in the same transaction, and an undo move them back', async () => {
      const a = await createContact(manager, { email: 'merge.a@loyal.test', firstName: 'Mia', lastName: 'Merger' });
      const b = await createContact(manager, { email: 'merge.b@loyal.test', firstName: 'Mia', lastName: 'Merger' });
      await manager.post(`/api/v1/contacts/${a.id}/loyalty`).send({ points: 60 });
      await manager.post(`/api/v1/contacts/${b.id}/loyalty`).send({ points: 70 });
      const merged = await manager.post(`/api/v1/contacts/${a.id}/merge`).send({ duplicateId: b.id });
      expect(merged.status).toBe(201);
      expect(await card(a.id)).toMatchObject({ points: 130, tier: 'SILVER' });
      expect(await card(b.id)).toBeNull();
      expect((await manager.post(`/api/v1/merges/${merged.body.id}/undo`)).status).toBe(200);
      expect(await card(a.id)).toMatchObject({ points: 60, tier: 'BRONZE' });
      expect(await card(b.id)).toMatchObject({ points: 70 });
    });

    it('gives imported rows the plugin’s defaults where the file leaves the field blank', async () => {
      const csv = 'Email,First Name,Lead Source\nimported.a@loyal.test,Ida,\nimported.b@loyal.test,Ivo,Trade show\n';
      const up = await manager.post('/api/v1/imports').attach('file', Buffer.from(csv), 'loyal.csv');
      await manager.post(`/api/v1/imports/${up.body.id}/run`).send({});
      expect(await contacts().imports.waitFor(up.body.id)).toMatchObject({ created: 2 });
      const sources = await t.host.prisma.contact.findMany({
        where: { email: { endsWith: '@loyal.test', startsWith: 'imported.' } },
        orderBy: { email: 'asc' },
        select: { leadSource: true },
      });
      expect(sources.map((c) => c.leadSource)).toEqual(['Loyalty programme', 'Trade show']);
    });

    it('asks every gate whether contacts may be contacted, per channel and purpose', async () => {
      const member = await createContact(manager, { email: 'gate.member@loyal.test', firstName: 'Gus', lastName: 'Gate' });
      const other = await createContact(manager, { email: 'gate.other@loyal.test', firstName: 'Gia', lastName: 'Gate' });
      await manager.post(`/api/v1/contacts/${member.id}/loyalty`).send({ points: 3 });

      const sms = await contacts().gate.check([member.id, other.id], 'SMS', 'MARKETING');
      expect(sms.get(member.id)).toEqual({ allowed: true });
      expect(sms.get(other.id)).toEqual({ allowed: false, reason: 'NO_POINTS' });
      expect(await contacts().gate.canContact(other.id, 'EMAIL', 'MARKETING')).toEqual({ allowed: true });
    });

    it('collects and erases what every plugin holds on a contact', async () => {
      const p = await createContact(manager, { email: 'erase.me@loyal.test', firstName: 'Eve', lastName: 'Erase', phone: '+1 212 555 0199' });
      await createContact(manager, { email: 'eve.erase@other.test', firstName: 'Eve', lastName: 'Erase', phone: '+1 212 555 0199' });
      await manager.post(`/api/v1/contacts/${p.id}/loyalty`).send({ points: 5 });
      await manager.post(`/api/v1/contacts/${p.id}/notes`).send({ body: 'Asked about the gold tier' });
      await (t.host.services.dedup as { idle: () => Promise<void> }).idle();

      const data = await contacts().privacy.collect(p.id);
      expect(data.contact).toMatchObject({ email: 'erase.me@loyal.test' });
      expect(data.notes).toHaveLength(1);
      expect(data.plugins.loyalty).toMatchObject({ loyaltyCard: { points: 5 } });
      expect((data.plugins.dedup as { duplicateCandidates: unknown[] }).duplicateCandidates).toHaveLength(1);

      const erased = await contacts().privacy.erase(p.id);
      expect(erased.removed).toMatchObject({ loyalty: 1, dedup: 1 });
      expect(await t.host.prisma.contact.findUnique({ where: { id: p.id } })).toBeNull();
      expect(await card(p.id)).toBeNull();
      expect(await t.host.prisma.note.count({ where: { contactId: p.id } })).toBe(0);
      expect(await t.host.prisma.duplicateCandidate.count({ where: { OR: [{ contactAId: p.id }, { contactBId: p.id }] } })).toBe(0);
    });
  });
}
