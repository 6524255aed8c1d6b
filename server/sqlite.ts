import Sqlite from 'better-sqlite3';

/** Bulk readers and writers may wait for a long write (an import batch) to finish. */
const BULK_BUSY_TIMEOUT_MS = 10_000;

/**
 * A better-sqlite3 connection beside the Prisma client, for bulk work the client is slow at (imports,
 * exports, list pages, rescoring). A writer uses WAL with NORMAL sync, as the client does.
 */
export function openSqliteConnection(file: string, mode: 'read' | 'write'): Sqlite.Database {
  if (mode === 'read') return new Sqlite(file, { readonly: true, fileMustExist: true, timeout: BULK_BUSY_TIMEOUT_MS });
  const db = new Sqlite(file, { timeout: BULK_BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}
