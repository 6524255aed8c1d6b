import Sqlite from 'better-sqlite3';
import type { Database, SqlDialect } from './db.js';
import { idListParam, idListSql } from './id-lists.js';
import { openSqliteConnection } from './sqlite.js';
import { retryWhileBusy } from './sqlite-busy.js';
import { turnWhenDue } from './slices.js';

/** A statement with its parameters, written for one database's placeholder and cast syntax. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** The little a bulk store needs from a database: read rows, write statements in one transaction. */
export interface SqlRunner {
  readonly dialect: 'sqlite' | 'postgres';
  query<T>(statement: Statement): Promise<T[]>;
  transaction(statements: Statement[]): Promise<void>;
  close(): void;
}

/** Straight to the SQLite file: bulk reads and writes without Prisma's per-row cost. */
export class SqliteRunner implements SqlRunner {
  readonly dialect = 'sqlite';
  private readonly db: Sqlite.Database;
  private readonly prepared = new Map<string, Sqlite.Statement>();

  constructor(file: string) {
    this.db = openSqliteConnection(file, 'write', 'short');
  }

  private statement(sql: string): Sqlite.Statement {
    let statement = this.prepared.get(sql);
    if (!statement) this.prepared.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  async query<T>({ sql, params }: Statement): Promise<T[]> {
    await turnWhenDue();
    return retryWhileBusy(() => this.statement(sql).all(...params) as T[]);
  }

  /** Begun IMMEDIATE and retried while another connection writes, without blocking the thread. */
  async transaction(statements: Statement[]): Promise<void> {
    const write = this.db.transaction(() => {
      for (const { sql, params } of statements) this.statement(sql).run(...params);
    });
    await turnWhenDue();
    await retryWhileBusy(() => write.immediate());
  }

  close(): void {
    this.db.close();
  }
}

/** Through Prisma's raw queries: PostgreSQL, or SQLite when the bulk driver is set to prisma. */
export class PrismaRunner implements SqlRunner {
  constructor(
    private readonly prisma: Database,
    readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async query<T>({ sql, params }: Statement): Promise<T[]> {
    return this.prisma.$queryRawUnsafe<T[]>(sql, ...params);
  }

  async transaction(statements: Statement[]): Promise<void> {
    await this.prisma.$transaction(statements.map(({ sql, params }) => this.prisma.$executeRawUnsafe(sql, ...params)));
  }

  close(): void {}
}

/** Builds SQL with the right placeholders and casts for the runner's database. */
export class SqlBuilder {
  private readonly params: unknown[] = [];
  constructor(private readonly dialect: SqlRunner['dialect']) {}

  param(value: unknown, pgType?: string): string {
    this.params.push(value);
    if (this.dialect === 'sqlite') return '?';
    return pgType ? `$${this.params.length}::${pgType}` : `$${this.params.length}`;
  }

  /** A list of ids as one bound value, whatever its length. */
  ids(ids: number[]): string {
    return idListSql(this.dialect, this.param(idListParam(ids)));
  }

  timestamp(date: Date): string {
    return this.dialect === 'sqlite' ? this.param(date.toISOString().replace('Z', '+00:00')) : this.param(date.toISOString(), 'timestamp(3)');
  }

  done(sql: string): Statement {
    return { sql, params: this.params };
  }
}

/**
 * The runner for bulk SQL: straight to the SQLite file, or through Prisma on PostgreSQL (and on SQLite
 * when a plugin's bulk driver is set to prisma). Each store opens its own and closes it when done.
 */
export function openSqlRunner(prisma: Database, sql: SqlDialect, driver: 'auto' | 'prisma' = 'auto'): SqlRunner {
  return sql.kind === 'sqlite' && driver === 'auto' ? new SqliteRunner(sql.sqliteFile) : new PrismaRunner(prisma, sql.kind);
}
