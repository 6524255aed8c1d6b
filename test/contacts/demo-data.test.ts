import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { scoringPlugin } from '../../plugins/scoring/index.js';
import { seedDemoData } from '../../plugins/contacts/demo/demo-data.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';

describe('demo data', () => {
  let t: TestHost;
  let seeded: Awaited<ReturnType<typeof seedDemoData>>;

  beforeAll(async () => {
    t = await bootTestHost({ plugins: [contactsPlugin, scoringPlugin], pluginSettings: { contacts: { demoData: false }, scoring: { debounceMs: 10 } } });
    await t.host.users.create({ email: 'owner@example.test', name: 'Owner', role: 'ADMIN', password: 'correct horse battery staple' });
    seeded = await seedDemoData(t.host.prisma, t.host.services.contacts as ContactsServices, t.host.events);
    await (t.host.services.scoring as { idle(): Promise<void> }).idle();
  }, 120_000);

  afterAll(() => t?.close());

  it('seeds a complete workspace: companies, owned and tagged people, timelines, deals on the timeline', async () => {
    const { prisma } = t.host;
    expect(seeded).toMatchObject({ companies: 25, contacts: 300 });
    expect(await prisma.company.count()).toBe(25);
    expect(await prisma.contact.count()).toBe(300);
    expect(await prisma.contact.count({ where: { ownerId: null } })).toBe(0);
    expect(await prisma.contactTag.count()).toBeGreaterThan(100);
    expect(await prisma.companyTag.count()).toBeGreaterThan(0);
    const deals = await prisma.deal.findMany({ include: { activities: true } });
    expect(deals.length).toBe(seeded.deals);
    expect(deals.length).toBeGreaterThan(50);
    for (const deal of deals) expect(deal.activities.map((a) => a.type)).toEqual(['DEAL_CREATED']);
    expect(await prisma.activity.count()).toBe(seeded.activities);
  });

  it('keeps each contact consistent: searchable by company, last activity the latest on its timeline, scored', async () => {
    const contacts = await t.host.prisma.contact.findMany({ include: { activities: true, company: true } });
    const scored = new Set((await t.host.prisma.contactScore.findMany({ select: { contactId: true } })).map((s) => s.contactId));
    for (const contact of contacts) {
      const latest = Math.max(...contact.activities.map((a) => a.occurredAt.getTime()));
      expect(contact.lastActivityAt?.getTime() ?? -Infinity).toBe(latest);
      if (contact.company) expect(contact.searchText).toContain(contact.company.name.toLowerCase().split(' ')[0]);
      expect(scored.has(contact.id)).toBe(true);
    }
    const list = await (t.host.services.contacts as ContactsServices).list.list({ q: contacts[0]!.lastName!, page: 1, pageSize: 50 } as never);
    expect(list.data.some((c: { id: number }) => c.id === contacts[0]!.id)).toBe(true);
  });

  it('seeding again over the same workspace writes nothing (one transaction)', async () => {
    await expect(seedDemoData(t.host.prisma, t.host.services.contacts as ContactsServices, t.host.events)).rejects.toThrow();
    expect(await t.host.prisma.contact.count()).toBe(300);
    expect(await t.host.prisma.company.count()).toBe(25);
  });
});
