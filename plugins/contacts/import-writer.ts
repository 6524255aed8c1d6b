import { parentPort, workerData } from 'node:worker_threads';
import { SqliteImportStore, type StoreCall, type StoreReply } from './import-store.js';

// The writer thread behind ThreadedImportStore: one SQLite connection serving the calls in order.
const store = new SqliteImportStore((workerData as { data: { file: string } }).data.file);
const port = parentPort!;

port.on('message', async (message: StoreCall | 'close') => {
  if (message === 'close') {
    store.close();
    port.close();
    return;
  }
  let reply: StoreReply;
  try {
    reply = { id: message.id, result: await (store[message.method] as (...args: unknown[]) => Promise<unknown>)(...message.args) };
  } catch (err) {
    reply = { id: message.id, error: { name: (err as Error).constructor.name, message: (err as Error).message } };
  }
  port.postMessage(reply);
});
