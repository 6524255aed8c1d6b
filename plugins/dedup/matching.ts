import { doubleMetaphone } from 'double-metaphone';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { createRequire } from 'node:module';
import { DEFAULT_PARAMETERS, FIELD_LABELS, FIELDS, Scorer, toBits, toProbability, type Levels } from './model.js';

/** What duplicate detection looks at in a contact. */
export interface Person {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  mobile: string | null;
  company: string | null;
  city: string | null;
  postalCode: string | null;
  street?: string | null;
  region?: string | null;
  /** ISO 3166 code: the region a phone number without a country code is read in, when no default is set. */
  country?: string | null;
  /** A date of birth, when a custom field holds one (YYYY-MM-DD). */
  birthDate?: string | null;
}

/** How people are read: the region of phone numbers written without a country code. */
export interface PrepareOptions {
  /** ISO 3166 code (a workspace setting); else each contact's own country. */
  phoneRegion?: string;
}

export interface PreparedPerson {
  person: Person;
  first: string;
  last: string;
  firstCodes: string[];
  lastCodes: string[];
  /** The mailbox name (dots, dashes and +tags left out); '' for a short or shared mailbox (info@, sales@). */
  local: string;
  domain: string;
  /** A company's own mail domain ('' for free mail and providers). */
  companyDomain: string;
  /** Every phone number in E.164. */
  phones: string[];
  mobile: string | null;
  company: string;
  city: string;
  postal: string;
  region: string;
  country: string;
  streetNumber: string;
  streetName: string;
  birthDate: string;
}

export interface Match {
  score: number;
  reasons: string[];
}

/**
 * Mail providers whose domain says nothing about the employer: the maintained list of the
 * email-providers package (free mail, internet providers' mail), with a few the list lacks.
 */
const FREE_MAIL = new Set([...(createRequire(import.meta.url)('email-providers/all.json') as string[]), 'googlemail.com', 'proton.me', 'pm.me', 'hey.com']);
/** A domain of a provider or a mail service, not of one employer. */
export const isFreeMail = (domain: string) => FREE_MAIL.has(domain) || /^(?:yahoo|hotmail|outlook|live|gmx|aol|icloud)\./.test(domain);
/** Mailbox names shared by many people. */
const ROLE_LOCALS = new Set(['info', 'sales', 'contact', 'office', 'admin', 'hello', 'support', 'team', 'mail', 'service']);

export function normalizeName(value: string | null | undefined): string {
  return (value ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z]/g, '');
}

function codes(name: string): string[] {
  if (!name) return [];
  return [...new Set(doubleMetaphone(name).filter(Boolean))];
}

const phoneCache = new Map<string, string | null>();

/**
 * A phone number in E.164 (+ and digits), or null when it has too few digits. A number written with
 * its country code needs no look-up; one without is read in `region` (the workspace's or the
 * contact's country), else kept as its digits.
 */
export function normalizePhone(text: string | null | undefined, region?: string | null): string | null {
  const raw = (text ?? '').trim();
  if (!raw) return null;
  const international = /^(?:\+|00)/.test(raw);
  if (international && !/\(0\)/.test(raw)) {
    const digits = raw.replace(/^00/, '').replace(/\D/g, '');
    return digits.length >= 7 ? `+${digits}` : null;
  }
  const code = region && /^[A-Za-z]{2}$/.test(region) ? (region.toUpperCase() as CountryCode) : undefined;
  const key = `${code ?? ''}|${raw}`;
  let value = phoneCache.get(key);
  if (value === undefined) {
    const parsed = parsePhoneNumberFromString(raw.replace(/\(0\)/, ''), code ? { defaultCountry: code } : undefined);
    const digits = raw.replace(/\D/g, '');
    value = parsed?.isPossible() ? parsed.number : digits.length >= 7 ? digits : null;
    if (phoneCache.size > 50_000) phoneCache.clear();
    phoneCache.set(key, value);
  }
  return value;
}

/** Street words written short or long: compared in one spelling. */
const STREET_WORDS: Record<string, string> = {
  st: 'street',
  str: 'street',
  rd: 'road',
  ave: 'avenue',
  av: 'avenue',
  dr: 'drive',
  ln: 'lane',
  ct: 'court',
  crt: 'court',
  cres: 'crescent',
  cr: 'crescent',
  pl: 'place',
  tce: 'terrace',
  hwy: 'highway',
  pde: 'parade',
  blvd: 'boulevard',
  cct: 'circuit',
  cir: 'circuit',
  sq: 'square',
  mt: 'mount',
};

/** A street line as number (the first number in it) and name (its words, abbreviations written out). */
export function normalizeStreet(value: string | null | undefined): { number: string; name: string } {
  const text = (value ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss');
  const number = /\d+[a-z]?\b/.exec(text)?.[0] ?? '';
  const words = text
    .replace(/\d+[a-z]?\b/g, ' ')
    .replace(/[^a-z]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((w) => STREET_WORDS[w] ?? w.replace(/strasse$/, 'str'));
  return { number, name: words.join(' ') };
}

export function prepare(person: Person, options: PrepareOptions = {}): PreparedPerson {
  const first = normalizeName(person.firstName);
  const last = normalizeName(person.lastName);
  const [rawLocal = '', domain = ''] = person.email.toLowerCase().split('@');
  const local = rawLocal.replace(/\+.*$/, '').replace(/[._-]/g, '');
  const region = options.phoneRegion ?? person.country;
  const mobile = normalizePhone(person.mobile, region);
  const landline = normalizePhone(person.phone, region);
  const street = normalizeStreet(person.street);
  return {
    person,
    first,
    last,
    firstCodes: codes(first),
    lastCodes: codes(last),
    local: local.length >= 4 && !ROLE_LOCALS.has(local) ? local : '',
    domain,
    companyDomain: domain && !isFreeMail(domain) ? domain : '',
    phones: [...new Set([mobile, landline].filter((x): x is string => !!x))],
    mobile,
    company: normalizeName(person.company),
    city: normalizeName(person.city),
    postal: (person.postalCode ?? '').replace(/\s/g, '').toLowerCase(),
    region: normalizeName(person.region),
    country: (person.country ?? '').trim().toLowerCase(),
    streetNumber: street.number,
    streetName: street.name,
    birthDate: (person.birthDate ?? '').trim(),
  };
}

/**
 * Blocking keys: two people are compared only when they share one. Several independent keys, so a
 * typo in one field still leaves the pair another way to meet.
 */
export function blockingKeys(p: PreparedPerson): string[] {
  const keys = new Set<string>();
  for (const code of p.lastCodes) keys.add(`n:${code}:${p.first.slice(0, 1)}`);
  // Both name sounds, in either order: swapped first and last names meet here.
  const [firstCode] = p.firstCodes;
  const [lastCode] = p.lastCodes;
  if (firstCode && lastCode) keys.add(`u:${[firstCode, lastCode].sort().join('|')}`);
  else if (firstCode) keys.add(`n:${firstCode}`);
  if (p.last && p.first) keys.add(`i:${p.last.slice(0, 3)}:${p.first.slice(0, 1)}`);
  if (p.local.length >= 4 && !ROLE_LOCALS.has(p.local)) keys.add(`e:${p.local}`);
  for (const phone of p.phones) keys.add(`p:${phone.slice(-7)}`);
  if (p.postal && p.first) keys.add(`z:${p.postal}:${p.first.slice(0, 1)}`);
  // Keys without the first name (it may be missing, replaced or swapped): the home and the surname.
  // Postcode and surname initial, in the same space as postcode and first initial: swapped names meet.
  if (p.postal && p.last) keys.add(`z:${p.postal}:${p.last.slice(0, 1)}`);
  if (p.postal && p.streetNumber) keys.add(`zn:${p.postal}:${p.streetNumber}`);
  if (p.streetNumber && p.streetName) keys.add(`sn:${p.streetNumber}:${p.streetName.slice(0, 4)}`);
  return [...keys];
}

/** Jaro-Winkler similarity in [0, 1]. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a ? 1 : 0;
  if (!a || !b) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (!matches) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Jaro-Winkler of two strings taken in a fixed order, so the result never depends on which comes first. */
const similarity = (a: string, b: string) => (a < b ? jaroWinkler(a, b) : jaroWinkler(b, a));

/** Two numbers (a postcode, a phone) one keystroke apart: one digit changed, or two neighbours swapped. */
export function oneEdit(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
  if (diff.length === 1) return true;
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

/** The level of two name parts: 0 exact, 1 close (JW >= 0.92), 2 similar (>= 0.85), 3 sound-alike, 4 initial, 5 different; -1 missing. */
export function nameLevel(a: string, b: string, aCodes: string[], bCodes: string[]): number {
  if (!a || !b) return -1;
  if (a === b) return 0;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 4 : 5;
  const jw = similarity(a, b);
  if (jw >= 0.92) return 1;
  if (jw >= 0.85) return 2;
  if (aCodes.some((c) => bCodes.includes(c))) return 3;
  return 5;
}

/** The phone level: 0 same mobile, 1 same landline, 2 mobiles one digit apart, 3 different; -1 when either has none. */
export function phoneLevel(a: PreparedPerson, b: PreparedPerson): number {
  if (!a.phones.length || !b.phones.length) return -1;
  let shared = false;
  for (const p of a.phones) {
    if (!b.phones.includes(p)) continue;
    if (p === a.mobile || p === b.mobile) return 0;
    shared = true;
  }
  if (shared) return 1;
  if (a.mobile && b.mobile && oneEdit(a.mobile, b.mobile)) return 2;
  return 3;
}

/** The same city, or one spelt a little apart (compared only when the address level depends on it). */
function sameCity(a: PreparedPerson, b: PreparedPerson): boolean {
  return a.city === b.city || (a.city[0] === b.city[0] && similarity(a.city, b.city) >= 0.92);
}

/**
 * The address level (street, postcode, city and region together: they go together, so they count
 * once): 0 same address ... 9 different (see LEVELS.address); -1 when nothing compares.
 */
export function addressLevel(a: PreparedPerson, b: PreparedPerson): number {
  const streetKnown = !!(a.streetName && b.streetName);
  const streetName = streetKnown ? (a.streetName === b.streetName ? 1 : similarity(a.streetName, b.streetName)) : 0;
  const numberSame = !!a.streetNumber && a.streetNumber === b.streetNumber;
  const sameStreet = streetName >= 0.92 && numberSame;
  const closeStreet = streetName >= 0.85 || (numberSame && streetName >= 0.7);
  const postalKnown = !!(a.postal && b.postal);
  const postal = !postalKnown ? 'missing' : a.postal === b.postal ? 'same' : oneEdit(a.postal, b.postal) ? 'close' : 'different';
  const cityKnown = !!(a.city && b.city);
  const regionKnown = !!(a.region && b.region);
  if (!streetKnown && !postalKnown && !cityKnown && !regionKnown) return -1;
  if (sameStreet && postal === 'same') return 0;
  if (sameStreet) return postal === 'close' || (cityKnown && sameCity(a, b)) ? 1 : 2;
  if (postal === 'same') return closeStreet ? 3 : streetKnown ? 5 : 4;
  if (cityKnown && sameCity(a, b)) return closeStreet ? 3 : 6;
  if (postal === 'close') return 7;
  if (regionKnown && a.region === b.region) return 8;
  return 9;
}

const FIRST = 0;
const LAST = 1;
const EMAIL = 2;
const EMPLOYER = 3;
const PHONE = 4;
const ADDRESS = 5;
const COUNTRY = 6;
const BIRTH = 7;

/** Every field's level but the names' (cheap to compare: a scan weighs these first). */
function otherLevels(a: PreparedPerson, b: PreparedPerson, levels: Levels): void {
  levels[EMAIL] = a.local && b.local ? (a.local === b.local ? 0 : 1) : -1;
  const sameEmployer = (!!a.company && a.company === b.company) || (!!a.companyDomain && a.companyDomain === b.companyDomain);
  levels[EMPLOYER] = (a.company || a.companyDomain) && (b.company || b.companyDomain) ? (sameEmployer ? 0 : 1) : -1;
  levels[PHONE] = phoneLevel(a, b);
  levels[ADDRESS] = addressLevel(a, b);
  levels[COUNTRY] = a.country && b.country ? (a.country === b.country ? 0 : 1) : -1;
  levels[BIRTH] = a.birthDate && b.birthDate ? (a.birthDate === b.birthDate ? 0 : 1) : -1;
}

/** Bits a crossed reading of the names gives up: the usual order is the likelier. */
const SWAP_PENALTY = 1;

/**
 * The names, aligned: first with first and last with last, or crossed (first and last swapped), the
 * reading with the higher weight kept. A crossed reading is tried both ways round, so the result is
 * the same whichever contact comes first. Returns whether the names were read crossed.
 */
function nameLevels(a: PreparedPerson, b: PreparedPerson, scorer: Scorer, levels: Levels): boolean {
  const f = nameLevel(a.first, b.first, a.firstCodes, b.firstCodes);
  const l = nameLevel(a.last, b.last, a.lastCodes, b.lastCodes);
  const direct = scorer.weight('firstName', f) + scorer.weight('lastName', l);
  // No crossed reading can beat this one (both parts agree as well as they can): skip it.
  if (direct >= scorer.best.firstName + scorer.best.lastName - SWAP_PENALTY) {
    levels[FIRST] = f;
    levels[LAST] = l;
    return false;
  }
  const x = nameLevel(a.first, b.last, a.firstCodes, b.lastCodes);
  const y = nameLevel(a.last, b.first, a.lastCodes, b.firstCodes);
  const crossXY = scorer.weight('firstName', x) + scorer.weight('lastName', y) - SWAP_PENALTY;
  const crossYX = scorer.weight('firstName', y) + scorer.weight('lastName', x) - SWAP_PENALTY;
  // A crossed reading must pair names that agree somewhat: never chosen only to leave a difference out.
  if ((direct >= crossXY && direct >= crossYX) || (!(x >= 0 && x <= 4) && !(y >= 0 && y <= 4))) {
    levels[FIRST] = f;
    levels[LAST] = l;
    return false;
  }
  [levels[FIRST], levels[LAST]] = crossXY >= crossYX ? [x, y] : [y, x];
  return true;
}

/** The shipped defaults for a workspace of 10,000 contacts (what compare uses when given no model). */
export const DEFAULT_SCORER = new Scorer(DEFAULT_PARAMETERS, 10_000);

/** The level of every field (-1: missing), in FIELDS order. */
export function comparisonLevels(a: PreparedPerson, b: PreparedPerson, scorer: Scorer = DEFAULT_SCORER): Levels {
  const levels = new Int8Array(FIELDS.length);
  otherLevels(a, b, levels);
  nameLevels(a, b, scorer, levels);
  return levels;
}

/**
 * The family rule: same surname and home (address or postcode), a clearly different first name, and
 * nothing personal in common (mobile, mailbox name, date of birth): relatives, not one person.
 * Personal evidence overrides it.
 */
export function isFamily(levels: Levels): boolean {
  const sameSurname = levels[LAST] === 0 || levels[LAST] === 1;
  const otherFirst = levels[FIRST] === 5;
  const sameHome = levels[ADDRESS]! >= 0 && levels[ADDRESS]! <= 5;
  const personal = levels[PHONE] === 0 || levels[EMAIL] === 0 || levels[BIRTH] === 0;
  return sameSurname && otherFirst && sameHome && !personal;
}

/** The levels of the pair being scored (one scan scores one pair at a time). */
const SCRATCH = new Int8Array(FIELDS.length);

/** Where the family rule puts relatives: below any review threshold. */
export const FAMILY_CAP = 0.5;

/**
 * The match probability in [0, 1], with reasons a person can read: the prior, then each field's
 * contribution in bits (a waterfall), swapped names and the family rule when they apply.
 */
export function compare(a: PreparedPerson, b: PreparedPerson, scorer: Scorer = DEFAULT_SCORER): Match {
  return compareAtLeast(a, b, 0, scorer)!;
}

const signed = (bits: number) => `${bits >= 0 ? '+' : '-'}${Math.abs(bits).toFixed(1)}`;

/**
 * The same score, or null as soon as it is clear the pair cannot reach `minScore`: the other fields
 * are weighed first, the names only when their best weight could still lift the pair over it.
 */
export function compareAtLeast(a: PreparedPerson, b: PreparedPerson, minScore: number, scorer: Scorer = DEFAULT_SCORER): Match | null {
  if (a.person.email === b.person.email || a.person.email.toLowerCase() === b.person.email.toLowerCase()) return { score: 1, reasons: ['same email'] };
  const levels = SCRATCH;
  const needed = minScore > 0 ? toBits(Math.min(minScore, 0.9999)) : -Infinity;
  // The cheap fields first, then the address, then the names, each time leaving as soon as even the
  // best of what is left could not lift the pair to `minScore`.
  levels[EMAIL] = a.local && b.local ? (a.local === b.local ? 0 : 1) : -1;
  const sameEmployer = (!!a.company && a.company === b.company) || (!!a.companyDomain && a.companyDomain === b.companyDomain);
  levels[EMPLOYER] = (a.company || a.companyDomain) && (b.company || b.companyDomain) ? (sameEmployer ? 0 : 1) : -1;
  levels[PHONE] = phoneLevel(a, b);
  levels[COUNTRY] = a.country && b.country ? (a.country === b.country ? 0 : 1) : -1;
  levels[BIRTH] = a.birthDate && b.birthDate ? (a.birthDate === b.birthDate ? 0 : 1) : -1;
  let bits = scorer.prior;
  bits +=
    scorer.weight('email', levels[EMAIL]!) +
    scorer.weight('employer', levels[EMPLOYER]!) +
    scorer.weight('phone', levels[PHONE]!) +
    scorer.weight('country', levels[COUNTRY]!) +
    scorer.weight('birthDate', levels[BIRTH]!);
  if (bits + scorer.best.address + scorer.best.firstName + scorer.best.lastName < needed) return null;
  levels[ADDRESS] = addressLevel(a, b);
  bits += scorer.weight('address', levels[ADDRESS]!);
  if (bits + scorer.best.firstName + scorer.best.lastName < needed) return null;
  const swapped = nameLevels(a, b, scorer, levels);
  bits += scorer.weight('firstName', levels[FIRST]!) + scorer.weight('lastName', levels[LAST]!) - (swapped ? SWAP_PENALTY : 0);
  const family = isFamily(levels);
  const score = Math.round((family ? Math.min(toProbability(bits), FAMILY_CAP) : toProbability(bits)) * 1000) / 1000;
  if (score < minScore) return null;
  const reasons = [`prior ${signed(scorer.prior)}`];
  for (const c of scorer.contributions(levels)) reasons.push(`${FIELD_LABELS[c.field]}: ${c.level} ${signed(c.weight)}`);
  if (swapped) reasons.push(`first and last name swapped ${signed(-SWAP_PENALTY)}`);
  if (family) reasons.push('family rule: same surname and home, another first name, nothing personal in common');
  reasons.push(`match probability ${score.toFixed(3)}`);
  return { score, reasons };
}

/**
 * Every pair that shares a blocking key, once (lower id first). Very large blocks (a common surname)
 * are left out, so their people meet only through their other keys, which keeps a scan far below n².
 * With `involving`, only pairs with at least one of those contacts, and only their blocks are built.
 */
/** Blocks larger than this (a very common name sound or postal code) are not compared: too many pairs, too little evidence. */
export const MAX_BLOCK = 500;

export function* candidatePairs(
  people: PreparedPerson[],
  options: { involving?: Set<number>; maxBlock?: number; keyAllowed?: (key: string) => boolean } = {},
): Generator<[PreparedPerson, PreparedPerson]> {
  const maxBlock = options.maxBlock ?? MAX_BLOCK;
  const keysOf = people.map(blockingKeys);
  let wanted: Set<string> | null = null;
  if (options.involving) {
    wanted = new Set();
    people.forEach((p, i) => {
      if (options.involving!.has(p.person.id)) for (const key of keysOf[i]!) wanted!.add(key);
    });
  }
  const blocks = new Map<string, number[]>();
  keysOf.forEach((keys, i) => {
    for (const key of keys) {
      if (wanted && !wanted.has(key)) continue;
      const block = blocks.get(key);
      if (block) block.push(i);
      else blocks.set(key, [i]);
    }
  });
  const usable = (key: string) => {
    const size = blocks.get(key)?.length ?? 0;
    return size >= 2 && size <= maxBlock && (options.keyAllowed?.(key) ?? true);
  };
  for (const [key, block] of blocks) {
    if (!usable(key)) continue;
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const x = block[i]!;
        const y = block[j]!;
        // A pair sharing several keys is met in the first usable one only: no set of pairs to keep.
        if (keysOf[x]!.find((k) => (k !== key ? keysOf[y]!.includes(k) && usable(k) : true)) !== key) continue;
        const [a, b] = people[x]!.person.id < people[y]!.person.id ? [people[x]!, people[y]!] : [people[y]!, people[x]!];
        if (options.involving && !options.involving.has(a.person.id) && !options.involving.has(b.person.id)) continue;
        yield [a, b];
      }
    }
  }
}
