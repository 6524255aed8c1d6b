import { describe, expect, it } from 'vitest';
import {
  addressLevel,
  compare,
  comparisonLevels,
  isFamily,
  nameLevel,
  normalizeStreet,
  phoneLevel,
  prepare,
  type Person,
} from '../../plugins/dedup/matching.js';
import { doubleMetaphone } from 'double-metaphone';
import { FIELDS, LEVELS } from '../../plugins/dedup/model.js';

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
const p = (fields: Partial<Person>) => prepare(person(fields));
const codes = (s: string) => doubleMetaphone(s).filter(Boolean);
const level = (field: (typeof FIELDS)[number], a: Partial<Person>, b: Partial<Person>) => {
  const l = comparisonLevels(p(a), p(b))[FIELDS.indexOf(field)]!;
  return l < 0 ? 'missing' : LEVELS[field][l];
};

describe('comparison levels', () => {
  it('grades name parts: exact, two spelling bands, sound-alike, initial, different, missing', () => {
    expect(nameLevel('martha', 'martha', codes('martha'), codes('martha'))).toBe(0);
    expect(nameLevel('martha', 'marhta', codes('martha'), codes('marhta'))).toBe(1); // JW 0.961
    expect(nameLevel('dixon', 'dicksonx', codes('dixon'), codes('dicksonx'))).toBe(5); // JW 0.813, no shared sound
    expect(nameLevel('jonathan', 'jonatan', codes('jonathan'), codes('jonatan'))).toBe(1);
    expect(nameLevel('meyer', 'maier', codes('meyer'), codes('maier'))).toBe(3); // sounds alike, spelt apart
    expect(nameLevel('j', 'jan', ['J'], codes('jan'))).toBe(4);
    expect(nameLevel('k', 'jan', ['K'], codes('jan'))).toBe(5);
    expect(nameLevel('', 'jan', [], codes('jan'))).toBe(-1);
    expect(level('lastName', { lastName: 'Shaw' }, { lastName: 'Shawe' })).toBe('close spelling');
    expect(level('lastName', { lastName: 'Reynolds' }, { lastName: 'Reynols' })).toBe('close spelling');
    expect(level('firstName', { firstName: 'Ann' }, { firstName: 'Mary' })).toBe('different');
    expect(level('firstName', { firstName: 'Ann' }, {})).toBe('missing');
  });

  it('grades phones: same mobile, same landline, a mobile one digit apart, different, missing', () => {
    expect(phoneLevel(p({ mobile: '+61 412 345 678' }), p({ phone: '0412 345 678', country: 'AU' }))).toBe(0);
    expect(phoneLevel(p({ phone: '+49 30 1234567' }), p({ phone: '+49 30 1234567' }))).toBe(1);
    expect(phoneLevel(p({ mobile: '+61 412 345 678' }), p({ mobile: '+61 412 345 687' }))).toBe(2);
    expect(phoneLevel(p({ mobile: '+61 412 345 678' }), p({ mobile: '+61 499 999 999' }))).toBe(3);
    expect(phoneLevel(p({ mobile: '+61 412 345 678' }), p({}))).toBe(-1);
  });

  it('reads street lines with abbreviations written out, and grades the address as one', () => {
    expect(normalizeStreet('12 Tullaroop St')).toEqual({ number: '12', name: 'tullaroop street' });
    expect(normalizeStreet('12 tullaroop street')).toEqual({ number: '12', name: 'tullaroop street' });
    expect(normalizeStreet('5a Main Rd.')).toEqual({ number: '5a', name: 'main road' });
    const home = { street: '12 Tullaroop St', postalCode: '4011', city: 'St James', region: 'wa' };
    const at = (a: Partial<Person>, b: Partial<Person>) => LEVELS.address[addressLevel(p(a), p(b))] ?? 'missing';
    expect(at(home, { ...home, street: '12 tullaroop street' })).toBe('same address');
    expect(at(home, { ...home, postalCode: '4017' })).toBe('same street, other postcode');
    expect(at(home, { ...home, postalCode: '9999', city: 'Perth' })).toBe('same street');
    expect(at(home, { ...home, street: '12 tullaroo street' })).toBe('same address');
    expect(at(home, { ...home, street: '14 tullaroop street' })).toBe('similar street, same area');
    expect(at({ postalCode: '4011' }, { postalCode: '4011' })).toBe('same postcode');
    expect(at(home, { ...home, street: '3 Other Avenue' })).toBe('same postcode, other street');
    expect(at({ city: 'Perth', postalCode: '6000' }, { city: 'Perth', postalCode: '6100' })).toBe('same city');
    expect(at({ postalCode: '6000' }, { postalCode: '6001' })).toBe('similar postcode');
    expect(at({ region: 'wa', postalCode: '6000' }, { region: 'wa', postalCode: '2100' })).toBe('same region');
    expect(at({ region: 'wa' }, { region: 'nsw' })).toBe('different');
    expect(at({}, home)).toBe('missing');
  });

  it('grades email name, employer (company or company mail domain, not free mail), country and missing fields', () => {
    expect(level('email', { email: 'ann.lee@acme.com' }, { email: 'annlee@gmail.com' })).toBe('same email name');
    expect(level('email', { email: 'ann.lee@acme.com' }, { email: 'lee.a@gmail.com' })).toBe('different');
    expect(level('email', { email: 'info@acme.com' }, { email: 'info@globex.com' })).toBe('missing');
    expect(level('employer', { email: 'a@acme.com' }, { email: 'b@acme.com' })).toBe('same employer');
    expect(level('employer', { email: 'a@gmail.com' }, { email: 'b@gmail.com' })).toBe('missing');
    expect(level('employer', { company: 'Acme' }, { company: 'Globex' })).toBe('different');
    expect(level('country', { country: 'AU' }, { country: 'au' })).toBe('same');
    expect(level('birthDate', { birthDate: '1980-02-01' }, {})).toBe('missing');
  });

  it('weighs a missing field as nothing', () => {
    const base = { firstName: 'Ann', lastName: 'Lee', mobile: '+61412345678' };
    const withCity = compare(p(base), p({ ...base, city: 'Perth' }));
    const without = compare(p(base), p(base));
    expect(withCity.score).toBe(without.score);
  });
});

describe('the family rule', () => {
  const family = { lastName: 'Novak', street: '4 Elm Street', postalCode: '10115', city: 'Berlin', phone: '+49 30 999999' };

  it('keeps relatives (same surname and home, another first name) below review, however much else they share', () => {
    const m = compare(p({ ...family, firstName: 'Peter' }), p({ ...family, firstName: 'Maria' }));
    expect(m.score).toBeLessThanOrEqual(0.5);
    expect(m.reasons.some((r) => r.startsWith('family rule'))).toBe(true);
    expect(isFamily(comparisonLevels(p({ ...family, firstName: 'Peter' }), p({ ...family, firstName: 'Maria' })))).toBe(true);
  });

  it('is overridden by personal evidence: the same mobile, mailbox name or date of birth', () => {
    const mobile = compare(p({ ...family, firstName: 'Peter', mobile: '+49 170 1234567' }), p({ ...family, firstName: 'Maria', mobile: '+49 170 1234567' }));
    expect(mobile.score).toBeGreaterThanOrEqual(0.8);
    expect(mobile.reasons.some((r) => r.startsWith('family rule'))).toBe(false);
    const mailbox = compare(p({ ...family, firstName: 'Peter', email: 'p.novak@gmail.com' }), p({ ...family, firstName: 'Maria', email: 'pnovak@web.de' }));
    expect(mailbox.score).toBeGreaterThanOrEqual(0.8);
    const born = compare(p({ ...family, firstName: 'Peter', birthDate: '1970-05-04' }), p({ ...family, firstName: 'Maria', birthDate: '1970-05-04' }));
    expect(born.score).toBeGreaterThanOrEqual(0.8);
    const otherBirthday = compare(p({ ...family, firstName: 'Peter', birthDate: '1970-05-04' }), p({ ...family, firstName: 'Maria', birthDate: '1999-01-01' }));
    expect(otherBirthday.score).toBeLessThanOrEqual(0.5);
  });
});
