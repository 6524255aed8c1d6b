import type { Progress } from '../../server/follow-ups.js';
import type { ContactsApi } from '../contacts/public.js';
import { consentOfRow } from './consent.import.js';
import type { ConsentService } from './consent.service.js';
import type { ImportLedgerStore } from './import-ledger.store.js';

/** Rows of an import read per page (each page re-reads the import's file). */
const PAGE = 20_000;

/**
 * The consent the people an import created get from their rows: IMPORTED and PENDING unless the
 * file says more. It runs as the import's follow-up, a page of rows at a time, with its progress.
 */
export class ImportConsentService {
  constructor(
    private readonly consent: ConsentService,
    private readonly imports: ContactsApi['imports'],
    private readonly openStore: () => ImportLedgerStore,
  ) {}

  async record(importId: number, progress: Progress): Promise<{ recorded: number }> {
    const file = await this.imports.get(importId);
    const actor = { userId: file.createdById ?? undefined, via: 'import' };
    const store = this.openStore();
    try {
      let recorded = 0;
      for (let page = 1; ; page++) {
        const rows = await this.imports.rowsWithOutcome(importId, 'CREATED', { page, pageSize: PAGE });
        if (page === 1) progress(0, rows.total);
        const changes = rows.data.flatMap((row) =>
          row.contactId
            ? [{ contactId: row.contactId, change: consentOfRow(row.cells, { fileName: file.fileName, importId, rowNumber: row.rowNumber }).change }]
            : [],
        );
        recorded += (await this.consent.recordImport(importId, changes, actor, store)).recorded;
        progress(Math.min(page * PAGE, rows.total), rows.total);
        if (page * PAGE >= rows.total) return { recorded };
      }
    } finally {
      store.close();
    }
  }
}
