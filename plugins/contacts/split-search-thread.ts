import { workerData } from 'node:worker_threads';
import type Sqlite from 'better-sqlite3';
import { serveRequests } from '../../server/request-thread.js';
import { openSqliteConnection } from '../../server/sqlite.js';
import type { SearchRead } from './split-search.js';

// The reader thread behind SplitSearch: reads its half of a search on a connection of its own.
const db = openSqliteConnection((workerData as { data: { file: string } }).data.file, 'read');
const statements = new Map<string, Sqlite.Statement>();

serveRequests<SearchRead, unknown[][]>(({ sql, values }) => {
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql).raw()));
  return statement.all(...values) as unknown[][];
});
