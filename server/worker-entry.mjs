// Worker threads do not inherit the TypeScript loader the main thread runs under (tsx, or the
// test runner's), so a worker starts here: register the loader, then run the worker's module.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.module, import.meta.url);
