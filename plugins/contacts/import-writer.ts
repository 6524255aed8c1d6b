import { parentPort, workerData } from 'node:worker_threads';
import { SqliteImportStore, type BatchCall, type BatchReply } from './import-store.js';

// The writer thread behind ThreadedImportStore: one SQLite connection writing the batches in order.
const store = new SqliteImportStore((workerData as { data: { file: string } }).data.file);
const port = parentPort!;

port.on('message', async (message: BatchCall | 'close') => {
  if (message === 'close') {
    store.close();
    port.close();
    return;
  }
  let reply: BatchReply;
  try {
    reply = { id: message.id, result: await store.applyBatch(message.plan, message.options) };
  } catch (err) {
    reply = { id: message.id, error: { name: (err as Error).constructor.name, message: (err as Error).message } };
  }
  port.postMessage(reply);
});
