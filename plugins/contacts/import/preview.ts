// The first rows of a file as they would be imported: planned as a run plans them, against the
// contacts that exist now, with the values that would be stored (after normalization), the changes
// an update would make and the values left out.
import type { Database } from '../../../server/db.js';
import type { PlannedUpdate } from './batch.js';
import { CUSTOM_PREFIX } from './labels.js';
import { mapRow, screenRows, type MapContext, type MappedRow } from './map.js';
import { existingByEmail, ownerIds, planBatch, type ExistingContact } from './plan.js';

export interface RowPreview {
  rowNumber: number;
  /** By mapped field: the value that would be stored ('' for none). */
  values: Record<string, string>;
  outcome: 'CREATE' | 'UPDATE' | 'FLAG' | 'SKIP' | 'FAIL';
  /** Why the row fails or is flagged or skipped. */
  error: string | null;
  /** Values left out of the row, which is imported all the same. */
  warnings: string[];
  /** What an update changes: only fields whose value differs. */
  changes: { field: string; from: string; to: string }[];
  existingContactId: number | null;
  /** What other plugins note on the row (it is imported all the same). */
  notes?: string[];
}

const OUTCOMES = { FLAGGED: 'FLAG', SKIPPED: 'SKIP', FAILED: 'FAIL' } as const;

const shown = (value: unknown): string =>
  value === null || value === undefined ? '' : Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** The value a mapped field would store for a row. */
function storedValue(row: MappedRow, field: string): string {
  if (field === 'company') return row.companyName ?? '';
  if (field === 'owner') return row.ownerEmail ?? '';
  if (field === 'tags') return row.tags.join(', ');
  if (field === 'notes') return row.note ?? '';
  if (field.startsWith(CUSTOM_PREFIX)) {
    const custom = row.columns.customFields ? (JSON.parse(String(row.columns.customFields)) as Record<string, unknown>) : {};
    return shown(custom[field.slice(CUSTOM_PREFIX.length)]);
  }
  return shown(row.columns[field]);
}

/** An update's changes, field by field (company, tags and the note included). */
function changesOf(update: PlannedUpdate, contact: ExistingContact): RowPreview['changes'] {
  const changes: RowPreview['changes'] = [];
  for (const [field, from] of Object.entries(update.before)) {
    if (field === 'companyId') changes.push({ field: 'company', from: contact.companyName ?? '', to: update.companyName ?? '' });
    else if (field === 'tags') changes.push({ field: 'tags', from: shown(from), to: shown([...contact.tags, ...update.addTags]) });
    else if (field === 'ownerId') changes.push({ field: 'owner', from: shown(from), to: shown(update.columns.ownerId) });
    else changes.push({ field, from: shown(from), to: shown(update.columns[field]) });
  }
  if (update.note) changes.push({ field: 'notes', from: '', to: update.note });
  return changes;
}

export async function previewRows(prisma: Database, cells: string[][], context: MapContext, onDuplicate: 'FLAG' | 'SKIP' | 'UPDATE'): Promise<RowPreview[]> {
  const mapped = cells.map((row, i) => mapRow(row, i + 1, context));
  await screenRows(mapped, context);
  const existing = await existingByEmail(
    prisma,
    mapped.flatMap((m) => (m.email && !m.error ? [m.email] : [])),
    { withNotes: mapped.some((m) => m.note) },
  );
  const plan = planBatch(mapped, { existing, owners: await ownerIds(prisma, mapped) }, new Map(), { importId: 0, runnerId: '', onDuplicate }, context);
  const creates = new Map(plan.creates.map((c) => [c.rowNumber, c]));
  const updates = new Map(plan.updates.map((u) => [u.rowNumber, u]));
  const others = new Map(plan.others.map((o) => [o.rowNumber, o]));
  const fields = [...new Set([...context.mapping.filter((f): f is string => !!f), ...context.defaults.map(([field]) => field)])];
  return mapped.map((m): RowPreview => {
    const contact = m.email ? existing.get(m.email) : undefined;
    const update = updates.get(m.rowNumber);
    const other = others.get(m.rowNumber);
    // A failed row has no stored values: its cells are shown as they are.
    const value = (field: string) => (m.error ? (cells[m.rowNumber - 1]![context.mapping.indexOf(field)] ?? '').trim() : storedValue(m, field));
    return {
      rowNumber: m.rowNumber,
      values: Object.fromEntries(fields.map((field) => [field, value(field)])),
      outcome: creates.has(m.rowNumber) ? 'CREATE' : update ? 'UPDATE' : OUTCOMES[other!.outcome],
      error: other?.error ?? null,
      warnings: m.warnings,
      changes: update && contact ? changesOf(update, contact) : [],
      existingContactId: contact?.id ?? other?.contactId ?? null,
    };
  });
}
