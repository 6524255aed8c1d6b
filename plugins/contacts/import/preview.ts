// The first rows of a file as they would be imported, with what would happen to each and why a row
// fails: mapped as a run maps them, against the contacts that exist now.
import type { Database } from '../../../server/db.js';
import { mapRow, screenRows, type MapContext } from './map.js';
import { existingByEmail } from './plan.js';

export interface RowPreview {
  rowNumber: number;
  values: Record<string, string>;
  outcome: 'CREATE' | 'UPDATE' | 'FLAG' | 'SKIP' | 'FAIL';
  error: string | null;
  existingContactId: number | null;
  /** What other plugins note on the row (it is imported all the same). */
  notes?: string[];
}

export async function previewRows(prisma: Database, cells: string[][], context: MapContext, onDuplicate: 'FLAG' | 'SKIP' | 'UPDATE'): Promise<RowPreview[]> {
  const mapped = cells.map((row, i) => mapRow(row, i + 1, context));
  await screenRows(mapped, context);
  const existing = await existingByEmail(
    prisma,
    mapped.flatMap((m) => (m.email ? [m.email] : [])),
  );
  const seen = new Set<string>();
  return mapped.map((m, i): RowPreview => {
    const values = Object.fromEntries(context.mapping.flatMap((field, col) => (field ? [[field, cells[i]![col] ?? '']] : [])));
    const found = m.email ? existing.get(m.email) : undefined;
    const repeated = m.email ? seen.has(m.email) : false;
    if (m.email) seen.add(m.email);
    const outcome: RowPreview['outcome'] = m.error
      ? 'FAIL'
      : repeated
        ? 'FLAG'
        : found
          ? ({ FLAG: 'FLAG', SKIP: 'SKIP', UPDATE: 'UPDATE' } as const)[onDuplicate]
          : 'CREATE';
    return {
      rowNumber: m.rowNumber,
      values,
      outcome,
      error: m.error ?? (repeated ? 'email appears earlier in this file' : null),
      existingContactId: found?.id ?? null,
    };
  });
}
