import Sqlite from 'better-sqlite3';
import { SQLITE_SYNC_BUSY_MS } from './sqlite-busy.js';

/** Bulk readers and writers on a worker thread may wait for a long write (an import batch) to finish. */
const BULK_BUSY_TIMEOUT_MS = 10_000;

/**
 * A better-sqlite3 connection beside the Prisma client, for bulk work the client is slow at (imports,
 * exports, list pages, rescoring). A writer uses WAL with NORMAL sync, as the client does.
 * `wait: 'short'` is for writers on the main thread: they block it only briefly and retry instead
 * (retryWhileBusy, transactions begun IMMEDIATE), so the event loop keeps serving while another
 * connection writes.
 */
export function openSqliteConnection(file: string, mode: 'read' | 'write', wait: 'long' | 'short' = 'long'): Sqlite.Database {
  const timeout = wait === 'short' ? SQLITE_SYNC_BUSY_MS : BULK_BUSY_TIMEOUT_MS;
  if (mode === 'read') return new Sqlite(file, { readonly: true, fileMustExist: true, timeout });
  const db = new Sqlite(file, { timeout });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}
