/** The people every benchmark imports: varied names, companies, phones, countries, tags and stages. */
import { faker } from '@faker-js/faker';

faker.seed(20261202);
/**
 * 1,000 first and 1,000 last names, combined so that every full name up to a million rows is different
 * and each last name is spread over the file (as in a real file; a file of a few hundred names
 * repeated with the same company and city is a file of duplicates).
 */
const FIRST = Array.from({ length: 1_000 }, () => faker.person.firstName().replace(/[^\p{L}' -]/gu, ''));
/** 1,000 companies, each name its own (a number alone does not tell companies apart). */
const COMPANIES = [...new Set(Array.from({ length: 1_200 }, () => faker.company.name().replace(/,/g, '')))].slice(0, 1_000);
const LAST = Array.from({ length: 1_000 }, () => faker.person.lastName().replace(/[^\p{L}' -]/gu, ''));
const TITLES = ['CEO', 'CTO', 'Head of Sales', 'Buyer', 'Engineer', 'Marketing Manager', 'Office Manager', 'Founder', 'Consultant', 'Analyst'];
const CITIES = [
  ['Berlin', 'DE'],
  ['Hamburg', 'DE'],
  ['London', 'GB'],
  ['Paris', 'FR'],
  ['Austin', 'US'],
  ['Oslo', 'NO'],
  ['Madrid', 'ES'],
  ['Vienna', 'AT'],
] as const;
const STAGES = ['New', 'Engaged', 'Qualified', 'Customer', 'Inactive'];
const PHONES = (i: number) =>
  [`+49 30 ${1000000 + i}`, `(415) ${200 + Math.floor(i / 10000)}-${String(i % 10000).padStart(4, '0')}`, `+44 20 ${70000000 + i}`, ''][i % 4]!;

export function row(i: number): string[] {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[(Math.floor(i / FIRST.length) * 7 + (i % FIRST.length) * 13) % LAST.length]!;
  const [city, country] = CITIES[i % CITIES.length]!;
  return [
    `${`${first}.${last}`.replace(/[^A-Za-z.]/g, '')}.${i}@example${i % 50}.com`,
    first,
    last,
    COMPANIES[(i * 31 + Math.floor(i / COMPANIES.length) * 17) % COMPANIES.length]!,
    TITLES[i % TITLES.length]!,
    PHONES(i),
    city,
    country,
    i % 3 === 0 ? 'vip;newsletter' : i % 3 === 1 ? 'newsletter' : '',
    STAGES[i % STAGES.length]!,
  ];
}

/** `rows` people from the `from`-th on (a second file of other people starts where the first ended). */
export function csv(rows: number, from = 0): Buffer {
  const lines = ['Email,First Name,Last Name,Company,Job Title,Phone,City,Country,Tags,Lifecycle Stage'];
  for (let i = from; i < from + rows; i++) lines.push(row(i).join(','));
  return Buffer.from(lines.join('\n') + '\n');
}

/** What the search benchmark looks for: names (whole and in part), a mailbox start, a domain, a company. */
export function searchTerms(): string[] {
  const lower = (name: string) => name.toLowerCase();
  return [
    lower(LAST[5]!),
    `${lower(FIRST[1]!).replace(/[^a-z]/g, '')}.`,
    'example7.com',
    lower(COMPANIES[42]!).split(' ')[0]!,
    lower(FIRST[7]!).slice(0, 3),
    lower(LAST[40]!).slice(0, 4),
    lower(FIRST[2]!),
    lower(COMPANIES[1]!).slice(0, 5),
  ];
}
