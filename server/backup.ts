import { chmodSync, statSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { sqliteFilePath, type Config } from './config.js';
import { ValidationError } from './errors.js';
import { PRIVATE_FILE_MODE, securePrivateFile } from './sqlite.js';

/** Online backup of the SQLite database (consistent while the platform keeps writing). */
export async function backupDatabase(config: Config, target?: string): Promise<{ file: string; bytes: number; pages: number }> {
  if (config.databaseKind !== 'sqlite') {
    throw new ValidationError('backup copies the SQLite database; for PostgreSQL use pg_dump');
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.resolve(target ?? path.join(config.DATA_DIR, 'backups', `crm-${stamp}.db`));
  // The copy holds everything the database does: created 0600 before the first byte is written.
  securePrivateFile(file);
  const db = new Sqlite(sqliteFilePath(config.DATABASE_URL), { readonly: true, fileMustExist: true });
  try {
    const result = await db.backup(file);
    chmodSync(file, PRIVATE_FILE_MODE);
    return { file, bytes: statSync(file).size, pages: result.totalPages };
  } finally {
    db.close();
  }
}
