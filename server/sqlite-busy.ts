import type Sqlite from 'better-sqlite3';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { turnWhenDue } from './slices.js';

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3['connect']>>;
type Transaction = Awaited<ReturnType<Adapter['startTransaction']>>;
type Query = Parameters<Adapter['queryRaw']>[0];

/**
 * How long a statement blocks the thread waiting for another connection's write (SQLite's own
 * busy handler). Kept short: a longer wait would stall every request of this process, including
 * the one whose transaction holds the lock when two hosts share the file.
 */
export const SQLITE_SYNC_BUSY_MS = 25;
/** How long a write keeps trying, without blocking the thread, before it fails. */
export const SQLITE_BUSY_BUDGET_MS = 60_000;
/**
 * How long a transaction may wait for its turn: the writes queued before it in this process, each
 * of which may itself wait for other processes. SQLite has one writer, so a burst queues here.
 */
export const SQLITE_TRANSACTION_MAX_WAIT_MS = 300_000;

/** SQLITE_MAX_VARIABLE_NUMBER of the SQLite that better-sqlite3 12 is built with. */
export const SQLITE_MAX_VARIABLES = 32_766;

/** Whether an error (SQLite's, or the Prisma adapter's wrapping of it) says the database is locked. */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  const cause = (err as { cause?: { originalCode?: unknown } })?.cause?.originalCode;
  return [code, cause].some((c) => typeof c === 'string' && c.startsWith('SQLITE_BUSY'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` until it does not meet a locked database, pausing a little longer each time. */
export async function retryWhileBusy<T>(work: () => Promise<T> | T, budgetMs = SQLITE_BUSY_BUDGET_MS): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isBusyError(err) || Date.now() - started > budgetMs) throw err;
      await sleep(Math.random() * Math.min(2 ** attempt, 50));
    }
  }
}

/** One transaction at a time on a connection, in the order asked. */
class Turns {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** A transaction holds the connection or waits for it. */
  get busy(): boolean {
    return this.waiting > 0;
  }

  async take(): Promise<() => void> {
    let release!: () => void;
    const previous = this.tail;
    this.waiting++;
    this.tail = new Promise((resolve) => (release = resolve));
    await previous;
    return () => {
      this.waiting--;
      release();
    };
  }
}

/**
 * Prisma's better-sqlite3 adapter, made to wait for other processes' writes instead of failing:
 * transactions begin IMMEDIATE (the write lock is taken at BEGIN, so a transaction never fails
 * half-way with SQLITE_BUSY when it turns from reading to writing), BEGIN as well as single
 * statements are retried on SQLITE_BUSY without blocking the event loop, and a long chain of
 * queries outside transactions lets requests in between (server/slices.ts).
 */
class WaitingSqliteAdapter {
  readonly provider: Adapter['provider'];
  readonly adapterName: string;
  private readonly turns = new Turns();

  constructor(private readonly inner: Adapter) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  private get client(): Sqlite.Database {
    return (this.inner as unknown as { client: Sqlite.Database }).client;
  }

  async queryRaw(query: Query) {
    await this.turnWhenDue();
    return retryWhileBusy(() => this.inner.queryRaw(query));
  }

  async executeRaw(query: Query) {
    await this.turnWhenDue();
    return retryWhileBusy(() => this.inner.executeRaw(query));
  }

  /**
   * Gives the event loop a turn now and then (queries answer synchronously), but never while a
   * transaction holds the connection: a request let in then could run its statements inside it.
   */
  private async turnWhenDue(): Promise<void> {
    if (!this.turns.busy) await turnWhenDue();
  }

  executeScript(script: string) {
    return retryWhileBusy(() => this.inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: string): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE') return this.inner.startTransaction(isolationLevel as never);
    const release = await this.turns.take();
    try {
      await retryWhileBusy(() => this.client.prepare('BEGIN IMMEDIATE').run());
    } catch (err) {
      release();
      throw err;
    }
    const { inner } = this;
    // Prisma sends COMMIT and ROLLBACK itself (usePhantomQuery false); these only end our turn.
    return {
      provider: inner.provider,
      adapterName: inner.adapterName,
      options: { usePhantomQuery: false },
      queryRaw: (query) => inner.queryRaw(query),
      executeRaw: (query) => inner.executeRaw(query),
      commit: async () => release(),
      rollback: async () => release(),
    };
  }

  /**
   * The SQLite under better-sqlite3 binds up to 32,766 variables a statement; Prisma assumes 999
   * unless told. Told, it splits long `in` lists no lower than it must, and a filter on a long id
   * list (one that cannot be split) works up to the same size as on PostgreSQL.
   */
  getConnectionInfo() {
    return { supportsRelationJoins: false, maxBindValues: SQLITE_MAX_VARIABLES };
  }

  dispose() {
    return this.inner.dispose();
  }
}

/** The adapter factory for `new PrismaClient({ adapter })` on a SQLite file. */
export function waitingSqliteAdapter(file: string): PrismaBetterSQLite3 {
  const factory = new PrismaBetterSQLite3({ url: `file:${file}`, timeout: SQLITE_SYNC_BUSY_MS });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => new WaitingSqliteAdapter(await connect()) as unknown as Adapter;
  return factory;
}
