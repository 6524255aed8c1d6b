import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { SQLITE_SYNC_BUSY_MS } from './sqlite-busy.js';

/** Database files and backups are readable by the platform's own user only. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates the database file (and its folder) with mode 0600 before SQLite opens it, or narrows an
 * existing one and its WAL files to 0600. SQLite gives the WAL and shared-memory files the mode of
 * the database file.
 */
export function securePrivateFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, PRIVATE_FILE_MODE);
}

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
