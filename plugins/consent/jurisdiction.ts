import type { JurisdictionName } from './consent.schemas.js';

/** EU member states and the rest of the EEA (GDPR applies to all). */
const EEA = new Set([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
]);

/** The privacy regime of a contact's country (an ISO 3166 code, as contacts stores it). */
export function jurisdictionOf(country: string | null | undefined): JurisdictionName {
  const code = country?.trim().toUpperCase();
  if (!code) return 'OTHER';
  if (EEA.has(code)) return 'EU_GDPR';
  if (code === 'GB' || code === 'UK') return 'UK_GDPR';
  if (code === 'CA') return 'CASL';
  if (code === 'US') return 'CAN_SPAM';
  return 'OTHER';
}

/** How long implied consent lasts where the law limits it (CASL: two years). */
export function impliedConsentMonths(jurisdiction: JurisdictionName): number | undefined {
  return jurisdiction === 'CASL' ? 24 : undefined;
}

export function addMonths(date: Date, months: number): Date {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}
