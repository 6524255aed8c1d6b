import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries/index.js';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/** Trimmed, NFKC, lower-cased, zero-width characters removed: the form emails are compared in. */
export function normalizeEmail(raw: string): string {
  return raw.normalize('NFKC').replace(ZERO_WIDTH, '').trim().toLowerCase();
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function isEmail(value: string): boolean {
  return EMAIL_SHAPE.test(value) && value.length <= 320;
}

// Parsing a number costs about ten microseconds, and lists repeat numbers (a company's switchboard),
// so results are kept.
const PHONE_CACHE_SIZE = 10_000;
const phoneCache = new Map<string, string>();

/** E.164 when the number parses (with the contact's country as a hint), the trimmed input otherwise. */
export function normalizePhone(raw: string | null | undefined, countryHint?: string | null): string | null {
  if (raw === null || raw === undefined) return null;
  const trimmed = raw.normalize('NFKC').replace(ZERO_WIDTH, '').trim();
  if (!trimmed) return null;
  const country = countryHint?.toUpperCase();
  const key = `${country ?? ''} ${trimmed}`;
  let normalized = phoneCache.get(key);
  if (normalized === undefined) {
    const parsed = parsePhoneNumberFromString(trimmed, country as CountryCode | undefined);
    normalized = parsed?.isValid() ? parsed.number : trimmed;
    // Emptied when full: evicting entries one by one from a Map's front costs more than parsing.
    if (phoneCache.size >= PHONE_CACHE_SIZE) phoneCache.clear();
    phoneCache.set(key, normalized);
  }
  return normalized;
}

// Country names in the languages a contact list is likely to be written in, from the maintained
// i18n-iso-countries data set (official names and common aliases per language), read into one map once.
const COUNTRY_LOCALES = ['en', 'fr', 'de', 'es', 'pt', 'it', 'nl', 'da', 'sv', 'nb', 'nn', 'fi', 'pl', 'cs', 'sk', 'hu', 'ro', 'tr', 'el', 'ru', 'uk'];
/** Names people use for a country that the data set does not list. */
const COUNTRY_ALIASES: Record<string, string> = {
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  britain: 'GB',
  'united states of america': 'US',
  america: 'US',
  holland: 'NL',
  'the netherlands': 'NL',
  'south korea': 'KR',
  'north korea': 'KP',
  russia: 'RU',
  'czech republic': 'CZ',
  'ivory coast': 'CI',
  'vatican city': 'VA',
};
/** Lower-case letters and digits only, accents removed: "U.S.A." and "usa", "Österreich" and "osterreich" meet. */
const countryKey = (value: string) =>
  value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
/** Every code and name, by key: built at the first look-up, so a start that never reads a country does not pay for it. */
let countryByName: Map<string, string> | undefined;
function countryNames(): Map<string, string> {
  if (countryByName) return countryByName;
  const names = new Map<string, string>();
  const require = createRequire(import.meta.url);
  for (const locale of COUNTRY_LOCALES) countries.registerLocale(require(`i18n-iso-countries/langs/${locale}.json`) as countries.LocaleData);
  const add = (name: string, code: string) => {
    const key = countryKey(name);
    if (key && !names.has(key)) names.set(key, code);
  };
  // Codes first (a valid alpha-2 code is never read as a name), then names, the first language to name a spelling winning.
  for (const code of Object.keys(countries.getAlpha2Codes())) add(code, code);
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) add(alias, code);
  for (const locale of COUNTRY_LOCALES) {
    for (const [code, spellings] of Object.entries(countries.getNames(locale, { select: 'all' }))) for (const name of spellings) add(name, code);
  }
  for (const [alpha3, code] of Object.entries(countries.getAlpha3Codes())) add(alpha3, code);
  return (countryByName = names);
}

const COUNTRY_CACHE_SIZE = 10_000;
const countryCache = new Map<string, string | null>();

/**
 * ISO 3166-1 alpha-2 from a code (alpha-2 or alpha-3) or a country's name or common alias in one of
 * the languages above ("France", "UK", "Great Britain", "Deutschland", "Brasil", "Österreich"); null
 * when unknown. Reserved codes that are not countries (FX, UK, EU) are not taken as codes.
 */
export function normalizeCountry(raw: string | null | undefined): string | null {
  if (!raw) return null;
  // Lists repeat a handful of spellings: each is keyed once.
  let code = countryCache.get(raw);
  if (code === undefined) {
    code = countryNames().get(countryKey(raw)) ?? null;
    if (countryCache.size >= COUNTRY_CACHE_SIZE) countryCache.clear();
    countryCache.set(raw, code);
  }
  return code;
}

const TIMEZONES = new Set(Intl.supportedValuesOf('timeZone'));
TIMEZONES.add('UTC');
export function isTimezone(value: string): boolean {
  return TIMEZONES.has(value);
}

/** The key the list sorts names by: last name, first name, then email, lower-cased (never empty). */
export function sortNameOf(firstName: string | null | undefined, lastName: string | null | undefined, email: string): string {
  return `${lastName ?? ''} ${firstName ?? ''} ${email}`.trim().normalize('NFKC').toLowerCase();
}

// Letters that carry no combining mark to strip but still have a plain spelling.
const PLAIN_LETTERS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't', ŀ: 'l' };
const PLAIN_LETTER = new RegExp(`[${Object.keys(PLAIN_LETTERS).join('')}]`, 'g');

/** Lower-cased with accents removed ("Müller" → "muller", "Øre" → "ore"): the form search compares text in. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(PLAIN_LETTER, (c) => PLAIN_LETTERS[c]!)
    .normalize('NFKC');
}

/** The digits of a phone number, as the search text keeps them ("+1 415-555-0100" → "14155550100"). */
export function phoneDigits(phone: string | null | undefined): string {
  return (phone ?? '').replace(/\D/g, '');
}

/**
 * The text the list search matches against: the contact's names, email and company folded
 * (`foldText`), then the digits of its phone numbers.
 */
export function searchTextOf(parts: (string | null | undefined)[], phones: (string | null | undefined)[]): string {
  return [foldText(parts.filter(Boolean).join(' ')), ...phones.map(phoneDigits)].filter(Boolean).join(' ');
}

const PHONE_SHAPED = /^[\d\s+().\-/]+$/;

/**
 * What a search box entry is looked for as in the search text: a phone number typed any way
 * ("(415) 555-0100", "+1 415 555 0100", "020 7946 0000") becomes its digits without the leading
 * zeros of a trunk or international prefix, so it is found inside the stored international digits;
 * anything else is folded like the text.
 */
export function searchKeyOf(query: string): string {
  const digits = phoneDigits(query);
  if (PHONE_SHAPED.test(query) && digits.length >= 3) return digits.replace(/^0+/, '') || digits;
  return foldText(query.trim());
}
