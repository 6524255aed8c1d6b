import { Prisma, type Contact } from '@prisma/client';

/** What the list, the API and the admin show for a contact: its columns with company, owner, tags and deal count. */
export const listInclude = {
  company: { select: { id: true, name: true } },
  owner: { select: { id: true, name: true, email: true } },
  tags: { select: { tag: { select: { name: true } } } },
  _count: { select: { deals: true } },
} satisfies Prisma.ContactInclude;

type ContactWithRelations = Prisma.ContactGetPayload<{ include: typeof listInclude }>;

export interface ContactView extends Omit<Contact, 'searchText' | 'sortName'> {
  fullName: string;
  company: { id: number; name: string } | null;
  owner: { id: number; name: string; email: string } | null;
  tags: string[];
  dealsCount: number;
  /** Further addresses of the contact, such as a merged duplicate's (on a single contact's view). */
  secondaryEmails?: string[];
  /** Phones in the form used in the contact's country and the country's name (on a single contact's view). */
  display?: { phone: string | null; mobile: string | null; country: string | null };
  [column: string]: unknown;
}

export interface ContactPage {
  data: ContactView[];
  page: number;
  pageSize: number;
  total: number;
}

export function fullName(c: Pick<Contact, 'firstName' | 'lastName' | 'email'>): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;
}

export function toView(contact: ContactWithRelations): ContactView {
  const { searchText: _search, sortName: _sort, tags, _count, ...rest } = contact;
  return { ...rest, fullName: fullName(contact), tags: tags.map((t) => t.tag.name).sort(), dealsCount: _count.deals };
}

export const contactFields = Prisma.dmmf.datamodel.models.find((m) => m.name === 'Contact')!.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
export const CONTACT_DATE_FIELDS: readonly string[] = contactFields.filter((f) => f.type === 'DateTime').map((f) => f.name);
const JSON_FIELDS = contactFields.filter((f) => f.type === 'Json').map((f) => f.name);

/** SQLite: the JSON array of the tag names of contact `c`. */
export const TAG_NAMES_SQL = '(SELECT json_group_array(t.name) FROM "ContactTag" ct JOIN "Tag" t ON t.id = ct.tagId WHERE ct.contactId = c.id)';

/** A contact's own columns read with SQL on SQLite, made what the Prisma client returns: Dates and parsed JSON. */
export function contactColumnsFromSqlite(row: Record<string, unknown>): void {
  for (const field of CONTACT_DATE_FIELDS) if (typeof row[field] === 'string') row[field] = new Date(row[field]);
  for (const field of JSON_FIELDS) if (field in row) row[field] = typeof row[field] === 'string' ? JSON.parse(row[field]) : null;
}
