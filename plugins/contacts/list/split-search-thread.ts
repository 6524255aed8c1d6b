import { workerData } from 'node:worker_threads';
import { serveRequests } from '../../../server/request-thread.js';
import { SearchReader, type SearchRead } from './split-search.js';

// The reader thread behind SplitSearch: reads its half of a search on a connection of its own.
const reader = new SearchReader((workerData as { data: { file: string } }).data.file);

serveRequests<SearchRead, unknown[][]>((read) => reader.read(read));
