// Worker threads do not inherit the TypeScript loader the main thread runs under (tsx, or the
// test runner's), so a worker starts here: a compiled module (.js) is imported as it is; a
// TypeScript one through tsx's loader, registered for this thread only.
import { workerData } from 'node:worker_threads';

if (workerData.module.endsWith('.js')) {
  await import(workerData.module);
} else {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport(workerData.module, import.meta.url);
}
