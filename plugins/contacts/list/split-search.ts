import type Sqlite from 'better-sqlite3';
import type { Database } from '../../../server/db.js';
import { RequestThread } from '../../../server/request-thread.js';
import { openSqliteConnection } from '../../../server/sqlite.js';

/** A query for the search thread: its rows come back as arrays of column values. */
export interface SearchRead {
  sql: string;
  values: unknown[];
}

type Row = [id: number | bigint, total: number | bigint];

/** Search reads on a read connection of its own, each statement prepared once (here and on the thread). */
export class SearchReader {
  private readonly db: Sqlite.Database;
  private readonly statements = new Map<string, Sqlite.Statement>();

  constructor(file: string) {
    this.db = openSqliteConnection(file, 'read');
  }

  read({ sql, values }: SearchRead): Row[] {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql).raw()));
    return statement.all(...values) as Row[];
  }

  close(): void {
    this.db.close();
  }
}

/**
 * A search page and its total from a scan of the name index split at its median name: contacts from
 * the median on a reader thread, the others on this thread, at the same time, so the scan takes about
 * half as long. The halves are read on two connections, so a write that lands between them can be
 * off by its rows for that one answer. Small tables, and any without a database file to read beside
 * the client, are scanned in one piece.
 */
export class SplitSearch {
  private thread: RequestThread<SearchRead, Row[]> | undefined;
  private median: { name: string | null; at: number } | undefined;
  private stopped = false;
  private reader: SearchReader | undefined;

  constructor(
    private readonly prisma: Database,
    private readonly file?: string,
    private readonly options = { fromContacts: 20_000, medianTtlMs: 5 * 60_000 },
  ) {}

  /** Ids of the page of `from` (a table and its name index) where `where` holds, sorted by name, and the total. */
  async page(
    from: string,
    where: string,
    values: unknown[],
    page: { direction: 'ASC' | 'DESC'; offset: number; limit: number },
  ): Promise<{ ids: number[]; total: number }> {
    const { direction, offset, limit } = page;
    const read = (condition: string, args: unknown[], rows: number, skip: number): SearchRead => ({
      sql: `SELECT id, count(*) OVER () AS total FROM ${from} WHERE ${condition} ORDER BY "sortName" ${direction}, id ${direction} LIMIT ? OFFSET ?`,
      values: [...args, rows, skip],
    });
    const median = this.file ? await this.medianName(from) : null;
    const thread = median === null ? undefined : this.readyThread();
    if (!thread) {
      const rows = await this.readHere(read(where, values, limit, offset));
      const total = rows.length ? Number(rows[0]![1]) : await this.count(from, where, values);
      return { ids: rows.map(([id]) => Number(id)), total };
    }
    // Each half's first offset + limit matches; the page is cut from the two put in order.
    const upperRead = read(`${where} AND "sortName" >= ?`, [...values, median], offset + limit, 0);
    const upper = thread.request(upperRead);
    upper.catch(() => undefined);
    const lower = await this.readHere(read(`${where} AND "sortName" < ?`, [...values, median], offset + limit, 0));
    // The thread failed: its half is read here instead.
    const upperRows = await upper.catch(() => this.readHere(upperRead));
    const [first, second] = direction === 'ASC' ? [lower, upperRows] : [upperRows, lower];
    return {
      ids: [...first, ...second].slice(offset, offset + limit).map(([id]) => Number(id)),
      total: Number(lower[0]?.[1] ?? 0) + Number(upperRows[0]?.[1] ?? 0),
    };
  }

  /**
   * Starts the reader thread if the table is large enough to need it, and resolves once it takes reads
   * (searches before then scan in one piece).
   */
  async prepare(from: string): Promise<void> {
    if (!this.file || (await this.medianName(from)) === null) return;
    this.readyThread();
    await this.thread?.whenStarted();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reader?.close();
    this.reader = undefined;
    await this.thread?.terminate();
  }

  /** On this thread: its own read connection beside the client where there is a file, else the client. */
  private async readHere(read: SearchRead): Promise<Row[]> {
    if (!this.file || this.stopped)
      return (await this.prisma.$queryRawUnsafe<{ id: number | bigint; total: number | bigint }[]>(read.sql, ...read.values)).map((r) => [r.id, r.total]);
    return (this.reader ??= new SearchReader(this.file)).read(read);
  }

  private async count(from: string, where: string, values: unknown[]): Promise<number> {
    const [row] = await this.prisma.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT count(*) AS n FROM ${from} WHERE ${where}`, ...values);
    return Number(row?.n ?? 0);
  }

  /** The thread, started on the first search of a large table; undefined until it has loaded. */
  private readyThread(): RequestThread<SearchRead, Row[]> | undefined {
    if (this.stopped || !this.file) return undefined;
    if (!this.thread || this.thread.stopped) this.thread = new RequestThread(new URL('./split-search-thread.ts', import.meta.url), { file: this.file });
    return this.thread.ready ? this.thread : undefined;
  }

  /** The middle name of the index, kept for a few minutes (a stale one only unbalances the halves). */
  private async medianName(from: string): Promise<string | null> {
    if (this.median && Date.now() - this.median.at < this.options.medianTtlMs) return this.median.name;
    const contacts = await this.count('"Contact"', '1 = 1', []);
    const rows =
      contacts && contacts >= this.options.fromContacts
        ? await this.prisma.$queryRawUnsafe<{ name: string }[]>(
            `SELECT "sortName" AS name FROM ${from} ORDER BY "sortName" LIMIT 1 OFFSET ?`,
            Math.floor(contacts / 2),
          )
        : [];
    this.median = { name: rows[0]?.name ?? null, at: Date.now() };
    return this.median.name;
  }
}
