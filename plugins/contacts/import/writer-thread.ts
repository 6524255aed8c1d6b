// The writer thread behind ImportWriter (store.thread.ts): one SQLite connection per import
// session, batches written in order.
import { workerData } from 'node:worker_threads';
import { serveRequests } from '../../../server/request-thread.js';
import { SqliteImportStore } from './store.sqlite.js';
import { planFromText, type WriterRequest } from './store.thread.js';
import type { BatchResult } from './write.js';

const file = (workerData as { data: { file: string } }).data.file;
const sessions = new Map<number, SqliteImportStore>();

serveRequests<WriterRequest, BatchResult | null>((request) => {
  if ('close' in request) {
    sessions.get(request.session)?.close();
    sessions.delete(request.session);
    return null;
  }
  let store = sessions.get(request.session);
  if (!store) sessions.set(request.session, (store = new SqliteImportStore(file)));
  return store.applyBatch(planFromText(request.plan), request.options);
});
