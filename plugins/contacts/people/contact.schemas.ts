import { z } from 'zod';
import { isEmail, isTimezone, normalizeCountry, normalizeEmail } from './normalize.js';

export const CONTACT_TYPES = ['LEAD', 'PROSPECT', 'CUSTOMER', 'PARTNER', 'VENDOR'] as const;
export const CONTACT_STATUSES = ['ACTIVE', 'INACTIVE', 'PENDING', 'BLOCKED', 'UNSUBSCRIBED', 'BOUNCED'] as const;
export const LIFECYCLE_STAGES = ['NEW', 'ENGAGED', 'QUALIFIED', 'CUSTOMER', 'INACTIVE'] as const;
export const BUYING_ROLES = ['DECISION_MAKER', 'INFLUENCER', 'CHAMPION', 'BLOCKER', 'END_USER', 'OTHER'] as const;
export const INTENT_LEVELS = ['HIGH', 'MEDIUM', 'LOW'] as const;

/** The fields of a contact's postal address, which a merge or an import update settles together as `address`. */
export const ADDRESS_FIELDS = ['street', 'city', 'region', 'postalCode', 'country'] as const;

/** Longest accepted value of each free-text field. */
export const TEXT_MAX = {
  firstName: 100,
  lastName: 100,
  phone: 50,
  mobile: 50,
  jobTitle: 200,
  department: 200,
  leadSource: 100,
  notes: 20_000,
  street: 200,
  city: 100,
  region: 100,
  postalCode: 20,
} as const;
export const TWITTER_HANDLE_MAX = 50;
export const TAG_MAX = 50;
export const TAGS_MAX = 50;

export const ENUM_VALUES: Record<string, readonly string[]> = {
  type: CONTACT_TYPES,
  status: CONTACT_STATUSES,
  lifecycleStage: LIFECYCLE_STAGES,
  buyingRole: BUYING_ROLES,
  intentLevel: INTENT_LEVELS,
};

const COUNTRY_MESSAGE = 'must be an ISO 3166 country code (e.g. DE) or country name';
const TIMEZONE_MESSAGE = 'must be an IANA time zone such as Europe/Berlin';
const URL_MESSAGE = 'must be an http(s) URL';

// The value rules below return undefined for a value they reject; both the schema and the import's
// quick check use them.
const textValue = (v: string) => v.trim() || null;

function countryValue(v: string): string | null | undefined {
  if (v.trim() === '') return null;
  return normalizeCountry(v) ?? undefined;
}

function timezoneValue(v: string): string | null | undefined {
  const name = v.trim();
  if (name === '') return null;
  return isTimezone(name) ? name : undefined;
}

function httpUrlValue(v: string): string | null | undefined {
  if (v.trim() === '') return null;
  try {
    const parsed = new URL(v.trim());
    return ['http:', 'https:'].includes(parsed.protocol) ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

const twitterHandleValue = (v: string) => v.trim().replace(/^@/, '') || null;

const text = (max: number) => z.string().max(max).transform(textValue).nullish();

export const emailField = z.string().transform(normalizeEmail).refine(isEmail, 'must be a valid email address');

/** An optional string field whose value rule may reject it: blank gives null, absent stays absent. */
const ruled = (rule: (v: string) => string | null | undefined, message: string) =>
  z
    .string()
    .nullish()
    .transform((v, ctx) => {
      if (v === null || v === undefined) return v === undefined ? undefined : null;
      const value = rule(v);
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message });
        return null;
      }
      return value;
    });

const country = ruled(countryValue, COUNTRY_MESSAGE);
const timezone = ruled(timezoneValue, TIMEZONE_MESSAGE);
const url = ruled(httpUrlValue, URL_MESSAGE);

/** Every writable contact field, as the API, the admin and the CSV import accept it. */
export const contactShape = {
  email: emailField,
  firstName: text(TEXT_MAX.firstName),
  lastName: text(TEXT_MAX.lastName),
  phone: text(TEXT_MAX.phone),
  mobile: text(TEXT_MAX.mobile),
  jobTitle: text(TEXT_MAX.jobTitle),
  department: text(TEXT_MAX.department),
  companyId: z.number().int().positive().nullish(),
  type: z.enum(CONTACT_TYPES).optional(),
  status: z.enum(CONTACT_STATUSES).optional(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES).optional(),
  buyingRole: z.enum(BUYING_ROLES).nullish(),
  intentLevel: z.enum(INTENT_LEVELS).nullish(),
  leadSource: text(TEXT_MAX.leadSource),
  ownerId: z.number().int().positive().nullish(),
  notes: text(TEXT_MAX.notes),
  linkedinUrl: url,
  twitterHandle: z
    .string()
    .max(TWITTER_HANDLE_MAX)
    .nullish()
    .transform((v) => (v === undefined ? undefined : v === null ? null : twitterHandleValue(v))),
  street: text(TEXT_MAX.street),
  city: text(TEXT_MAX.city),
  region: text(TEXT_MAX.region),
  postalCode: text(TEXT_MAX.postalCode),
  country,
  timezone,
  tags: z.array(z.string().trim().min(1).max(TAG_MAX)).max(TAGS_MAX).optional(),
  customFields: z.record(z.string(), z.unknown()).optional(),
};

export const contactCreateInput = z.strictObject(contactShape);
export const contactUpdateInput = z.strictObject(contactShape).partial();
export type ContactCreateInput = z.input<typeof contactCreateInput>;
export type ContactUpdateInput = z.input<typeof contactUpdateInput>;
export type ContactData = z.output<typeof contactUpdateInput>;

/** Fields a CSV column can map to (tags as a `;`- or `,`-separated list, custom fields as `custom.<key>`). */
export const IMPORTABLE_FIELDS = Object.keys(contactShape).filter((k) => !['customFields', 'companyId', 'ownerId'].includes(k));

/**
 * contactCreateInput's result for input whose values are strings (tags a list of strings, custom
 * fields an object), as the CSV import builds it: the same rules without the schema's per-call
 * cost, which dominates an import of many rows. Undefined when any rule fails or the input has
 * another shape; the schema then names the issues.
 */
export function parseContactStrings(input: Record<string, unknown>): z.output<typeof contactCreateInput> | undefined {
  if (typeof input.email !== 'string') return undefined;
  const data: Record<string, unknown> = {};
  for (const field of Object.keys(input)) {
    const v = input[field];
    if (field === 'tags') {
      if (!Array.isArray(v) || v.length > TAGS_MAX) return undefined;
      const tags: string[] = [];
      for (const tag of v) {
        const name = typeof tag === 'string' ? tag.trim() : '';
        if (name === '' || name.length > TAG_MAX) return undefined;
        tags.push(name);
      }
      data.tags = tags;
      continue;
    }
    if (field === 'customFields') {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
      data.customFields = { ...v };
      continue;
    }
    if (typeof v !== 'string') return undefined;
    let value: string | null | undefined;
    if (field === 'email') value = isEmail((value = normalizeEmail(v))) ? value : undefined;
    else if (Object.hasOwn(TEXT_MAX, field)) value = v.length > TEXT_MAX[field as keyof typeof TEXT_MAX] ? undefined : textValue(v);
    else if (Object.hasOwn(ENUM_VALUES, field)) value = ENUM_VALUES[field]!.includes(v) ? v : undefined;
    else if (field === 'country') value = countryValue(v);
    else if (field === 'timezone') value = timezoneValue(v);
    else if (field === 'linkedinUrl') value = httpUrlValue(v);
    else if (field === 'twitterHandle') value = v.length > TWITTER_HANDLE_MAX ? undefined : twitterHandleValue(v);
    if (value === undefined) return undefined;
    data[field] = value;
  }
  return data as z.output<typeof contactCreateInput>;
}
