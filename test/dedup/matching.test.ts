import { describe, expect, it } from 'vitest';
import { blockingKeys, candidatePairs, compare, isFreeMail, jaroWinkler, normalizePhone, prepare, type Person } from '../../plugins/dedup/matching.js';
import { syntheticPeople } from '../../scripts/dedup-synthetic.js';

let nextId = 0;
const person = (fields: Partial<Person>): Person => ({
  id: ++nextId,
  email: `p${nextId}@example.com`,
  firstName: null,
  lastName: null,
  phone: null,
  mobile: null,
  company: null,
  city: null,
  postalCode: null,
  ...fields,
});
const score = (a: Partial<Person>, b: Partial<Person>) => compare(prepare(person(a)), prepare(person(b)));
const THRESHOLD = 0.8;
/** Whether one of the reasons starts so ("phone: same mobile +16.3" starts with "phone: same"). */
const says = (reasons: string[], start: string) => reasons.some((r) => r.startsWith(start));

describe('matching people', () => {
  it('measures spelling with Jaro-Winkler', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });

  it('matches typos and sound-alike spellings at the same employer', () => {
    const typo = score({ firstName: 'Jonathan', lastName: 'Smith', company: 'Acme' }, { firstName: 'Jonathan', lastName: 'Smtih', company: 'Acme' });
    expect(typo.score).toBeGreaterThanOrEqual(THRESHOLD);
    expect(says(typo.reasons, 'employer: same employer')).toBe(true);
    // Sound-alike spellings at one employer are a lead; with a shared phone they are a pair to review.
    const atAcme = score({ firstName: 'Jon', lastName: 'Meyer', company: 'Acme' }, { firstName: 'John', lastName: 'Maier', company: 'Acme' });
    const elsewhere = score({ firstName: 'Jon', lastName: 'Meyer', company: 'Acme' }, { firstName: 'John', lastName: 'Maier', company: 'Globex' });
    expect(atAcme.score).toBeGreaterThan(elsewhere.score);
    expect(
      score({ firstName: 'Jon', lastName: 'Meyer', company: 'Acme', phone: '+4930555' }, { firstName: 'John', lastName: 'Maier', phone: '+4930555' }).score,
    ).toBeGreaterThanOrEqual(THRESHOLD);
    const phone = score(
      { firstName: 'Catherine', lastName: 'Weber', phone: '+4930123456' },
      { firstName: 'Katherine', lastName: 'Weber', phone: '+4930123456' },
    );
    expect(says(phone.reasons, 'phone: same landline')).toBe(true);
    expect(phone.score).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('matches swapped first and last names, and initials', () => {
    const swapped = score({ firstName: 'Anna', lastName: 'Kowalski', company: 'Acme' }, { firstName: 'Kowalski', lastName: 'Anna', company: 'Acme' });
    expect(swapped.score).toBeGreaterThanOrEqual(THRESHOLD);
    expect(says(swapped.reasons, 'first and last name swapped')).toBe(true);
    expect(
      score({ firstName: 'J', lastName: 'Kowalski', company: 'Acme' }, { firstName: 'Jan', lastName: 'Kowalski', company: 'Acme' }).score,
    ).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('keeps family members apart even with the same surname, address and landline', () => {
    const family = score(
      { firstName: 'Peter', lastName: 'Novak', phone: '+4930999999', city: 'Berlin', postalCode: '10115' },
      { firstName: 'Maria', lastName: 'Novak', phone: '+4930999999', city: 'Berlin', postalCode: '10115' },
    );
    expect(family.score).toBeLessThan(0.65);
    const namesakes = score(
      { firstName: 'John', lastName: 'Smith', company: 'Acme', email: 'js@acme.com' },
      { firstName: 'John', lastName: 'Smith', company: 'Globex', email: 'john@globex.com' },
    );
    expect(namesakes.score).toBeLessThan(THRESHOLD);
  });

  it('gives the same score whichever contact comes first, swapped names with a part missing included', () => {
    const cases: [Partial<Person>, Partial<Person>][] = [
      [
        { firstName: 'Anna', lastName: null, company: 'Acme' },
        { firstName: 'Kowalski', lastName: 'Anna', company: 'Acme' },
      ],
      [
        { firstName: null, lastName: 'Kowalski', phone: '+4930123456' },
        { firstName: 'Kowalski', lastName: 'Anne', phone: '+4930123456' },
      ],
      [
        { firstName: 'Jon', lastName: 'Meyer' },
        { firstName: 'Meier', lastName: 'John' },
      ],
    ];
    for (const [x, y] of cases) {
      const a = prepare(person(x));
      const b = prepare(person(y));
      expect(compare(a, b)).toEqual(compare(b, a));
    }
    const { people } = syntheticPeople(400, 13);
    const prepared = people.map((p) => prepare(p));
    for (let i = 0; i + 1 < prepared.length; i += 2) expect(compare(prepared[i]!, prepared[i + 1]!)).toEqual(compare(prepared[i + 1]!, prepared[i]!));
  });

  it("compares phones in E.164, reading national numbers in the default region or the contact's country", () => {
    expect(normalizePhone('(415) 555-0100', 'US')).toBe('+14155550100');
    expect(normalizePhone('+1 415 555 0100')).toBe('+14155550100');
    expect(normalizePhone('0412 345 678', 'au')).toBe('+61412345678');
    expect(normalizePhone('+49 (0)30 5550101')).toBe('+49305550101');
    expect(normalizePhone('0049 30 5550101')).toBe('+49305550101');
    expect(normalizePhone('12-34')).toBeNull();
    const national = person({ firstName: 'Ann', lastName: 'Lee', phone: '(415) 555-0100' });
    const international = person({ firstName: 'Ann', lastName: 'Lee', phone: '+1 415 555 0100' });
    expect(says(compare(prepare(national, { phoneRegion: 'US' }), prepare(international)).reasons, 'phone: same')).toBe(true);
    expect(says(compare(prepare({ ...national, country: 'US' }), prepare(international)).reasons, 'phone: same')).toBe(true);
    expect(says(compare(prepare(national), prepare(international)).reasons, 'phone: different')).toBe(true);
  });

  it('does not take a shared free-mail or provider domain for an employer', () => {
    for (const domain of ['gmail.com', 'yahoo.com.au', 'bigpond.com', 'web.de', 'comcast.net']) expect(isFreeMail(domain)).toBe(true);
    expect(isFreeMail('acme.com')).toBe(false);
    const providers = score(
      { firstName: 'Tom', lastName: 'Bell', email: 'tom.b@bigpond.com' },
      { firstName: 'Tom', lastName: 'Bell', email: 'tbell@bigpond.com' },
    );
    expect(says(providers.reasons, 'employer:')).toBe(false);
    const employer = score({ firstName: 'Tom', lastName: 'Bell', email: 'tom.b@acme.com' }, { firstName: 'Tom', lastName: 'Bell', email: 'tbell@acme.com' });
    expect(says(employer.reasons, 'employer: same employer')).toBe(true);
  });

  it('weighs a sound-alike name less than a close spelling', () => {
    const soundAlike = score({ firstName: 'Ann', lastName: 'Bullock' }, { firstName: 'Ann', lastName: 'Blake' });
    const typo = score({ firstName: 'Ann', lastName: 'Bullock' }, { firstName: 'Ann', lastName: 'Bulock' });
    expect(soundAlike.score).toBeLessThan(typo.score);
    expect(soundAlike.score).toBeLessThan(THRESHOLD);
  });

  it('explains the score', () => {
    const m = score(
      { firstName: 'Ida', lastName: 'Berg', email: 'ida.berg@acme.com', postalCode: '12345' },
      { firstName: 'Ida', lastName: 'Berg', email: 'idaberg@gmail.com', postalCode: '12345' },
    );
    // A waterfall: the prior, each field's part in bits, the probability.
    expect(m.reasons).toEqual([
      expect.stringMatching(/^prior -\d+\.\d$/),
      expect.stringMatching(/^first name: exact \+\d+\.\d$/),
      expect.stringMatching(/^last name: exact \+\d+\.\d$/),
      expect.stringMatching(/^email: same email name \+\d+\.\d$/),
      expect.stringMatching(/^address: same postcode \+\d+\.\d$/),
      `match probability ${m.score.toFixed(3)}`,
    ]);
  });

  it('blocks so that typos, swaps and other mailboxes still meet, without comparing everyone', () => {
    const a = prepare(person({ firstName: 'Anna', lastName: 'Kowalski', email: 'anna.k@acme.com' }));
    const swapped = prepare(person({ firstName: 'Kowalski', lastName: 'Anna', email: 'x@y.com' }));
    const typo = prepare(person({ firstName: 'Anna', lastName: 'Kowalsky', email: 'z@y.com' }));
    const stranger = prepare(person({ firstName: 'Bob', lastName: 'Lee', email: 'bob@lee.com' }));
    const shared = (x: typeof a, y: typeof a) => blockingKeys(x).some((k) => blockingKeys(y).includes(k));
    expect(shared(a, swapped)).toBe(true);
    expect(shared(a, typo)).toBe(true);
    expect(shared(a, stranger)).toBe(false);
  });

  it('builds only the blocks of the contacts asked about, and finds the same pairs for them', () => {
    const prepared = syntheticPeople(2000, 9).people.map((p) => prepare(p));
    const involving = new Set(prepared.slice(0, 40).map((p) => p.person.id));
    const key = ([a, b]: [{ person: { id: number } }, { person: { id: number } }]) => `${a.person.id}:${b.person.id}`;
    const everyPair = [...candidatePairs(prepared)].filter(([a, b]) => involving.has(a.person.id) || involving.has(b.person.id)).map(key);
    const targeted = [...candidatePairs(prepared, { involving })].map(key);
    expect(targeted.length).toBeGreaterThan(0);
    expect(targeted.sort()).toEqual(everyPair.sort());
  });

  it('reaches F1 >= 0.95 on synthetic people, with blocking keeping nearly every pair', () => {
    const { people, truePairs } = syntheticPeople(3000, 5);
    const prepared = people.map((p) => prepare(p));
    const found = new Set<string>();
    const pairs = [...candidatePairs(prepared)];
    for (const [a, b] of pairs) if (compare(a, b).score >= THRESHOLD) found.add(`${a.person.id}:${b.person.id}`);
    // Each pair once, lower id first.
    expect(new Set(pairs.map(([a, b]) => `${a.person.id}:${b.person.id}`)).size).toBe(pairs.length);
    expect(pairs.every(([a, b]) => a.person.id < b.person.id)).toBe(true);
    const tp = [...found].filter((k) => truePairs.has(k)).length;
    const precision = tp / found.size;
    const recall = tp / truePairs.size;
    expect((2 * precision * recall) / (precision + recall)).toBeGreaterThanOrEqual(0.95);
    expect(pairs.length).toBeLessThan((people.length * people.length) / 50);
  });
});
