import { doubleMetaphone } from 'double-metaphone';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { createRequire } from 'node:module';

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
  local: string;
  domain: string;
  phones: string[];
  company: string;
  city: string;
  postal: string;
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

export function prepare(person: Person, options: PrepareOptions = {}): PreparedPerson {
  const first = normalizeName(person.firstName);
  const last = normalizeName(person.lastName);
  const [local = '', domain = ''] = person.email.toLowerCase().split('@');
  return {
    person,
    first,
    last,
    firstCodes: codes(first),
    lastCodes: codes(last),
    local: local.replace(/\+.*$/, '').replace(/[._-]/g, ''),
    domain,
    phones: [person.phone, person.mobile].flatMap((p) => {
      const phone = normalizePhone(p, options.phoneRegion ?? person.country);
      return phone ? [phone] : [];
    }),
    company: normalizeName(person.company),
    city: normalizeName(person.city),
    postal: (person.postalCode ?? '').replace(/\s/g, '').toLowerCase(),
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

/** What a shared Double Metaphone code alone is worth: below any close spelling (Jaro-Winkler >= 0.9). */
const SOUND_ALIKE = 0.89;

/** Name part similarity: spelling (Jaro-Winkler), sound (Double Metaphone) and initials. */
function partSimilarity(a: string, b: string, aCodes: string[], bCodes: string[]): number {
  if (!a || !b) return -1;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 0.9 : 0;
  const spelling = jaroWinkler(a, b);
  // A shared sound is weaker evidence than close spelling ("bullock" and "blake" share one).
  const sound = aCodes.some((c) => bCodes.includes(c)) ? SOUND_ALIKE : 0;
  return Math.max(spelling, sound);
}

function nameSimilarity(a: PreparedPerson, b: PreparedPerson): { value: number; swapped: boolean; firstDiffers: boolean } {
  const direct = [partSimilarity(a.first, b.first, a.firstCodes, b.firstCodes), partSimilarity(a.last, b.last, a.lastCodes, b.lastCodes)];
  // Swapped: a's first against b's last and a's last against b's first, read from either side (one
  // part may be missing), the better reading kept, so compare(a, b) equals compare(b, a).
  const crossFirst = partSimilarity(a.first, b.last, a.firstCodes, b.lastCodes);
  const crossLast = partSimilarity(a.last, b.first, a.lastCodes, b.firstCodes);
  const combine = ([first, last]: number[]) => {
    if (first! < 0 && last! < 0) return 0;
    if (first! < 0) return last! * 0.85;
    if (last! < 0) return first! * 0.7;
    return 0.45 * first! + 0.55 * last!;
  };
  const d = combine(direct);
  const fromA = combine([crossFirst, crossLast]);
  const fromB = combine([crossLast, crossFirst]);
  const swapped = fromA >= fromB ? [crossFirst, crossLast] : [crossLast, crossFirst];
  const s = Math.max(fromA, fromB) * 0.98;
  return s > d
    ? { value: s, swapped: true, firstDiffers: swapped[0]! >= 0 && swapped[0]! < 0.8 }
    : { value: d, swapped: false, firstDiffers: direct[0]! >= 0 && direct[0]! < 0.8 };
}

/**
 * One score in [0, 1] with the reasons a person can read. Names carry most of it; a shared phone,
 * mailbox name, employer or address adds evidence. People who share a surname and an address but
 * have clearly different first names (families) stay below the thresholds unless a personal
 * identifier also matches.
 */
export function compare(a: PreparedPerson, b: PreparedPerson): Match {
  return compareAtLeast(a, b, 0)!;
}

const NAME_WEIGHT = 0.75;

/**
 * The same score, or null as soon as it is clear the pair cannot reach `minScore`: the evidence is
 * cheap to check, and without enough of it even identical names fall short (scans skip most pairs so).
 */
export function compareAtLeast(a: PreparedPerson, b: PreparedPerson, minScore: number): Match | null {
  if (a.person.email.toLowerCase() === b.person.email.toLowerCase()) return { score: 1, reasons: ['same email'] };
  const samePhone = a.phones.some((p) => b.phones.includes(p));
  const sameLocal = a.local.length >= 4 && !ROLE_LOCALS.has(a.local) && a.local === b.local;
  const sameCompany = a.company !== '' && a.company === b.company;
  const sameEmployer = sameCompany || (a.domain !== '' && a.domain === b.domain && !isFreeMail(a.domain));
  const samePostal = a.postal !== '' && a.postal === b.postal;
  const sameCity = !samePostal && a.city !== '' && a.city === b.city;
  const evidence = (samePhone ? 0.2 : 0) + (sameLocal ? 0.18 : 0) + (sameEmployer ? 0.12 : 0) + (samePostal ? 0.06 : sameCity ? 0.03 : 0);
  if (NAME_WEIGHT + evidence < minScore) return null;

  const name = nameSimilarity(a, b);
  let score = name.value * NAME_WEIGHT + evidence;
  // A different first name is a different person, whatever else is shared (families, colleagues).
  if (name.firstDiffers && !sameLocal) score = Math.min(score, 0.6);
  score = Math.min(1, Math.round(score * 1000) / 1000);
  if (score < minScore) return null;
  const reasons = [`name ${name.value.toFixed(2)}${name.swapped ? ' (first and last swapped)' : ''}`];
  if (samePhone) reasons.push('same phone');
  if (sameLocal) reasons.push('same email name');
  if (sameEmployer) reasons.push(sameCompany ? 'same company' : 'same email domain');
  if (samePostal) reasons.push('same postal code');
  if (sameCity) reasons.push('same city');
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
