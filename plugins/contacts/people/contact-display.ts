// Values as a person reads them: a phone number in the form used in the contact's country, a country
// code as its name. The stored values stay as they are (E.164, ISO 3166-1 alpha-2).
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });

/** "DE" → "Germany"; a value that is no country code is returned as it is. */
export function countryName(code: string | null | undefined): string | null {
  if (!code) return null;
  if (!/^[A-Z]{2}$/.test(code)) return code;
  const name = REGION_NAMES.of(code);
  return name && name !== code ? name : code;
}

/** National form for a number of the contact's own country ("030 555123"), international otherwise ("+49 30 555123"). */
export function phoneForDisplay(value: string | null | undefined, country: string | null | undefined): string | null {
  if (!value) return null;
  const parsed = parsePhoneNumberFromString(value, (country ?? undefined) as CountryCode | undefined);
  if (!parsed?.isValid()) return value;
  return country && parsed.country === country ? parsed.formatNational() : parsed.formatInternational();
}

/** What the contact page shows for a contact's phones and country. */
export function contactDisplay(c: { phone: string | null; mobile: string | null; country: string | null }) {
  return { phone: phoneForDisplay(c.phone, c.country), mobile: phoneForDisplay(c.mobile, c.country), country: countryName(c.country) };
}
