import { faker } from '@faker-js/faker/locale/en';
import type { ActivityType, Prisma } from '@prisma/client';
import type { z } from 'zod';
import type { Database } from '../../../server/db.js';
import type { EventBus } from '../../../server/events.js';
import { ValidationError } from '../../../server/errors.js';
import type { ContactsServices } from '../index.js';
import { companyInput, type CompanyInput } from '../people/company.service.js';
import { contactCreateInput, type ContactCreateInput } from '../people/contact.schemas.js';
import { searchTextOf, sortNameOf } from '../people/normalize.js';
import { dealInput, type DealInput } from '../timeline/deal.service.js';

const INDUSTRIES = ['Software', 'Manufacturing', 'Retail', 'Healthcare', 'Logistics', 'Finance', 'Education', 'Media'];
const SOURCES = ['Website', 'Referral', 'Trade fair', 'LinkedIn', 'Webinar', 'Cold outreach', 'Partner'];
const TAGS = ['vip', 'newsletter', 'event-2026', 'partner', 'churn-risk', 'decision-maker'];
const STAGES = ['New', 'Discovery', 'Proposal', 'Negotiation'];
const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'NL', 'SE'];
const ENGAGEMENT: ActivityType[] = [
  'EMAIL_SENT',
  'EMAIL_RECEIVED',
  'EMAIL_OPENED',
  'EMAIL_CLICKED',
  'CALL',
  'MEETING',
  'PAGE_VISITED',
  'FORM_SUBMITTED',
  'NOTE',
];
/** The activity types that count as reaching out (as the timeline's own log counts them). */
const OUTREACH = new Set<ActivityType>(['EMAIL_SENT', 'CALL', 'MEETING']);
const DAY = 86_400_000;

type DemoActivity = Omit<Prisma.ActivityCreateManyInput, 'contactId'>;
interface DemoPerson {
  contact: ContactCreateInput & { email: string };
  company?: number;
  activities: DemoActivity[];
  deal?: Omit<DealInput, 'contactId' | 'companyId'>;
}

/** The demo workspace as data: companies, and people with their timelines and deals. Same seed, same data. */
export function demoWorkspace(size: { companies: number; contacts: number }, ownerIds: number[], now: number) {
  faker.seed(2026);
  const companies: CompanyInput[] = [];
  for (let i = 0; i < size.companies; i++) {
    const name = faker.company.name();
    const slug = faker.helpers
      .slugify(name)
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '')
      .slice(0, 30);
    companies.push({
      name,
      domain: `${slug || 'company'}-${i}.example.com`,
      industry: faker.helpers.arrayElement(INDUSTRIES),
      size: faker.helpers.arrayElement(['1-10', '11-50', '51-200', '201-1000', '1000+']),
      city: faker.location.city(),
      country: faker.helpers.arrayElement(COUNTRIES),
      tags: faker.helpers.arrayElements(TAGS, { min: 0, max: 2 }),
    });
  }
  const people: DemoPerson[] = [];
  for (let i = 0; i < size.contacts; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const company = faker.helpers.maybe(() => faker.number.int({ min: 0, max: companies.length - 1 }), { probability: 0.85 });
    const stage = faker.helpers.weightedArrayElement([
      { weight: 3, value: 'NEW' as const },
      { weight: 3, value: 'ENGAGED' as const },
      { weight: 2, value: 'QUALIFIED' as const },
      { weight: 2, value: 'CUSTOMER' as const },
      { weight: 1, value: 'INACTIVE' as const },
    ]);
    const contact = {
      email: faker.internet
        .email({ firstName, lastName, provider: company === undefined ? undefined : companies[company]!.domain! })
        .toLowerCase()
        .replace('@', `.${i}@`),
      firstName,
      lastName,
      phone: faker.helpers.maybe(() => faker.phone.number({ style: 'international' }), { probability: 0.7 }),
      jobTitle: faker.person.jobTitle(),
      department: faker.person.jobArea(),
      type: stage === 'CUSTOMER' ? ('CUSTOMER' as const) : faker.helpers.arrayElement(['LEAD', 'PROSPECT', 'LEAD', 'PARTNER'] as const),
      lifecycleStage: stage,
      buyingRole: faker.helpers.maybe(() => faker.helpers.arrayElement(['DECISION_MAKER', 'INFLUENCER', 'CHAMPION', 'END_USER'] as const)),
      intentLevel: faker.helpers.maybe(() => faker.helpers.arrayElement(['HIGH', 'MEDIUM', 'LOW'] as const)),
      leadSource: faker.helpers.arrayElement(SOURCES),
      ownerId: ownerIds.length ? faker.helpers.arrayElement(ownerIds) : undefined,
      city: faker.location.city(),
      country: faker.helpers.arrayElement(COUNTRIES),
      timezone: faker.helpers.arrayElement(['Europe/Berlin', 'America/New_York', 'Europe/London', 'America/Los_Angeles']),
      tags: faker.helpers.arrayElements(TAGS, { min: 0, max: 3 }),
    };
    const activities: DemoActivity[] = [];
    for (let a = faker.number.int({ min: 0, max: 12 }); a > 0; a--) {
      const type = faker.helpers.arrayElement(ENGAGEMENT);
      activities.push({
        type,
        occurredAt: new Date(now - faker.number.int({ min: 1, max: 240 }) * DAY),
        subject: faker.lorem.sentence({ min: 3, max: 7 }),
        body: type === 'NOTE' ? faker.lorem.paragraph() : null,
      });
    }
    const deal =
      stage === 'QUALIFIED' || stage === 'CUSTOMER'
        ? {
            title: `${company === undefined ? lastName : companies[company]!.name} – ${faker.commerce.productName()}`,
            stage: faker.helpers.arrayElement(STAGES),
            value: faker.number.int({ min: 20, max: 900 }) * 100,
            currency: 'EUR',
            status: stage === 'CUSTOMER' ? ('WON' as const) : ('OPEN' as const),
            expectedCloseDate: new Date(now + faker.number.int({ min: 5, max: 120 }) * DAY),
          }
        : undefined;
    people.push({ contact, company, activities, deal });
  }
  return { companies, people };
}

function parsed<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationError.fromZod(result.error);
  return result.data;
}

const latest = (dates: Date[]) => (dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null);

/**
 * Seeds realistic demo companies, people, timelines and deals in one transaction (set-based: a few
 * statements for the whole workspace), then announces the new contacts, so duplicate checks,
 * scores and the rest see them complete.
 */
export async function seedDemoData(prisma: Database, s: ContactsServices, events: EventBus, size = { companies: 25, contacts: 300 }) {
  const owners = await prisma.user.findMany({ where: { active: true }, select: { id: true }, orderBy: { id: 'asc' } });
  const now = Date.now();
  const { companies, people } = demoWorkspace(
    size,
    owners.map((o) => o.id),
    now,
  );
  const companyRows = companies.map((c) => parsed(companyInput, c));
  const contactRows = people.map((p) => parsed(contactCreateInput, p.contact));

  const result = await prisma.$transaction(
    async (tx) => {
      for (const name of TAGS) await tx.tag.upsert({ where: { name }, create: { name }, update: {} });
      const tagIds = new Map((await tx.tag.findMany({ where: { name: { in: TAGS } }, select: { id: true, name: true } })).map((t) => [t.name, t.id]));
      const createdCompanies = await tx.company.createManyAndReturn({
        data: companyRows.map(({ tags: _tags, ...c }) => c),
        select: { id: true, domain: true },
      });
      const companyIds = companyRows.map((c) => createdCompanies.find((row) => row.domain === c.domain)!.id);
      const companyOf = (p: DemoPerson) => (p.company === undefined ? null : companyIds[p.company]!);
      await tx.companyTag.createMany({
        data: companyRows.flatMap((c, i) => (c.tags ?? []).map((tag) => ({ companyId: companyIds[i]!, tagId: tagIds.get(tag)! }))),
      });

      const createdContacts = await tx.contact.createManyAndReturn({
        data: contactRows.map((data, i) => {
          const person = people[i]!;
          return {
            ...s.contacts.columns({ ...data, companyId: companyOf(person) }),
            searchText: searchTextOf(
              [data.firstName, data.lastName, data.email, person.company === undefined ? null : companyRows[person.company]!.name],
              [data.phone, data.mobile],
            ),
            sortName: sortNameOf(data.firstName, data.lastName, data.email),
            // A deal is created now, and joins the timeline with it.
            lastActivityAt: person.deal ? new Date(now) : latest(person.activities.map((a) => a.occurredAt as Date)),
            lastContactedAt: latest(person.activities.filter((a) => OUTREACH.has(a.type)).map((a) => a.occurredAt as Date)),
          };
        }),
        select: { id: true, email: true },
      });
      const byEmail = new Map(createdContacts.map((c) => [c.email, c.id]));
      const contactIds = contactRows.map((c) => byEmail.get(c.email)!);
      await tx.contactTag.createMany({
        data: contactRows.flatMap((c, i) => (c.tags ?? []).map((tag) => ({ contactId: contactIds[i]!, tagId: tagIds.get(tag)! }))),
      });
      const deals = people.flatMap((p, i) => (p.deal ? [{ ...parsed(dealInput, p.deal), contactId: contactIds[i]!, companyId: companyOf(p) }] : []));
      const createdDeals = await tx.deal.createManyAndReturn({
        data: deals.map(({ value, ...deal }) => ({ ...deal, valueCents: Math.round((value ?? 0) * 100) })),
        select: { id: true, contactId: true, title: true, stage: true, valueCents: true, currency: true },
      });
      // Each deal on its contact's timeline, as a deal created in the admin is.
      const dealActivities = createdDeals.map((deal) => ({
        contactId: deal.contactId!,
        type: 'DEAL_CREATED' as const,
        subject: deal.title,
        dealId: deal.id,
        metadata: { stage: deal.stage, value: deal.valueCents / 100, currency: deal.currency },
        occurredAt: new Date(now),
      }));
      const activities = [...people.flatMap((p, i) => p.activities.map((a) => ({ ...a, contactId: contactIds[i]! }))), ...dealActivities];
      await tx.activity.createMany({ data: activities });
      return { companies: companyIds.length, contacts: contactIds, activities: activities.length, deals: createdDeals.length };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  for (const contactId of result.contacts) await events.emit('contact.created', { contactId, source: 'system' });
  return { ...result, contacts: result.contacts.length };
}
