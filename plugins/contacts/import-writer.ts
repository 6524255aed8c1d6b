import { parentPort, workerData } from 'node:worker_threads';
import { SqliteImportStore, type WriterMessage, type WriterReply } from './import-store.js';

// The writer thread behind ImportWriter: one SQLite connection per import session, batches written in order.
const file = (workerData as { data: { file: string } }).data.file;
const sessions = new Map<number, SqliteImportStore>();
const port = parentPort!;

port.on('message', async (message: WriterMessage) => {
  if ('close' in message) {
    sessions.get(message.session)?.close();
    sessions.delete(message.session);
    return;
  }
  let store = sessions.get(message.session);
  if (!store) sessions.set(message.session, (store = new SqliteImportStore(file)));
  let reply: WriterReply;
  try {
    reply = { call: message.call, result: await store.applyBatch(message.plan, message.options) };
  } catch (err) {
    reply = { call: message.call, error: { name: (err as Error).constructor.name, message: (err as Error).message } };
  }
  port.postMessage(reply);
});
