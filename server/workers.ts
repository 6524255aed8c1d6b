import { Worker } from 'node:worker_threads';

/** This module runs compiled (dist/, plain node) rather than from its TypeScript source. */
const compiled = import.meta.url.endsWith('.js');

/**
 * Starts a worker thread running a module of the platform, given by its TypeScript source's URL,
 * which reads `data` from `workerData.data`. Compiled, the thread runs the module's .js beside this
 * one; from sources, it runs the .ts through a TypeScript loader. Nothing of the parent's command
 * line (loaders, test hooks) is passed on.
 */
export function startWorker(module: URL, data: unknown): Worker {
  const href = compiled ? module.href.replace(/\.ts$/, '.js') : module.href;
  return new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { module: href, data }, execArgv: [] });
}
