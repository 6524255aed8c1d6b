// What an import did, row by row: the rows of one outcome (the flagged ones to review, say) with
// their original cells, and the failed rows and those imported with values left out as a CSV report.
import { csvCell } from '../export/csv-safe.js';
import type { ContactImport } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import type { CsvRecords } from './decode.js';

export type RowOutcome = 'CREATED' | 'UPDATED' | 'FLAGGED' | 'SKIPPED' | 'FAILED';
type Page = { page: number; pageSize: number };

/** Rows with one outcome, with their cells and the contact they met. */
export async function rowsWithOutcome(prisma: Database, record: ContactImport, records: () => Promise<CsvRecords>, outcome: RowOutcome, page: Page) {
  const [rows, total] = outcome === 'CREATED' ? await createdRows(prisma, record.id, page) : await recordedRows(prisma, record.id, outcome, page);
  const file = await records();
  const headers = record.headers as string[];
  return {
    data: rows.map((row) => {
      const cells = file.row(row.rowNumber - 1) ?? [];
      return {
        rowNumber: row.rowNumber,
        outcome: row.outcome,
        contactId: row.contactId,
        reason: row.error,
        cells: Object.fromEntries(headers.map((header, i) => [header, cells[i] ?? ''])),
      };
    }),
    page: page.page,
    pageSize: page.pageSize,
    total,
  };
}

/** Created rows are marked on their contacts; the other outcomes have an ImportRow each. */
function createdRows(prisma: Database, importId: number, page: Page) {
  const where = { importId };
  return Promise.all([
    prisma.contact
      .findMany({
        where,
        orderBy: { importRowNumber: 'asc' },
        skip: (page.page - 1) * page.pageSize,
        take: page.pageSize,
        select: { id: true, importRowNumber: true },
      })
      .then((contacts) => contacts.map((c) => ({ rowNumber: c.importRowNumber!, outcome: 'CREATED' as const, contactId: c.id, error: null }))),
    prisma.contact.count({ where }),
  ]);
}

function recordedRows(prisma: Database, importId: number, outcome: Exclude<RowOutcome, 'CREATED'>, page: Page) {
  const where = { importId, outcome };
  return Promise.all([
    prisma.importRow.findMany({ where, orderBy: { rowNumber: 'asc' }, skip: (page.page - 1) * page.pageSize, take: page.pageSize }),
    prisma.importRow.count({ where }),
  ]);
}

const IMPORTED = { CREATED: 'Created', UPDATED: 'Updated' } as const;

/**
 * Failed rows with their reason, and rows imported with values left out with their warnings
 * ("Created. Country left empty: ..."), each with its original cells, as CSV.
 */
export async function errorReport(prisma: Database, record: ContactImport, records: () => Promise<CsvRecords>): Promise<string> {
  const rows = await prisma.importRow.findMany({
    where: { importId: record.id, OR: [{ outcome: 'FAILED' }, { outcome: { in: ['CREATED', 'UPDATED'] }, error: { not: null } }] },
    orderBy: { rowNumber: 'asc' },
  });
  const file = await records();
  const lines = [['row', 'error', ...(record.headers as string[])]];
  for (const row of rows) {
    const imported = row.outcome === 'CREATED' || row.outcome === 'UPDATED' ? `${IMPORTED[row.outcome]}. ` : '';
    lines.push([String(row.rowNumber), `${imported}${row.error ?? ''}`, ...(file.row(row.rowNumber - 1) ?? [])]);
  }
  return lines.map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
