import { faker } from '@faker-js/faker';
import type { Person } from '../plugins/dedup/matching.js';

/** Spellings that sound alike, as people really write them. */
const PHONETIC: [string, string][] = [
  ['Jon', 'John'],
  ['Meyer', 'Maier'],
  ['Catherine', 'Katherine'],
  ['Steven', 'Stephen'],
  ['Schmidt', 'Schmitt'],
  ['Sara', 'Sarah'],
  ['Philip', 'Phillip'],
  ['Mueller', 'Müller'],
  ['Geoffrey', 'Jeffrey'],
  ['Lewis', 'Louis'],
  ['Neil', 'Neal'],
  ['Brian', 'Bryan'],
  ['Claire', 'Clare'],
  ['Thomson', 'Thompson'],
  ['Reid', 'Reed'],
];

function typo(word: string, rnd: () => number): string {
  if (word.length < 3) return word;
  const i = 1 + Math.floor(rnd() * (word.length - 2));
  switch (Math.floor(rnd() * 4)) {
    case 0:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // swapped keys
    case 1:
      return word.slice(0, i) + word.slice(i + 1); // dropped key
    case 2:
      return word.slice(0, i) + word[i] + word.slice(i); // doubled key
    default:
      return word.slice(0, i) + 'aeiou'[Math.floor(rnd() * 5)] + word.slice(i + 1); // wrong key
  }
}

function ocr(word: string): string {
  return word.replace(/m/, 'rn').replace(/l/, 'I').replace(/o/, '0');
}

export interface SyntheticSet {
  people: Person[];
  /** Pairs of ids that are the same person. */
  truePairs: Set<string>;
}

export const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/**
 * People with realistic duplicates (typos, sound-alike spellings, OCR errors, missing fields,
 * swapped names, other mailboxes) and look-alikes that are not duplicates (family members sharing
 * surname, address and landline; common names at other employers).
 */
export function syntheticPeople(count: number, seed = 7): SyntheticSet {
  faker.seed(seed);
  const rnd = () => faker.number.float({ min: 0, max: 1 });
  const people: Person[] = [];
  const truePairs = new Set<string>();
  let id = 0;
  const companies = Array.from({ length: Math.max(20, Math.floor(count / 25)) }, () => faker.company.name());
  const base = (): Person => {
    const phonetic = rnd() < 0.08 ? faker.helpers.arrayElement(PHONETIC) : null;
    const firstName = phonetic && rnd() < 0.5 ? phonetic[0] : faker.person.firstName();
    const lastName = phonetic && firstName !== phonetic[0] ? phonetic[0] : faker.person.lastName();
    const company = faker.helpers.arrayElement(companies);
    const domain = `${
      faker.helpers
        .slugify(company)
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '')
        .slice(0, 20) || 'corp'
    }.com`;
    return {
      id: ++id,
      email: `${normalizeLocal(firstName)}.${normalizeLocal(lastName)}${faker.number.int(99)}@${rnd() < 0.7 ? domain : 'gmail.com'}`,
      firstName,
      lastName,
      phone: rnd() < 0.7 ? `+1${faker.string.numeric(10)}` : null,
      mobile: rnd() < 0.4 ? `+1${faker.string.numeric(10)}` : null,
      company: rnd() < 0.85 ? company : null,
      city: faker.location.city(),
      postalCode: faker.location.zipCode('#####'),
    };
  };
  while (people.length < count) {
    const person = base();
    people.push(person);
    const roll = rnd();
    if (roll < 0.12) {
      const dup = duplicateOf(person, ++id, rnd);
      people.push(dup);
      truePairs.add(pairKey(person.id, dup.id));
    } else if (roll < 0.2) {
      // A family member: same surname, address and landline, another first name and mailbox.
      let firstName = faker.person.firstName();
      while (normalizeLocal(firstName).slice(0, 2) === normalizeLocal(person.firstName ?? '').slice(0, 2)) firstName = faker.person.firstName();
      people.push({ ...person, id: ++id, firstName, email: `${normalizeLocal(firstName)}.${normalizeLocal(person.lastName ?? '')}@gmail.com`, mobile: null });
    } else if (roll < 0.25) {
      // Same common name, someone else entirely.
      people.push({ ...base(), id: ++id, firstName: person.firstName, lastName: person.lastName });
    }
  }
  return {
    people: people.slice(0, count),
    truePairs: new Set([...truePairs].filter((k) => k.split(':').every((x) => Number(x) <= people[Math.min(count, people.length) - 1]!.id))),
  };
}

function normalizeLocal(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function duplicateOf(p: Person, id: number, rnd: () => number): Person {
  const dup: Person = { ...p, id, email: p.email.replace('@', `.${id}@`) };
  const changes = 1 + Math.floor(rnd() * 2);
  for (let c = 0; c < changes; c++) {
    switch (Math.floor(rnd() * 7)) {
      case 0:
        dup.lastName = typo(dup.lastName ?? '', rnd);
        break;
      case 1:
        dup.firstName = typo(dup.firstName ?? '', rnd);
        break;
      case 2: {
        const pair = PHONETIC.find(([a, b]) => a === dup.lastName || b === dup.lastName || a === dup.firstName || b === dup.firstName);
        if (pair) {
          if (dup.lastName === pair[0] || dup.lastName === pair[1]) dup.lastName = dup.lastName === pair[0] ? pair[1] : pair[0];
          else dup.firstName = dup.firstName === pair[0] ? pair[1] : pair[0];
        } else dup.lastName = ocr(dup.lastName ?? '');
        break;
      }
      case 3:
        dup.lastName = ocr(dup.lastName ?? '');
        break;
      case 4:
        [dup.firstName, dup.lastName] = [dup.lastName, dup.firstName];
        break;
      case 5:
        dup.firstName = (dup.firstName ?? '').slice(0, 1);
        dup.phone = null;
        break;
      default:
        dup.company = null;
        dup.city = null;
        dup.email = `${normalizeLocal(p.firstName ?? '')}${normalizeLocal(p.lastName ?? '')}@gmail.com`;
    }
  }
  return dup;
}
