import { z } from 'zod';
import { isEmail, isTimezone, normalizeCountry, normalizeEmail } from './normalize.js';

export const CONTACT_TYPES = ['LEAD', 'PROSPECT', 'CUSTOMER', 'PARTNER', 'VENDOR'] as const;
export const CONTACT_STATUSES = ['ACTIVE', 'INACTIVE', 'PENDING', 'BLOCKED', 'UNSUBSCRIBED', 'BOUNCED'] as const;
export const LIFECYCLE_STAGES = ['NEW', 'ENGAGED', 'QUALIFIED', 'CUSTOMER', 'INACTIVE'] as const;
export const BUYING_ROLES = ['DECISION_MAKER', 'INFLUENCER', 'CHAMPION', 'BLOCKER', 'END_USER', 'OTHER'] as const;
export const INTENT_LEVELS = ['HIGH', 'MEDIUM', 'LOW'] as const;

const text = (max: number) =>
  z
    .string()
    .max(max)
    .transform((v) => v.trim())
    .transform((v) => (v === '' ? null : v))
    .nullish();

export const emailField = z
  .string()
  .transform(normalizeEmail)
  .refine(isEmail, 'must be a valid email address');

const country = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v.trim() === '') return v === undefined ? undefined : null;
    const code = normalizeCountry(v);
    if (!code) ctx.addIssue({ code: 'custom', message: 'must be an ISO 3166 country code (e.g. DE) or country name' });
    return code;
  });

const timezone = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v.trim() === '') return v === undefined ? undefined : null;
    if (!isTimezone(v.trim())) ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone such as Europe/Berlin' });
    return v.trim();
  });

const url = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v.trim() === '') return v === undefined ? undefined : null;
    try {
      const parsed = new URL(v.trim());
      if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error('scheme');
      return parsed.toString();
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
      return null;
    }
  });

/** Every writable contact field, as the API, the admin and the CSV import accept it. */
export const contactShape = {
  email: emailField,
  firstName: text(100),
  lastName: text(100),
  phone: text(50),
  mobile: text(50),
  jobTitle: text(200),
  department: text(200),
  companyId: z.number().int().positive().nullish(),
  type: z.enum(CONTACT_TYPES).optional(),
  status: z.enum(CONTACT_STATUSES).optional(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES).optional(),
  buyingRole: z.enum(BUYING_ROLES).nullish(),
  intentLevel: z.enum(INTENT_LEVELS).nullish(),
  leadSource: text(100),
  ownerId: z.number().int().positive().nullish(),
  notes: text(20_000),
  linkedinUrl: url,
  twitterHandle: z
    .string()
    .max(50)
    .nullish()
    .transform((v) => (v === undefined ? undefined : v?.trim().replace(/^@/, '') || null)),
  street: text(200),
  city: text(100),
  region: text(100),
  postalCode: text(20),
  country,
  timezone,
  tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  customFields: z.record(z.string(), z.unknown()).optional(),
};

export const contactCreateInput = z.strictObject(contactShape);
export const contactUpdateInput = z.strictObject(contactShape).partial();
export type ContactCreateInput = z.input<typeof contactCreateInput>;
export type ContactUpdateInput = z.input<typeof contactUpdateInput>;
export type ContactData = z.output<typeof contactUpdateInput>;

/** Fields a CSV column can map to (tags as a `;`- or `,`-separated list, custom fields as `custom.<key>`). */
export const IMPORTABLE_FIELDS = Object.keys(contactShape).filter((k) => !['customFields', 'companyId', 'ownerId'].includes(k));
