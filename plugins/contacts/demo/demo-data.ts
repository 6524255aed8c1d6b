import { faker } from '@faker-js/faker';
import type { ActivityType, Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import type { ContactsServices } from '../index.js';

const INDUSTRIES = ['Software', 'Manufacturing', 'Retail', 'Healthcare', 'Logistics', 'Finance', 'Education', 'Media'];
const SOURCES = ['Website', 'Referral', 'Trade fair', 'LinkedIn', 'Webinar', 'Cold outreach', 'Partner'];
const TAGS = ['vip', 'newsletter', 'event-2026', 'partner', 'churn-risk', 'decision-maker'];
const STAGES = ['New', 'Discovery', 'Proposal', 'Negotiation'];
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

/** Realistic demo companies, people, timelines and deals, reproducible (fixed seed). */
export async function seedDemoData(prisma: Database, s: ContactsServices, size = { companies: 25, contacts: 300 }) {
  faker.seed(2026);
  const owners = await prisma.user.findMany({ where: { active: true }, select: { id: true } });
  const companies: Awaited<ReturnType<ContactsServices['companies']['create']>>[] = [];
  for (let i = 0; i < size.companies; i++) {
    const name = faker.company.name();
    companies.push(
      await s.companies.create({
        name,
        domain: `${
          faker.helpers
            .slugify(name)
            .toLowerCase()
            .replace(/[^a-z0-9-]/g, '')
            .slice(0, 30) || 'company'
        }-${i}.example.com`,
        industry: faker.helpers.arrayElement(INDUSTRIES),
        size: faker.helpers.arrayElement(['1-10', '11-50', '51-200', '201-1000', '1000+']),
        city: faker.location.city(),
        country: faker.helpers.arrayElement(['US', 'DE', 'GB', 'FR', 'NL', 'SE']),
        tags: faker.helpers.arrayElements(TAGS, { min: 0, max: 2 }),
      }),
    );
  }
  const now = Date.now();
  const activities: Prisma.ActivityCreateManyInput[] = [];
  let contacts = 0;
  for (let i = 0; i < size.contacts; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const company = faker.helpers.maybe(() => faker.helpers.arrayElement(companies), { probability: 0.85 });
    const stage = faker.helpers.weightedArrayElement([
      { weight: 3, value: 'NEW' as const },
      { weight: 3, value: 'ENGAGED' as const },
      { weight: 2, value: 'QUALIFIED' as const },
      { weight: 2, value: 'CUSTOMER' as const },
      { weight: 1, value: 'INACTIVE' as const },
    ]);
    const contact = await s.contacts.create(
      {
        email: faker.internet
          .email({ firstName, lastName, provider: company?.domain ?? undefined })
          .toLowerCase()
          .replace('@', `.${i}@`),
        firstName,
        lastName,
        phone: faker.helpers.maybe(() => faker.phone.number({ style: 'international' }), { probability: 0.7 }),
        jobTitle: faker.person.jobTitle(),
        department: faker.person.jobArea(),
        companyId: company?.id,
        type: stage === 'CUSTOMER' ? 'CUSTOMER' : faker.helpers.arrayElement(['LEAD', 'PROSPECT', 'LEAD', 'PARTNER']),
        lifecycleStage: stage,
        buyingRole: faker.helpers.maybe(() => faker.helpers.arrayElement(['DECISION_MAKER', 'INFLUENCER', 'CHAMPION', 'END_USER'] as const)),
        intentLevel: faker.helpers.maybe(() => faker.helpers.arrayElement(['HIGH', 'MEDIUM', 'LOW'] as const)),
        leadSource: faker.helpers.arrayElement(SOURCES),
        ownerId: owners.length ? faker.helpers.arrayElement(owners).id : undefined,
        city: faker.location.city(),
        country: faker.helpers.arrayElement(['US', 'DE', 'GB', 'FR', 'NL', 'SE']),
        timezone: faker.helpers.arrayElement(['Europe/Berlin', 'America/New_York', 'Europe/London', 'America/Los_Angeles']),
        tags: faker.helpers.arrayElements(TAGS, { min: 0, max: 3 }),
      },
      { source: 'system' },
    );
    contacts++;
    let last = 0;
    for (let a = faker.number.int({ min: 0, max: 12 }); a > 0; a--) {
      const at = now - faker.number.int({ min: 1, max: 240 }) * 86_400_000;
      last = Math.max(last, at);
      const type = faker.helpers.arrayElement(ENGAGEMENT);
      activities.push({
        contactId: contact.id,
        type,
        occurredAt: new Date(at),
        subject: faker.lorem.sentence({ min: 3, max: 7 }),
        body: type === 'NOTE' ? faker.lorem.paragraph() : null,
      });
    }
    if (last) await prisma.contact.update({ where: { id: contact.id }, data: { lastActivityAt: new Date(last) } });
    if (stage === 'QUALIFIED' || stage === 'CUSTOMER') {
      await s.deals.create({
        title: `${company?.name ?? lastName} – ${faker.commerce.productName()}`,
        contactId: contact.id,
        companyId: company?.id,
        stage: faker.helpers.arrayElement(STAGES),
        value: faker.number.int({ min: 20, max: 900 }) * 100,
        currency: 'EUR',
        status: stage === 'CUSTOMER' ? 'WON' : 'OPEN',
        expectedCloseDate: new Date(now + faker.number.int({ min: 5, max: 120 }) * 86_400_000),
      });
    }
  }
  await prisma.activity.createMany({ data: activities });
  return { companies: companies.length, contacts, activities: activities.length };
}
