// Step 3 of an import, plan: a batch of mapped rows becomes a BatchPlan, which says for each row
// whether it creates a contact, updates one (and what it changes) or is flagged, skipped or failed.
// Only the look-ups read the database; planBatch itself decides from what they found.
import type { Contact } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { ADDRESS_FIELDS, IMPORTABLE_FIELDS } from '../people/contact.schemas.js';
import { searchTextOf, sortNameOf } from '../people/normalize.js';
import { chunksOf } from '../../../server/id-lists.js';
import { contactValues, inIndexOrder, type BatchPlan, type ContactColumns, type PlannedOther, type PlannedUpdate } from './batch.js';
import { filledFields, screenRows, type MapContext, type MappedRow } from './map.js';
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
  [column: string]: unknown;
}

/** Full rows of the contacts with these emails, read in bounded chunks. */
export async function existingByEmail(prisma: Database, emails: string[]): Promise<Map<string, ExistingContact>> {
  const found = new Map<string, ExistingContact>();
  for (const chunk of chunksOf([...new Set(emails)])) {
    const contacts = await prisma.contact.findMany({
      where: { email: { in: chunk } },
      include: { tags: { select: { tag: { select: { name: true } } } }, company: { select: { name: true } } },
    });
    for (const c of contacts) {
      const { tags, company, ...columns } = c;
      const customFields = c.customFields === null ? null : JSON.stringify(c.customFields);
      found.set(c.email, { ...columns, id: c.id, email: c.email, tags: tags.map((t) => t.tag.name), companyName: company?.name ?? null, customFields });
    }
  }
  return found;
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
  const emails = settings.lookUp ? [...new Set(mapped.flatMap((m) => (m.email && !m.error ? [m.email] : [])))] : [];
  const ids = emails.length ? await store.existingIds(emails) : new Map<string, number>();
  const found = { existing: await existingByEmail(prisma, [...ids.keys()]), owners: await ownerIds(prisma, mapped) };
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
    creates: [],
    updates: [],
    others: [],
    latecomer: settings.onDuplicate === 'SKIP' ? 'SKIPPED' : 'FLAGGED',
    heartbeat: { runnerId: settings.runnerId, at: new Date() },
  };
  for (const row of mapped) {
    const fail = (error: string): PlannedOther => ({ rowNumber: row.rowNumber, outcome: 'FAILED', contactId: null, error });
    if (row.error || !row.email) {
      plan.others.push(fail(row.error ?? 'email: is required'));
      continue;
    }
    if (row.ownerEmail) {
      const ownerId = owners.get(row.ownerEmail);
      if (!ownerId) {
        plan.others.push(fail(`owner: no user with email ${row.ownerEmail}`));
        continue;
      }
      row.columns.ownerId = ownerId;
    }
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
      plan.creates.push({ rowNumber: row.rowNumber, email: row.email, values: contactValues(row.columns), companyName: row.companyName, tags: row.tags });
    } else if (settings.onDuplicate === 'UPDATE') {
      const update = updateFor(row, contact, context);
      if ('error' in update) plan.others.push(fail(update.error));
      else plan.updates.push(update);
    } else {
      plan.others.push({ rowNumber: row.rowNumber, outcome: settings.onDuplicate === 'SKIP' ? 'SKIPPED' : 'FLAGGED', contactId: contact.id, error: null });
    }
  }
  plan.creates = inIndexOrder(plan.creates);
  return plan;
}

/**
 * Only fields the row fills are changed, and only where the update rule (if any) lets the file's
 * value in; the previous values are kept for a revert.
 */
export function updateFor(row: MappedRow, found: ExistingContact, context: MapContext): PlannedUpdate | { error: string } {
  const present = filledFields(row, context);
  const incoming = { ...found, ...Object.fromEntries(present.map((f) => [f, row.columns[f] ?? null])), updatedAt: new Date() } as unknown as Contact;
  const choices = context.updateRule?.(found as unknown as Contact, incoming) ?? {};
  const choiceFor = (field: string) => choices[(ADDRESS_FIELDS as readonly string[]).includes(field) ? 'address' : field] ?? 'USE';
  const columns: ContactColumns = {};
  const before: Record<string, unknown> = {};
  for (const field of present) {
    if (!UPDATABLE.has(field) && field !== 'ownerId') continue;
    const choice = choiceFor(field);
    if (choice === 'KEEP') continue;
    const fileValue = row.columns[field] ?? null;
    const value = choice === 'COMBINE' && field === 'notes' ? [found.notes, fileValue].filter(Boolean).join('\n\n') || null : fileValue;
    if (found[field] !== value) {
      columns[field] = value;
      before[field] = found[field] ?? null;
    }
  }
  if (present.includes('customFields') && choiceFor('customFields') !== 'KEEP') {
    const merged = context.customFields.validate(context.definitions, JSON.parse(String(row.columns.customFields)), {
      requireAll: false,
      existing: found.customFields ? JSON.parse(String(found.customFields)) : null,
    });
    if (merged.issues.length) return { error: merged.issues.map((i) => `${i.path}: ${i.message}`).join('; ') };
    columns.customFields = JSON.stringify(merged.values);
    before.customFields = found.customFields ? JSON.parse(String(found.customFields)) : null;
  }
  const companyName = choiceFor('companyId') === 'KEEP' ? null : row.companyName;
  if (companyName) before.companyId = found.companyId ?? null;
  const addTags = choiceFor('tags') === 'KEEP' ? [] : row.tags.filter((t) => !found.tags.includes(t));
  if (addTags.length) before.tags = found.tags;
  const nameChanged = ['firstName', 'lastName'].some((f) => f in columns);
  const firstName = (columns.firstName ?? found.firstName) as string | null;
  const lastName = (columns.lastName ?? found.lastName) as string | null;
  const phones = ['phone', 'mobile'].map((f) => (f in columns ? columns[f] : found[f]) as string | null);
  if (nameChanged || companyName || 'phone' in columns || 'mobile' in columns) {
    columns.searchText = searchTextOf([firstName, lastName, found.email, companyName ?? found.companyName], phones);
  }
  if (nameChanged) columns.sortName = sortNameOf(firstName, lastName, found.email);
  return { rowNumber: row.rowNumber, contactId: found.id, columns, companyName, addTags, before };
}
