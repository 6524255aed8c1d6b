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

const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });
const COUNTRY_CODES = new Set<string>();
const COUNTRY_BY_NAME = new Map<string, string>();
for (let a = 65; a <= 90; a++) {
  for (let b = 65; b <= 90; b++) {
    const code = String.fromCharCode(a, b);
    const name = REGION_NAMES.of(code);
    if (name && name !== code) {
      COUNTRY_CODES.add(code);
      COUNTRY_BY_NAME.set(name.toLowerCase(), code);
    }
  }
}
for (const [alias, code] of Object.entries({ usa: 'US', 'united states of america': 'US', uk: 'GB', england: 'GB', deutschland: 'DE' })) {
  COUNTRY_BY_NAME.set(alias, code);
}

/** ISO 3166 alpha-2 from a code or an English country name; null when unknown. */
export function normalizeCountry(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const value = raw.trim();
  if (/^[A-Za-z]{2}$/.test(value)) {
    const code = value.toUpperCase();
    return COUNTRY_CODES.has(code) ? code : null;
  }
  return COUNTRY_BY_NAME.get(value.toLowerCase()) ?? null;
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
