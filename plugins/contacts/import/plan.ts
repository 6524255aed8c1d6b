// Step 3 of an import, plan: a batch of mapped rows becomes a BatchPlan, which says for each row
// whether it creates a contact, updates one (and what it changes) or is flagged, skipped or failed.
// Only the look-ups read the database; planBatch itself decides from what they found.
import type { Contact } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { ADDRESS_FIELDS, IMPORTABLE_FIELDS } from '../people/contact.schemas.js';
import { searchTextOf, sortNameOf } from '../people/normalize.js';
import { secondaryEmailOwners } from '../people/secondary-emails.js';
import { chunksOf } from '../../../server/id-lists.js';
import { contactValues, inIndexOrder, type BatchPlan, type ContactColumns, type PlannedOther, type PlannedUpdate } from './batch.js';
import { screenRows, type MapContext, type MappedRow } from './map.js';
import { BLANK_ROW, EMAIL_MISSING, leftEmpty, quoted } from './labels.js';
import type { ImportStore } from './write.js';

/**
 * How an imported row settles the fields of a contact it updates: KEEP the contact's value, USE the
 * file's, or COMBINE (notes joined; tags and custom fields are always added to). Keys are contact
 * fields, with `address` for street, city, region, postal code and country together. A field left
 * out takes the file's value. Another plugin may supply it (dedup's merge rules do).
 */
import type { ImportUpdateRule } from '../extensions.js';

export type { ImportUpdateRule };

const UPDATABLE = new Set(IMPORTABLE_FIELDS.filter((f) => f !== 'email' && f !== 'tags'));

/** A contact an imported row met, with the columns an update compares. */
export interface ExistingContact {
  id: number;
  email: string;
  tags: string[];
  companyName: string | null;
  customFields: string | null;
  /** The bodies of its notes, when the rows bring notes (an imported note already there is not added again). */
  noteBodies?: string[];
  secondaryEmails?: string[];
  [column: string]: unknown;
}

/** Full rows of the contacts these emails belong to (as their email or a secondary email), by email, read in bounded chunks. */
export async function existingByEmail(prisma: Database, emails: string[], options: { withNotes?: boolean } = {}): Promise<Map<string, ExistingContact>> {
  const owners = new Map<string, number>();
  for (const chunk of chunksOf([...new Set(emails)])) {
    for (const c of await prisma.contact.findMany({ where: { email: { in: chunk } }, select: { id: true, email: true } })) owners.set(c.email, c.id);
  }
  return existingContacts(prisma, new Map([...(await secondaryEmailOwners(prisma, emails)), ...owners]), options);
}

/** Full rows of the contacts `owners` names (an email and the id of the contact it belongs to), by email. */
async function existingContacts(prisma: Database, owners: Map<string, number>, options: { withNotes?: boolean } = {}): Promise<Map<string, ExistingContact>> {
  const byId = new Map<number, ExistingContact>();
  for (const chunk of chunksOf([...new Set(owners.values())])) {
    const contacts = await prisma.contact.findMany({
      where: { id: { in: chunk } },
      include: {
        tags: { select: { tag: { select: { name: true } } } },
        company: { select: { name: true } },
        secondaryEmails: { select: { email: true } },
        ...(options.withNotes ? { noteEntries: { select: { body: true } } } : {}),
      },
    });
    for (const c of contacts) {
      const { tags, company, secondaryEmails, noteEntries, ...columns } = c as typeof c & { noteEntries?: { body: string }[] };
      const customFields = c.customFields === null ? null : JSON.stringify(c.customFields);
      byId.set(c.id, {
        ...columns,
        id: c.id,
        email: c.email,
        tags: tags.map((t) => t.tag.name),
        companyName: company?.name ?? null,
        customFields,
        secondaryEmails: secondaryEmails.map((e) => e.email),
        ...(noteEntries ? { noteBodies: noteEntries.map((n) => n.body) } : {}),
      });
    }
  }
  return new Map([...owners].flatMap(([email, id]) => (byId.has(id) ? [[email, byId.get(id)!] as const] : [])));
}

/** Ids of the active users whose emails the rows name as owners. */
export async function ownerIds(prisma: Database, rows: MappedRow[]): Promise<Map<string, number>> {
  const emails = [...new Set(rows.flatMap((r) => (r.ownerEmail ? [r.ownerEmail] : [])))];
  const owners = new Map<string, number>();
  for (const chunk of chunksOf(emails)) {
    const users = await prisma.user.findMany({ where: { email: { in: chunk }, active: true }, select: { id: true, email: true } });
    for (const u of users) owners.set(u.email, u.id);
  }
  return owners;
}

export interface PlanSettings {
  importId: number;
  runnerId: string;
  onDuplicate: 'FLAG' | 'SKIP' | 'UPDATE';
  /** Whether rows are matched to contacts before writing (see lookUpAndPlan). */
  lookUp?: boolean;
  /** Who runs the import (the author of the notes it adds). */
  authorId?: number | null;
}

/**
 * Reads what a batch's plan needs, then plans it. The store finds emails that are already contacts
 * as it inserts, and records those rows as flagged or skipped; only an update run (to plan the
 * changes) and a dry run (to report them) look them up first: a cheap existence check, then full
 * rows for the emails that exist.
 */
export async function lookUpAndPlan(
  prisma: Database,
  store: Pick<ImportStore, 'existingIds'>,
  mapped: MappedRow[],
  fileEmails: Map<string, number>,
  settings: PlanSettings,
  context: MapContext,
): Promise<BatchPlan> {
  await screenRows(mapped, context);
  const emails = [...new Set(mapped.flatMap((m) => (m.email && !m.error ? [m.email] : [])))];
  const ids = settings.lookUp && emails.length ? await store.existingIds(emails) : new Map<string, number>();
  // A secondary email (a merged duplicate's address) is always looked up: the store's insert notices only a contact's own email.
  const secondary = emails.length ? await secondaryEmailOwners(prisma, emails) : new Map<string, number>();
  const withNotes = mapped.some((m) => m.note);
  const found = { existing: await existingContacts(prisma, new Map([...secondary, ...ids]), { withNotes }), owners: await ownerIds(prisma, mapped) };
  return planBatch(mapped, found, fileEmails, settings, context);
}

/**
 * The plan of one batch. `fileEmails` holds the emails of earlier rows (this run and the ones before
 * a resume) and takes this batch's; `existing` the contacts found for the batch's emails.
 */
export function planBatch(
  mapped: MappedRow[],
  found: { existing: Map<string, ExistingContact>; owners: Map<string, number> },
  fileEmails: Map<string, number>,
  settings: PlanSettings,
  context: MapContext,
): BatchPlan {
  const { existing, owners } = found;
  const plan: BatchPlan = {
    importId: settings.importId,
    authorId: settings.authorId ?? null,
    creates: [],
    updates: [],
    others: [],
    latecomer: settings.onDuplicate === 'SKIP' ? 'SKIPPED' : 'FLAGGED',
    heartbeat: { runnerId: settings.runnerId, at: new Date() },
  };
  for (const row of mapped) {
    const fail = (error: string): PlannedOther => ({ rowNumber: row.rowNumber, outcome: 'FAILED', contactId: null, error });
    if (row.blank) {
      plan.others.push({ rowNumber: row.rowNumber, outcome: 'SKIPPED', contactId: null, error: BLANK_ROW });
      continue;
    }
    if (row.error || !row.email) {
      plan.others.push(fail(row.error ?? EMAIL_MISSING));
      continue;
    }
    if (row.ownerEmail) {
      const ownerId = owners.get(row.ownerEmail);
      if (ownerId) row.columns.ownerId = ownerId;
      else {
        row.warnings.push(leftEmpty('Owner', `no active user has the email ${quoted(row.ownerEmail)}`));
        row.filled = row.filled.filter((f) => f !== 'ownerId');
        row.ownerEmail = null;
      }
    }
    const warnings = row.warnings.length ? row.warnings.join('; ') : null;
    const firstRow = fileEmails.get(row.email);
    if (firstRow !== undefined) {
      plan.others.push({
        rowNumber: row.rowNumber,
        outcome: 'FLAGGED',
        contactId: existing.get(row.email)?.id ?? null,
        email: row.email,
        error: `email appears earlier in this file (row ${firstRow})`,
      });
      continue;
    }
    fileEmails.set(row.email, row.rowNumber);
    const contact = existing.get(row.email);
    if (!contact) {
      plan.creates.push({
        rowNumber: row.rowNumber,
        email: row.email,
        values: contactValues(row.columns),
        companyName: row.companyName,
        tags: row.tags,
        note: row.note,
        warnings,
      });
    } else if (settings.onDuplicate === 'UPDATE') {
      plan.updates.push({ ...updateFor(row, contact, context), warnings });
    } else {
      plan.others.push({ rowNumber: row.rowNumber, outcome: settings.onDuplicate === 'SKIP' ? 'SKIPPED' : 'FLAGGED', contactId: contact.id, error: null });
    }
  }
  plan.creates = inIndexOrder(plan.creates);
  return plan;
}

/**
 * Only fields the row fills are changed, and only where the update rule (if any) lets the file's
 * value in and the value differs; the previous values are kept for a revert. The row's note is added
 * unless the contact has that note already.
 */
export function updateFor(row: MappedRow, found: ExistingContact, context: MapContext): Omit<PlannedUpdate, 'warnings'> {
  const present = row.filled;
  const incoming = { ...found, ...Object.fromEntries(present.map((f) => [f, row.columns[f] ?? null])), updatedAt: new Date() } as unknown as Contact;
  const choices = context.updateRule?.(found as unknown as Contact, incoming) ?? {};
  const choiceFor = (field: string) => choices[(ADDRESS_FIELDS as readonly string[]).includes(field) ? 'address' : field] ?? 'USE';
  const columns: ContactColumns = {};
  const before: Record<string, unknown> = {};
  for (const field of present) {
    if (!UPDATABLE.has(field) && field !== 'ownerId') continue;
    if (choiceFor(field) === 'KEEP') continue;
    const value = row.columns[field] ?? null;
    if ((found[field] ?? null) !== value) {
      columns[field] = value;
      before[field] = found[field] ?? null;
    }
  }
  if (present.includes('customFields') && choiceFor('customFields') !== 'KEEP') {
    const current = found.customFields ? (JSON.parse(String(found.customFields)) as Record<string, unknown>) : null;
    const merged = { ...current, ...(JSON.parse(String(row.columns.customFields)) as Record<string, unknown>) };
    if (JSON.stringify(merged) !== JSON.stringify(current ?? {})) {
      columns.customFields = JSON.stringify(merged);
      before.customFields = current;
    }
  }
  const companyName = choiceFor('companyId') === 'KEEP' || row.companyName === found.companyName ? null : row.companyName;
  if (companyName) before.companyId = found.companyId ?? null;
  const addTags = choiceFor('tags') === 'KEEP' ? [] : row.tags.filter((t) => !found.tags.includes(t));
  if (addTags.length) before.tags = found.tags;
  const note = row.note && choiceFor('notes') !== 'KEEP' && !found.noteBodies?.includes(row.note) ? row.note : null;
  const nameChanged = ['firstName', 'lastName'].some((f) => f in columns);
  const firstName = (columns.firstName ?? found.firstName) as string | null;
  const lastName = (columns.lastName ?? found.lastName) as string | null;
  const phones = ['phone', 'mobile'].map((f) => (f in columns ? columns[f] : found[f]) as string | null);
  if (nameChanged || companyName || 'phone' in columns || 'mobile' in columns) {
    columns.searchText = searchTextOf([firstName, lastName, found.email, ...(found.secondaryEmails ?? []), companyName ?? found.companyName], phones);
  }
  if (nameChanged) columns.sortName = sortNameOf(firstName, lastName, found.email);
  return { rowNumber: row.rowNumber, contactId: found.id, columns, companyName, addTags, before, note };
}
