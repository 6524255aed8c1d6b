import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running a TypeScript module, which reads `data` from
 * `workerData.data`. Nothing of the parent's command line (loaders, test hooks) is passed on.
 */
export function startWorker(module: URL, data: unknown): Worker {
  return new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { module: module.href, data }, execArgv: [] });
}
