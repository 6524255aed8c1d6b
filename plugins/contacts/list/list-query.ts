import { z } from 'zod';
import type { Prisma } from '@prisma/client';
import { CONTACT_STATUSES, CONTACT_TYPES, LIFECYCLE_STAGES } from '../people/contact.schemas.js';

/** What another plugin adds to the contact list: filters, sort keys and columns. */
export interface ContactListExtension {
  plugin: string;
  filters?: Record<string, { schema: z.ZodType; where: (value: never) => Prisma.ContactWhereInput }>;
  sorts?: Record<string, (direction: 'asc' | 'desc') => Prisma.ContactOrderByWithRelationInput>;
  columns?: Record<string, (contactIds: number[]) => Promise<Map<number, unknown>>>;
  /** What the contact list page calls each filter, sort key and column; the key itself otherwise. */
  labels?: Record<string, string>;
}

/** The filters, sort keys and columns other plugins add, with their labels, for the list page to offer. */
export interface ContributedListFields {
  filters: { key: string; label: string }[];
  sorts: { key: string; label: string }[];
  columns: { key: string; label: string }[];
}

/** The values of the list's base filters, as the list page offers them. */
export interface ListFilterChoices {
  lifecycle: readonly string[];
  status: readonly string[];
  type: readonly string[];
  quality: readonly string[];
  preset: readonly string[];
}

export const PRESETS = ['ALL', 'QUALIFIED', 'CUSTOMERS', 'INACTIVE'] as const;
export const QUALITY_VIEWS = ['MISSING_PHONE', 'NO_OWNER', 'NO_COMPANY', 'NO_RECENT_ACTIVITY', 'REQUIRED_CUSTOM_EMPTY'] as const;
export const BASE_SORTS = [
  'name',
  'jobTitle',
  'company',
  'type',
  'lifecycle',
  'lastActivity',
  'lastContacted',
  'dealsCount',
  'owner',
  'createdAt',
  'email',
] as const;

const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim().toUpperCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)));
const date = z.coerce.date();
const id = z.coerce.number().int().positive();

export const baseListQuery = {
  q: z.string().trim().max(200).optional(),
  preset: z.string().toUpperCase().pipe(z.enum(PRESETS)).optional(),
  deals: z
    .string()
    .toUpperCase()
    .pipe(z.enum(['NONE', 'ACTIVE']))
    .optional(),
  status: list(CONTACT_STATUSES).optional(),
  type: list(CONTACT_TYPES).optional(),
  lifecycle: list(LIFECYCLE_STAGES).optional(),
  companyId: id.optional(),
  owner: z.union([z.literal('none'), id]).optional(),
  tags: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .optional(),
  tagsMode: z.enum(['any', 'all']).default('any'),
  createdFrom: date.optional(),
  createdTo: date.optional(),
  lastActivityFrom: date.optional(),
  lastActivityTo: date.optional(),
  lastContactedFrom: date.optional(),
  lastContactedTo: date.optional(),
  quality: z.string().toUpperCase().pipe(z.enum(QUALITY_VIEWS)).optional(),
  inactiveDays: z.coerce.number().int().min(1).max(3650).default(90),
  sort: z.string().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
};

export type BaseListQuery = z.output<z.ZodObject<typeof baseListQuery>>;

/** Custom-field filters arrive as `cf.<key>=value`. */
export const CUSTOM_FILTER_PREFIX = 'cf.';

export function range(from?: Date, to?: Date): Prisma.DateTimeNullableFilter | undefined {
  if (!from && !to) return undefined;
  return { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) };
}

/**
 * Sort clauses for a key. Empty values go last in both directions. SQLite already puts NULL last
 * when sorting descending, and spelling that out would keep it from reading the order off an index.
 */
export function orderFor(key: string, direction: 'asc' | 'desc', postgres = false): Prisma.ContactOrderByWithRelationInput[] | undefined {
  const nullsLast = (field: string) =>
    (direction === 'desc' && !postgres ? { [field]: direction } : { [field]: { sort: direction, nulls: 'last' } }) as Prisma.ContactOrderByWithRelationInput;
  switch (key) {
    case 'name':
      return [{ sortName: direction }];
    case 'jobTitle':
      return [nullsLast('jobTitle')];
    case 'company':
      return [{ company: { name: direction } }];
    case 'type':
      return [{ type: direction }];
    case 'lifecycle':
      return [{ lifecycleStage: direction }];
    case 'lastActivity':
      return [nullsLast('lastActivityAt')];
    case 'lastContacted':
      return [nullsLast('lastContactedAt')];
    case 'dealsCount':
      return [{ deals: { _count: direction } }];
    case 'owner':
      return [{ owner: { name: direction } }];
    case 'createdAt':
      return [{ createdAt: direction }];
    case 'email':
      return [{ email: direction }];
    default:
      return undefined;
  }
}
