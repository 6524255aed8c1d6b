import { z } from 'zod';

export const CHANNELS = ['EMAIL', 'SMS', 'PHONE'] as const;
export const STATUSES = ['OPTED_IN', 'OPTED_OUT', 'PENDING', 'UNKNOWN'] as const;
export const TYPES = ['EXPLICIT', 'IMPLIED', 'IMPORTED'] as const;
export const BASES = ['CONSENT', 'LEGITIMATE_INTEREST', 'CONTRACT', 'LEGAL_OBLIGATION'] as const;
export const JURISDICTIONS = ['EU_GDPR', 'UK_GDPR', 'CASL', 'CAN_SPAM', 'OTHER'] as const;

export type Channel = (typeof CHANNELS)[number];
export type ConsentStatusName = (typeof STATUSES)[number];
export type ConsentTypeName = (typeof TYPES)[number];
export type LawfulBasisName = (typeof BASES)[number];
export type JurisdictionName = (typeof JURISDICTIONS)[number];

/** Limits of the evidence fields: long enough for real evidence, short enough to refuse junk. */
export const EVIDENCE_LIMITS = { source: 100, ip: 45, userAgent: 512, wording: 20_000, reference: 200, reason: 500 } as const;

const purposeName = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be an upper-case purpose name such as MARKETING');

/**
 * A change of consent with its evidence. `source` and, for OPTED_IN, `occurredAt` are checked by the
 * service (422), so the answer names what proof is missing.
 */
export const consentChangeInput = z.strictObject({
  channel: z.enum(CHANNELS),
  purpose: purposeName,
  status: z.enum(STATUSES),
  type: z.enum(TYPES).default('EXPLICIT'),
  basis: z.enum(BASES).optional(),
  source: z.string().trim().max(EVIDENCE_LIMITS.source).optional(),
  occurredAt: z.coerce.date().optional(),
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  userAgent: z.string().max(EVIDENCE_LIMITS.userAgent).optional(),
  /** The exact wording shown; stored once, referred to by its SHA-256. */
  wording: z.string().min(1).max(EVIDENCE_LIMITS.wording).optional(),
  /** The SHA-256 of wording stored before (instead of the wording itself). */
  wordingSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256')
    .optional(),
  reference: z.string().max(EVIDENCE_LIMITS.reference).optional(),
  importId: z.number().int().positive().optional(),
  importRow: z.number().int().positive().optional(),
  reason: z.string().max(EVIDENCE_LIMITS.reason).optional(),
});
export type ConsentChangeInput = z.input<typeof consentChangeInput>;

/** Who or what made a change: a signed-in user, or a named process (job, public link, import). */
export interface ConsentActor {
  userId?: number;
  via: string;
}
